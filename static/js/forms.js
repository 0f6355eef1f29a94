// Every form page: after a failed submit, move the focus to the error summary (RGAA 11.10),
// so that keyboard and screen-reader users hear the errors first.
(function () {
  "use strict";
  var summary = document.getElementById("erreurs");
  if (summary) { summary.focus(); }
})();
