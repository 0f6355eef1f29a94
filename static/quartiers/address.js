/* Address check: after the page loads, move the focus to the errors, or else to the answer. */
(function () {
  "use strict";
  var target = document.getElementById("erreurs") || document.getElementById("reponse");
  if (target) {
    target.focus();
  }
})();
