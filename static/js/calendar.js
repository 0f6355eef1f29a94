// A calendar beside each date typed as « jj/mm/aaaa » (inputs with data-calendar), progressive enhancement only:
// the text field stays the way in for keyboards, screen readers and browsers without JavaScript, and the server
// checks the date again. The calendar is Cally's (static/vendor/cally-0.9.2): it names months and days through
// Intl in the page's language (<html lang>), not in the browser's, which a native <input type="date"> would do.
// Its labels come from the field's data attributes, written by the form (no text lives here).
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[data-calendar]");
  if (!inputs.length || !window.customElements) { return; }
  var lang = document.documentElement.lang || "fr";

  function pad(number) { return String(number).padStart(2, "0"); }
  function toIso(text) {
    var match = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})\s*$/.exec(text || "");
    if (!match) { return ""; }
    var year = match[3].length === 2 ? "20" + match[3] : match[3];
    return year + "-" + pad(match[2]) + "-" + pad(match[1]);
  }
  function fromIso(iso) {
    var parts = iso.split("-");
    return parts[2] + "/" + parts[1] + "/" + parts[0];
  }
  function labelled(slot, text) {
    var span = document.createElement("span");
    span.slot = slot;
    span.textContent = text;
    return span;
  }

  customElements.whenDefined("calendar-date").then(function () {
    inputs.forEach(function (input) {
      var data = input.dataset;
      var toggle = document.createElement("button");
      toggle.type = "button";
      toggle.className = "btn btn-outline-primary calendar-toggle";
      toggle.textContent = data.calendar;
      toggle.setAttribute("aria-expanded", "false");
      var panel = document.createElement("div");
      panel.id = input.id + "-calendrier";
      panel.className = "calendar-panel";
      panel.hidden = true;
      toggle.setAttribute("aria-controls", panel.id);

      var calendar = document.createElement("calendar-date");
      calendar.setAttribute("locale", lang);
      calendar.setAttribute("aria-label", data.calendarLabel);
      if (data.calendarMin) { calendar.setAttribute("min", data.calendarMin); }
      calendar.appendChild(labelled("previous", data.calendarPrevious));
      calendar.appendChild(labelled("next", data.calendarNext));
      var month = document.createElement("calendar-month");
      calendar.appendChild(month);
      panel.appendChild(calendar);

      function close(focusBack) {
        panel.hidden = true;
        toggle.setAttribute("aria-expanded", "false");
        if (focusBack) { focusBack.focus(); }
      }
      toggle.addEventListener("click", function () {
        if (!panel.hidden) { close(); return; }
        var iso = toIso(input.value);
        if (iso) {
          calendar.value = iso;
          calendar.focusedDate = iso;
        }
        panel.hidden = false;
        toggle.setAttribute("aria-expanded", "true");
        // The components render the new month on their next frame: focus its day once it is drawn.
        requestAnimationFrame(function () { calendar.focus(); });
      });
      calendar.addEventListener("change", function () {
        input.value = fromIso(calendar.value);
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
        close(input);
      });
      panel.addEventListener("keydown", function (event) {
        if (event.key === "Escape") {
          event.preventDefault();
          close(toggle);
        }
      });
      // After the field's error and help texts, which stay next to the field they speak of.
      var box = document.getElementById("div_" + input.id);
      if (box && box.contains(input)) {
        box.appendChild(toggle);
        box.appendChild(panel);
      } else {
        input.insertAdjacentElement("afterend", panel);
        input.insertAdjacentElement("afterend", toggle);
      }
    });
  });
})();
