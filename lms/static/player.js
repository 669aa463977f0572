/* The player's controls: fullscreen, and new-window mode with a warning when pop-ups are blocked. */
(function () {
  "use strict";
  var notice = document.getElementById("player-notice");
  var player = document.getElementById("player");

  function warn(text) {
    notice.textContent = text;
    notice.hidden = false;
  }

  document.getElementById("fullscreen").addEventListener("click", function () {
    if (!player.requestFullscreen) {
      warn("This browser has no fullscreen mode.");
      return;
    }
    player.requestFullscreen().catch(function () { warn("This browser refused fullscreen mode."); });
  });

  var opener = document.getElementById("open-window");
  function openLesson() {
    var lesson = window.open(opener.getAttribute("data-url"), "mafunzo-sco",
                             "width=1024,height=768,resizable=yes,scrollbars=yes");
    if (!lesson) {
      warn("Your browser blocked the lesson's window. Allow pop-ups for this site and press " +
           "\u201cOpen the lesson\u201d again, or choose \u201cPlay in this page\u201d.");
      return;
    }
    notice.hidden = true;
    lesson.focus();
  }
  if (opener) {
    opener.addEventListener("click", openLesson);
    openLesson();
  }
})();
