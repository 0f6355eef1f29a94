// Application form, progressive enhancement only: without JavaScript every field and budget line shows, and the
// server checks everything again.
(function () {
  "use strict";
  var form = document.querySelector(".application-form");
  if (!form) { return; }

  // 1. The fields of one kind of porteur (RNA and SIRET, number of residents, statutes) show once it is chosen.
  var kindInputs = form.querySelectorAll('input[name="porteur_kind"]');
  function showFieldsOfKind() {
    var chosen = form.querySelector('input[name="porteur_kind"]:checked');
    form.querySelectorAll("[data-porteur-kind]").forEach(function (input) {
      var box = document.getElementById("div_" + input.id);
      if (box) { box.hidden = !chosen || chosen.value !== input.getAttribute("data-porteur-kind"); }
    });
  }
  kindInputs.forEach(function (input) { input.addEventListener("change", showFieldsOfKind); });
  showFieldsOfKind();

  // 2. The budget starts with a few lines and « Ajouter une ligne » reveals (or adds) the next one.
  function hasValue(line) {
    return Array.prototype.some.call(line.querySelectorAll("input"), function (input) {
      return input.value.trim() !== "" || input.classList.contains("is-invalid");
    });
  }
  form.querySelectorAll("[data-budget-lines]").forEach(function (group) {
    var lines = Array.prototype.slice.call(group.querySelectorAll(".budget-line"));
    if (!lines.length) { return; }
    var shown = parseInt(group.getAttribute("data-budget-lines"), 10) || 3;
    lines.forEach(function (line, index) { if (hasValue(line)) { shown = Math.max(shown, index + 1); } });
    lines.forEach(function (line, index) { line.hidden = index >= shown; });
    var total = group.querySelector('input[name$="-TOTAL_FORMS"]');
    var max = parseInt((group.querySelector('input[name$="-MAX_NUM_FORMS"]') || {}).value, 10) || 20;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-primary mb-3 add-budget-line";
    button.textContent = group.getAttribute("data-add-label") || "Ajouter une ligne";
    group.appendChild(button);
    button.addEventListener("click", function () {
      var next = group.querySelector(".budget-line[hidden]");
      if (!next) {
        var all = group.querySelectorAll(".budget-line");
        var count = all.length;
        if (count >= max) { return; }
        next = all[count - 1].cloneNode(true);
        next.querySelectorAll("input, label, div[id]").forEach(function (el) {
          ["id", "for", "name", "aria-describedby"].forEach(function (attr) {
            var value = el.getAttribute(attr);
            if (value) { el.setAttribute(attr, value.replace(/-\d+-/g, "-" + count + "-")); }
          });
          if (el.tagName === "INPUT") { el.value = ""; el.classList.remove("is-invalid"); el.removeAttribute("aria-invalid"); }
          if (el.tagName === "LABEL") { el.textContent = el.textContent.replace(/\d+/, String(count + 1)); }
        });
        next.querySelectorAll(".invalid-feedback").forEach(function (el) { el.remove(); });
        all[count - 1].after(next);
        if (total) { total.value = String(count + 1); }
      }
      next.hidden = false;
      var first = next.querySelector("input");
      if (first) { first.focus(); }
      var remaining = group.querySelector(".budget-line[hidden]");
      button.hidden = !remaining && group.querySelectorAll(".budget-line").length >= max;
    });
  });

  // 3. The budget's totals as the applicant types.
  var totals = form.querySelector(".budget-totals");
  if (!totals) { return; }
  var euros = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" });

  function parse(value) {
    var text = (value || "").replace(/[\s\u00a0\u202f€]/g, "").replace(",", ".");
    if (!/^\d+(\.\d{1,2})?$/.test(text)) { return 0; }
    return Math.round(parseFloat(text) * 100);
  }

  function sum(selector) {
    var cents = 0;
    form.querySelectorAll(selector).forEach(function (input) { cents += parse(input.value); });
    return cents;
  }

  function update() {
    var expenses = sum('.budget-line[data-kind="expense"] .js-amount');
    var resources = sum('.budget-line[data-kind="resource"] .js-amount') + sum("#id_amount_requested");
    form.querySelector("#total-depenses").textContent = euros.format(expenses / 100);
    form.querySelector("#total-ressources").textContent = euros.format(resources / 100);
    var gap = form.querySelector("#budget-ecart");
    if (expenses === resources) {
      gap.textContent = expenses ? "Le budget est équilibré." : "";
    } else {
      gap.textContent = "Écart à combler : " + euros.format(Math.abs(expenses - resources) / 100) +
        (expenses > resources ? " de ressources en moins." : " de ressources en trop.");
    }
  }

  totals.hidden = false;
  form.addEventListener("input", function (event) {
    if (event.target.classList.contains("js-amount")) { update(); }
  });
  update();
})();
