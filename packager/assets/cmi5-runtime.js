/*
 * Mafunzo cmi5 tracker: an AU following the cmi5 launch. It reads endpoint, fetch, actor,
 * registration and activityId from its URL; POSTs the fetch URL once for its token (kept in
 * sessionStorage, since a fetch URL works only once and a reload must not lose the session); reads
 * the LMS.LaunchData state (context template, launch mode, mastery score, returnURL) and
 * the learner's cmi5LearnerPreferences agent profile; then reports through the shared xAPI content
 * tracker (xapi-content.js), which sends the cmi5 defined statements in the allowed order. The
 * last page's Finish button ends the session and returns the learner to the LMS's returnURL.
 */
(function () {
  "use strict";

  var X = window.MafunzoXapi;
  var SESSION_EXTENSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid";
  var MODES = ["Normal", "Browse", "Review"];

  function fetchToken(url) {
    var key = "mafunzo.cmi5.token " + url;
    try {
      var kept = window.sessionStorage.getItem(key);
      if (kept) { return kept; }
    } catch (e) { /* storage may be refused: ask the LMS */ }
    try {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", url, false);
      xhr.send();
      var answer = JSON.parse(xhr.responseText);
      var token = xhr.status === 200 && answer && answer["auth-token"];
      if (!token) { return null; }
      try { window.sessionStorage.setItem(key, token); } catch (e) { /* kept for this page only */ }
      return token;
    } catch (e) {
      return null;
    }
  }

  function launch() {
    var params = new URLSearchParams(window.location.search);
    var endpoint = params.get("endpoint");
    var fetchUrl = params.get("fetch");
    var activityId = params.get("activityId");
    var registration = params.get("registration");
    var actor;
    try { actor = JSON.parse(params.get("actor") || ""); } catch (e) { actor = null; }
    if (!endpoint || !fetchUrl || !activityId || !registration || !actor) { return null; }
    var token = fetchToken(fetchUrl);
    if (!token) { return null; }
    var client = new X.Client(endpoint, "Basic " + token);
    var launchData = client.getSync("activities/state", {
      stateId: "LMS.LaunchData", activityId: activityId, agent: actor, registration: registration
    }).json;
    if (!launchData || typeof launchData !== "object") { return null; }
    var preferences = client.getSync("agents/profile", {
      agent: actor, profileId: "cmi5LearnerPreferences"
    }).json || {};
    var template = launchData.contextTemplate && typeof launchData.contextTemplate === "object"
      ? launchData.contextTemplate : {};
    template.extensions = template.extensions || {};
    if (!template.extensions[SESSION_EXTENSION]) { template.extensions[SESSION_EXTENSION] = X.uuid(); }
    var languages = typeof preferences.languagePreference === "string"
      ? preferences.languagePreference.split(",").map(function (l) { return l.trim(); }) : [];
    if (languages.length) { document.documentElement.setAttribute("data-learner-languages", languages.join(" ")); }
    return {
      client: client,
      actor: actor,
      registration: registration,
      activityId: activityId,
      contextTemplate: template,
      cmi5: true,
      launchMode: MODES.indexOf(launchData.launchMode) >= 0 ? launchData.launchMode : "Normal",
      masteryScore: typeof launchData.masteryScore === "number" ? launchData.masteryScore : null,
      returnURL: typeof launchData.returnURL === "string" ? launchData.returnURL : null
    };
  }

  // Finish on the last page leaves for the LMS once the LRS has the session's statements. The
  // listener goes on before the page script's own, so it sees the button as it was clicked.
  function offerReturn(data, tracker, current) {
    var next = document.querySelector(".pager .next");
    if (!next) { return; }
    next.addEventListener("click", function () {
      var session = current();
      if (!session || !session.returnURL || next.textContent !== data.strings.finish) { return; }
      window.setTimeout(function () {
        tracker.leave(function () { window.location.assign(session.returnURL); });
      }, 0);
    });
  }

  window.MafunzoRuntime = {
    create: function (data) {
      var session = null;
      var tracker = X.tracker(data, function () {
        session = launch();
        return session;
      });
      offerReturn(data, tracker, function () { return session; });
      return tracker;
    }
  };
}());
