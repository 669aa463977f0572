/*
 * Mafunzo SCORM tracker for SCORM 1.2 and SCORM 2004 4th edition: the only script in a package
 * that talks to the LMS. mafunzo.js calls it through the tracker interface documented there.
 * data.runtime = { version: "1.2" | "2004", interactionIds: { questionIri: id }, items: { slug: itemId } }
 * Every call is guarded: an LMS that is missing, refuses a value or throws never breaks the page.
 */
(function () {
  "use strict";

  function findApi(start, name) {
    var win = start;
    var tries = 0;
    try {
      while (win && !win[name] && win.parent && win.parent !== win && tries < 500) {
        tries += 1;
        win = win.parent;
      }
      return win && win[name] ? win[name] : null;
    } catch (e) {
      return null; // a parent from another origin: stop looking there
    }
  }

  function discover(name) {
    var api = findApi(window, name);
    if (!api) {
      try { if (window.opener) { api = findApi(window.opener, name); } } catch (e) { api = null; }
    }
    return api;
  }

  function pad(n, width) { var s = String(n); while (s.length < width) { s = "0" + s; } return s; }

  // SCORM 1.2 CMITimespan HHHH:MM:SS.SS
  function timespan12(seconds) {
    var cs = Math.round(seconds * 100);
    var h = Math.min(9999, Math.floor(cs / 360000));
    var m = Math.floor(cs / 6000) % 60;
    var s = Math.floor(cs / 100) % 60;
    return pad(h, 4) + ":" + pad(m, 2) + ":" + pad(s, 2) + "." + pad(cs % 100, 2);
  }

  // SCORM 2004 timeinterval (ISO 8601 duration), at most two decimals of a second
  function timespan2004(seconds) {
    var cs = Math.round(seconds * 100);
    var h = Math.floor(cs / 360000);
    var m = Math.floor(cs / 6000) % 60;
    var s = (cs % 6000) / 100;
    return "PT" + (h ? h + "H" : "") + (m ? m + "M" : "") + s + "S";
  }

  function decimal(x) { return String(Math.round(x * 10000) / 10000); }

  var FORMATS = {
    "1.2": {
      apiName: "API",
      init: "LMSInitialize", finish: "LMSFinish", get: "LMSGetValue", set: "LMSSetValue",
      commit: "LMSCommit", error: "LMSGetLastError",
      location: "cmi.core.lesson_location", suspend: "cmi.suspend_data", exit: "cmi.core.exit",
      sessionTime: "cmi.core.session_time", count: "cmi.interactions._count",
      response: "student_response", wrong: "wrong", suspendExit: "suspend", normalExit: "",
      list: ",", pair: ".", timespan: timespan12,
      time: function (d) { return d.toISOString().slice(11, 19); },
      timeElement: "time",
      trueFalse: function (v) { return v === "true" ? "t" : "f"; },
      fillIn: function (text) { return text.slice(0, 255); },
      fillInPattern: function (text) { return text.slice(0, 255); },
      maxPatterns: 10
    },
    "2004": {
      apiName: "API_1484_11",
      init: "Initialize", finish: "Terminate", get: "GetValue", set: "SetValue",
      commit: "Commit", error: "GetLastError",
      location: "cmi.location", suspend: "cmi.suspend_data", exit: "cmi.exit",
      sessionTime: "cmi.session_time", count: "cmi.interactions._count",
      response: "learner_response", wrong: "incorrect", suspendExit: "suspend", normalExit: "normal",
      list: "[,]", pair: "[.]", timespan: timespan2004,
      time: function (d) { return d.toISOString().slice(0, 21) + "Z"; },
      timeElement: "timestamp",
      trueFalse: function (v) { return v; },
      // "[,]" separates answers and a leading "{" opens a delimiter such as {lang=..}
      fillIn: function (text) {
        var plain = text.split("[,]").join(",").slice(0, 250);
        return (plain.charAt(0) === "{" ? "{lang=}" : "") + plain;
      },
      fillInPattern: function (text, caseSensitive) {
        return "{case_matters=" + String(caseSensitive) + "}" + text.slice(0, 250);
      },
      maxPatterns: 5
    }
  };

  function create(data) {
    var config = data.runtime || {};
    var f = FORMATS[config.version] || FORMATS["2004"];
    var api = discover(f.apiName);
    var live = false;
    var ended = false;
    var startedAt = Date.now();
    var next = 0;
    var last = {};
    var finished = false;

    function call(method, a, b) {
      if (!live && method !== f.init) { return ""; }
      try { return String(api[method](a, b)); } catch (e) { return ""; }
    }
    function get(element) { return call(f.get, element); }
    function set(element, value) {
      return call(f.set, element, String(value)) === "true";
    }
    function setOnce(element, value) {
      if (last[element] === String(value)) { return; }
      if (set(element, value)) { last[element] = String(value); }
    }

    function responseText(q, response) {
      if (q.interaction === "true-false") { return f.trueFalse(response[0]); }
      if (q.interaction === "fill-in") { return f.fillIn(response); }
      if (q.interaction === "matching") {
        return response.map(function (p) { return p[0] + f.pair + p[1]; }).join(f.list);
      }
      return response.join(f.list);
    }
    // SCORM 2004 describes an interaction in a localized string of at most 250 characters:
    // the question as the learner read it, in the page's language.
    function description(q) {
      var legend = document.querySelector("#" + q.dom + " legend");
      var text = legend ? legend.textContent.replace(/\s+/g, " ").trim() : "";
      var tag = "{lang=" + document.documentElement.lang + "}";
      var room = 250 - tag.length;
      return text && tag + (text.length > room ? text.slice(0, room - 1) + "\u2026" : text);
    }
    function patterns(q) {
      if (q.interaction === "true-false") { return [f.trueFalse(q.correct[0])]; }
      if (q.interaction === "fill-in") {
        return q.correct.slice(0, f.maxPatterns).map(function (a) {
          return f.fillInPattern(a, q.caseSensitive);
        });
      }
      if (q.interaction === "matching") {
        return [q.correct.map(function (c) { return c + f.pair + c; }).join(f.list)];
      }
      return [q.correct.join(f.list)];
    }

    return {
      start: function () {
        if (!api || call(f.init, "") !== "true") {
          return { connected: false, location: null, state: null };
        }
        live = true;
        if (config.version === "1.2") {
          var status = get("cmi.core.lesson_status");
          if (status === "not attempted" || status === "") { setOnce("cmi.core.lesson_status", "incomplete"); }
        } else {
          var completion = get("cmi.completion_status");
          if (completion === "unknown" || completion === "not attempted" || completion === "") {
            setOnce("cmi.completion_status", "incomplete");
          }
        }
        next = parseInt(get(f.count), 10) || 0;
        setOnce(f.exit, f.suspendExit);
        return { connected: true, location: get(f.location) || null, state: get(f.suspend) || null };
      },
      pageViewed: function () {},
      answered: function (a) {
        if (!live) { return; }
        var q = a.question;
        var base = "cmi.interactions." + next + ".";
        next += 1;
        set(base + "id", (config.interactionIds || {})[q.iri] || q.iri);
        set(base + "type", q.interaction);
        if (config.version !== "1.2" && description(q)) { set(base + "description", description(q)); }
        set(base + f.timeElement, f.time(a.timestamp));
        set(base + "weighting", decimal(q.weight));
        set(base + f.response, responseText(q, a.response));
        set(base + "result", a.correct ? "correct" : f.wrong);
        set(base + "latency", f.timespan(a.latency));
        patterns(q).forEach(function (p, k) { set(base + "correct_responses." + k + ".pattern", p); });
      },
      progress: function (r) {
        if (!live) { return; }
        finished = r.finished;
        if (config.version === "1.2") {
          if (r.scaled !== null) {
            setOnce("cmi.core.score.min", "0");
            setOnce("cmi.core.score.max", "100");
            setOnce("cmi.core.score.raw", decimal(r.scaled * 100));
          }
          var status = r.passed === true ? "passed" : r.passed === false ? "failed"
            : r.completed ? "completed" : "incomplete";
          setOnce("cmi.core.lesson_status", status);
        } else {
          setOnce("cmi.progress_measure", decimal(r.progress));
          setOnce("cmi.completion_status", r.completed ? "completed" : "incomplete");
          if (r.scaled !== null) {
            setOnce("cmi.score.scaled", decimal(r.scaled));
            setOnce("cmi.score.raw", decimal(r.scaled * 100));
            setOnce("cmi.score.min", "0");
            setOnce("cmi.score.max", "100");
          }
          if (r.passed !== null) { setOnce("cmi.success_status", r.passed ? "passed" : "failed"); }
        }
        setOnce(f.exit, finished ? f.normalExit : f.suspendExit);
      },
      saveState: function (location, state) {
        if (!live) { return; }
        setOnce(f.location, location);
        setOnce(f.suspend, state);
      },
      commit: function () { if (live) { call(f.commit, ""); } },
      end: function () {
        if (!live || ended) { return; }
        ended = true;
        setOnce(f.exit, finished ? f.normalExit : f.suspendExit);
        set(f.sessionTime, f.timespan((Date.now() - startedAt) / 1000));
        call(f.commit, "");
        call(f.finish, "");
        live = false;
      },
      openModule: function (slug) {
        var item = (config.items || {})[slug];
        if (!live || config.version !== "2004" || !item) { return false; }
        if (!set("adl.nav.request", "{target=" + item + "}choice")) { return false; }
        this.end();
        return true;
      }
    };
  }

  window.MafunzoRuntime = { create: create };
}());
