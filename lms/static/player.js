/* The player's controls: fullscreen, new-window mode with a warning when pop-ups are blocked, and
   the SCO's time limit. The words come translated in the page. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("player-config").textContent);
  var notice = document.getElementById("player-notice");
  var player = document.getElementById("player");
  var lesson = null;  // the lesson's own window, in new-window mode

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
    lesson = window.open(opener.getAttribute("data-url"), "mafunzo-sco",
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

  /* The time limit (time_limit_action): when the learner's time in the attempt is up, say so
     ("message") and, for "exit", take the SCO away (it saves as it unloads), end its session once
     the server has its data, and send the learner back to My learning unless told why here. */
  var limit = config.timeLimit;
  var timeUp = document.getElementById("time-up");
  var over = false;

  function tell(saved) {
    // Only when the server took everything does the alert say so; a refusal is shown already.
    var unsaved = timeUp.querySelector(".unsaved");
    if (unsaved && saved === false) {
      timeUp.querySelector(".saved").hidden = true;
      unsaved.hidden = false;
    }
    timeUp.hidden = false;
    timeUp.focus();
  }

  /* Take the SCO away. A frame unloads as it is removed, so the SCO has saved on its way out
     when this returns; a window closes only after this task, so this returns a promise of when
     its SCO has had its pagehide (or, should that never come, of two seconds). */
  function closeLesson() {
    var frame = document.getElementById("sco-frame");
    if (frame) { frame.remove(); }
    var windowMode = document.querySelector(".window-mode");
    if (windowMode) { windowMode.hidden = true; }
    if (!lesson || lesson.closed) { return null; }
    var closing = lesson;
    return new Promise(function (resolve) {
      var gone = function () { setTimeout(resolve, 0); };  // after the SCO's own listeners
      try {
        closing.addEventListener("pagehide", gone);
      } catch (error) {  // the window went to another site: nothing of ours to wait for
        resolve();
      }
      setTimeout(resolve, 2000);
      closing.close();
    });
  }

  function onTimeUp() {
    if (over) { return; }
    over = true;
    if (!limit.exits) {
      if (limit.tells) { tell(); }
      return;
    }
    window.MafunzoRuntime.end(closeLesson).then(function (saved) {
      if (limit.tells || !saved) { tell(saved); } else { window.location.href = config.exitUrl; }
    });
  }

  if (limit) {
    var deadline = Date.now() + limit.remaining * 1000;
    var timer = null;
    var wait = function () {
      var left = deadline - Date.now();
      if (left > 0) {  // in steps of a day at most: setTimeout cannot wait 25 days
        timer = window.setTimeout(wait, Math.min(left, 86400000));
      } else if (!window.MafunzoRuntime.terminated()) {  // a SCO that finished is left alone
        onTimeUp();
      }
    };
    wait();
    window.addEventListener("mafunzo:time-up", function () {
      window.clearTimeout(timer);
      onTimeUp();
    });
  }
})();
