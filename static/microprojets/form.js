// Application form: show the budget totals as the applicant types.
// Progressive enhancement only: the server recomputes and checks every total.
(function () {
  "use strict";
  var form = document.querySelector(".application-form");
  var totals = form && form.querySelector(".budget-totals");
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
