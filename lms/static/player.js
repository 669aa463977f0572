/* The player's controls: fullscreen, and new-window mode with a warning when pop-ups are blocked.
   The warnings come translated in the player's data- attributes. */
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
      warn(player.dataset.noFullscreen);
      return;
    }
    player.requestFullscreen().catch(function () { warn(player.dataset.refusedFullscreen); });
  });

  var opener = document.getElementById("open-window");
  function openLesson() {
    var lesson = window.open(opener.getAttribute("data-url"), "mafunzo-sco",
                             "width=1024,height=768,resizable=yes,scrollbars=yes");
    if (!lesson) {
      warn(player.dataset.blocked);
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
