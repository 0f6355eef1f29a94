// Project catalogue: the folded filters open by themselves on a wide screen, and after a search the focus lands
// on the results heading, which says how many projects were found (a screen reader reads it out). Without
// JavaScript the filters stay one click away and the #resultats anchor of the form still scrolls to the results.
(function () {
  "use strict";
  var filters = document.querySelector("details[data-open-from]");
  if (filters && window.matchMedia("(min-width: " + filters.getAttribute("data-open-from") + "px)").matches) {
    filters.open = true;
  }
  if (window.location.hash === "#resultats") {
    var heading = document.getElementById("resultats");
    if (heading) {
      // Instant: Bootstrap's smooth scrolling would first show the top of the page the visitor just left.
      heading.focus({ preventScroll: true });
      heading.scrollIntoView({ block: "start", behavior: "instant" });
    }
  }
})();
