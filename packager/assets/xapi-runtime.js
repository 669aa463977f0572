/*
 * Mafunzo xAPI (TinCan) tracker: reads the TinCan launch from the document's URL (endpoint, auth,
 * actor, registration, activity_id) and reports through the shared xAPI content tracker
 * (xapi-content.js) and client (xapi-client.js), which travel in front of it in this file.
 * Without an endpoint and an actor there is no LRS: the page works and says so.
 */
(function () {
  "use strict";

  var X = window.MafunzoXapi;
  var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

  function first(value) { return Array.isArray(value) ? value[0] : value; }

  // TinCan launchers may still send the 0.9 form of an agent (every property an array).
  function agent(text) {
    var raw;
    try { raw = JSON.parse(text); } catch (e) { return null; }
    if (!raw || typeof raw !== "object") { return null; }
    var out = { objectType: "Agent" };
    if (raw.name) { out.name = String(first(raw.name)); }
    if (raw.mbox) {
      var mbox = String(first(raw.mbox));
      out.mbox = mbox.indexOf("mailto:") === 0 ? mbox : "mailto:" + mbox;
    } else if (raw.mbox_sha1sum) {
      out.mbox_sha1sum = String(first(raw.mbox_sha1sum));
    } else if (raw.openid) {
      out.openid = String(first(raw.openid));
    } else if (raw.account) {
      var account = first(raw.account);
      out.account = {
        homePage: account.homePage || account.accountServiceHomePage,
        name: account.name || account.accountName
      };
    } else {
      return null;
    }
    return out;
  }

  function launch(data) {
    var params = new URLSearchParams(window.location.search);
    var endpoint = params.get("endpoint");
    var actor = agent(params.get("actor") || "");
    if (!endpoint || !actor) { return null; }
    var registration = params.get("registration");
    var config = data.runtime || {};
    return {
      client: new X.Client(endpoint, params.get("auth")),
      actor: actor,
      registration: registration && UUID.test(registration) ? registration : undefined,
      activityId: params.get("activity_id") || (config.activities || {})[data.document] || data.course,
      contextTemplate: null,
      cmi5: false,
      launchMode: "Normal",
      masteryScore: null
    };
  }

  window.MafunzoRuntime = {
    create: function (data) { return X.tracker(data, function () { return launch(data); }); }
  };
}());
