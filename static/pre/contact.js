// Request form of the PRE.
document.addEventListener("DOMContentLoaded", function () {
  // A double click or a second Enter sends the request once.
  var form = document.querySelector("form.pre-contact-form");
  if (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "1";
    });
    // Back to this page from the history (page cache): it may be sent again.
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        delete form.dataset.sent;
      }
    });
  }
});
