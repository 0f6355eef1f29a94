// Request form of the PRE: after a failed submit, move the focus to the error summary (RGAA 11.10).
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("erreurs");
  if (summary) {
    summary.focus();
  }
});
