/*
 * What a Mafunzo document says in xAPI, for both the xAPI (TinCan) and the cmi5 tracker: the
 * tracker interface of mafunzo.js on top of a launch. MafunzoXapi.tracker(data, launch) takes a
 * `launch` function that reads the launch (URL parameters, tokens, launch data) and returns a
 * session or null:
 *   { client, actor, registration, activityId, contextTemplate (object|null), cmi5 (bool),
 *     launchMode ("Normal" | "Browse" | "Review"), masteryScore (0..1 | null) }
 * Statements: initialized; experienced per page; answered per question (interaction definition
 * from the package, response, success, duration); completed; passed or failed with the scaled
 * score; terminated with the session duration. In cmi5, the defined statements carry the cmi5
 * category (and moveon on completed/passed/failed) and passed/failed the masteryScore extension;
 * Browse and Review launches send no completed, passed or failed. The learner's place, answers and
 * what was already reported live in one State API document, so a resumed session goes on from there
 * and never reports a completion twice in a registration.
 */
(function () {
  "use strict";

  var X = window.MafunzoXapi;
  var VERBS = {
    initialized: "http://adlnet.gov/expapi/verbs/initialized",
    experienced: "http://adlnet.gov/expapi/verbs/experienced",
    answered: "http://adlnet.gov/expapi/verbs/answered",
    completed: "http://adlnet.gov/expapi/verbs/completed",
    passed: "http://adlnet.gov/expapi/verbs/passed",
    failed: "http://adlnet.gov/expapi/verbs/failed",
    terminated: "http://adlnet.gov/expapi/verbs/terminated"
  };
  var CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
  var MOVEON_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/moveon";
  var MASTERY_EXTENSION = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore";
  var PAGE_TYPE = "http://activitystrea.ms/schema/1.0/page";
  var STATE_ID = "https://w3id.org/mafunzo/state/resume";

  function activity(id, definition) {
    var a = { objectType: "Activity", id: id };
    if (definition) { a.definition = definition; }
    return a;
  }

  function responseText(q, response) {
    if (q.interaction === "fill-in") { return String(response).split("[,]").join(","); }
    if (q.interaction === "matching") {
      return response.map(function (p) { return p[0] + "[.]" + p[1]; }).join("[,]");
    }
    return response.join("[,]");
  }

  function tracker(data, launch) {
    var config = data.runtime || {};
    var session = null;
    var startedAt = Date.now();
    var ended = false;
    var reported = { completed: false, judged: false };
    var place = { location: null, state: null };
    var ownActivity = (config.activities || {})[data.document] || data.course;

    function definitionOf(id) {
      if (id === config.course.id) {
        return { type: config.course.type, name: config.course.name, description: config.course.description };
      }
      var m = (config.modules || {})[id];
      return m ? { type: m.type, name: m.name, description: m.description } : null;
    }

    function context(options) {
      var c = session.contextTemplate ? JSON.parse(JSON.stringify(session.contextTemplate)) : {};
      if (session.registration) { c.registration = session.registration; }
      c.language = data.language;
      var ca = c.contextActivities = c.contextActivities || {};
      function add(kind, a) {
        ca[kind] = ca[kind] || [];
        if (!ca[kind].some(function (x) { return x.id === a.id; })) { ca[kind].push(a); }
      }
      if (config.course.id !== session.activityId) {
        add("grouping", activity(config.course.id, definitionOf(config.course.id)));
      }
      if (options.part) { add("parent", activity(session.activityId)); }
      if (session.cmi5 && options.defined) { add("category", activity(CMI5_CATEGORY)); }
      if (session.cmi5 && options.moveOn) { add("category", activity(MOVEON_CATEGORY)); }
      if (session.cmi5 && options.mastery !== undefined && options.mastery !== null) {
        c.extensions = c.extensions || {};
        c.extensions[MASTERY_EXTENSION] = options.mastery;
      }
      ["parent", "grouping", "category", "other"].forEach(function (k) {
        if (ca[k] && !ca[k].length) { delete ca[k]; }
      });
      return c;
    }

    function send(verb, object, result, options, when) {
      if (!session || ended) { return; }
      var s = {
        id: X.uuid(),
        actor: session.actor,
        verb: { id: VERBS[verb], display: { "en-US": verb } },
        object: object,
        context: context(options || {}),
        timestamp: (when || new Date()).toISOString()
      };
      if (result) { s.result = result; }
      session.client.sendStatement(s);
    }

    function ownObject() { return activity(session.activityId, definitionOf(ownActivity)); }
    function elapsed() { return X.duration((Date.now() - startedAt) / 1000); }
    function writes() { return session && session.launchMode !== "Review"; }
    function judges() { return session && session.launchMode === "Normal"; }

    function saveDocument() {
      if (!writes()) { return; }
      session.client.putDocument("activities/state", {
        activityId: session.activityId, agent: session.actor,
        registration: session.registration, stateId: STATE_ID
      }, { location: place.location, state: place.state, completed: reported.completed, judged: reported.judged });
    }

    function stop(leaving) {
      if (!session || ended) { return; }
      send("terminated", ownObject(), { duration: elapsed() }, { defined: true });
      ended = true;
      session.client.flush(leaving);
    }

    return {
      start: function () {
        session = launch();
        if (!session) { return { connected: false, location: null, state: null }; }
        startedAt = Date.now();
        var saved = session.client.getSync("activities/state", {
          activityId: session.activityId, agent: session.actor,
          registration: session.registration, stateId: STATE_ID
        }).json;
        if (saved && typeof saved === "object") {
          place.location = typeof saved.location === "string" ? saved.location : null;
          place.state = typeof saved.state === "string" ? saved.state : null;
          reported.completed = saved.completed === true;
          reported.judged = saved.judged === true;
        }
        send("initialized", ownObject(), null, { defined: true });
        return { connected: true, location: place.location, state: place.state };
      },
      pageViewed: function (page) {
        if (!session) { return; }
        var module = data.modules.filter(function (m) { return m.slug === page.module; })[0];
        var anchor = page.id.slice(page.module.length + 2);
        var title = document.getElementById(page.id + "-title");
        var name = {};
        name[data.language] = title ? title.textContent.trim() : anchor;
        send("experienced", activity(module.iri + "/" + encodeURIComponent(anchor), {
          type: PAGE_TYPE, name: name
        }), null, { part: true });
      },
      answered: function (a) {
        if (!session) { return; }
        var q = a.question;
        send("answered", activity(q.iri, (config.interactions || {})[q.iri]), {
          response: responseText(q, a.response), success: a.correct,
          duration: X.duration(a.latency)
        }, { part: true }, a.timestamp);
      },
      progress: function (r) {
        if (!judges()) { return; }
        var changed = false;
        if (r.completed && !reported.completed) {
          reported.completed = true;
          changed = true;
          send("completed", ownObject(), { completion: true, duration: elapsed() },
            { defined: true, moveOn: true });
        }
        if (r.scaled !== null && r.passed !== null && !reported.judged) {
          var mastery = session.masteryScore !== null ? session.masteryScore : data.mastery;
          var passed = mastery === null ? r.passed : r.scaled + 1e-9 >= mastery;
          reported.judged = true;
          changed = true;
          send(passed ? "passed" : "failed", ownObject(), {
            success: passed,
            score: { scaled: Math.round(r.scaled * 10000) / 10000, raw: Math.round(r.scaled * 10000) / 100, min: 0, max: 100 },
            duration: elapsed()
          }, { defined: true, moveOn: true, mastery: session.masteryScore !== null ? session.masteryScore : mastery });
        }
        if (changed) { saveDocument(); }
      },
      saveState: function (location, state) {
        if (!session) { return; }
        if (place.location === location && place.state === state) { return; }
        place.location = location;
        place.state = state;
        saveDocument();
      },
      commit: function () {
        if (!session) { return; }
        session.client.flush(document.visibilityState === "hidden");
      },
      end: function () { stop(true); },
      // Ends the session and calls `then` once the LRS has everything (or after 10 s at most).
      leave: function (then) {
        stop(false);
        var waited = 0;
        (function wait() {
          if (!session || !session.client.pending() || waited >= 10000) { then(); return; }
          waited += 100;
          window.setTimeout(wait, 100);
        }());
      },
      openModule: function () { return false; }
    };
  }

  X.tracker = tracker;
}());
