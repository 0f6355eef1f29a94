// Click-to-load video: nothing is requested from YouTube until the visitor presses the button; then the
// poster is replaced by a youtube-nocookie.com player. Without JavaScript the button stays hidden and the plain
// link to the video (always in the page) is the way to watch it.
(function () {
  "use strict";
  document.querySelectorAll(".video-consent[data-embed]").forEach(function (figure) {
    var button = figure.querySelector(".video-play");
    var url = figure.getAttribute("data-embed");
    if (!button || !url || url.indexOf("https://www.youtube-nocookie.com/embed/") !== 0) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.src = url;
      frame.title = "Vidéo : " + figure.getAttribute("data-title");
      frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
      frame.allowFullscreen = true;
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      var poster = figure.querySelector(".video-poster");
      poster.replaceChildren(frame);
      frame.focus();
    });
  });
})();
