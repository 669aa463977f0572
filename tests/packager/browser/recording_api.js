/*
 * A recording LMS for tests: window.API (SCORM 1.2) and window.API_1484_11 (SCORM 2004 4th ed.)
 * that enforce the run-time data model a SCO may use (read-only and write-only elements, types,
 * vocabularies, the order of interaction elements) with each standard's error codes, and log every
 * call in window.recorder.calls as { method, args, result, error }.
 */
(function () {
  "use strict";

  var TIMESPAN12 = /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/;
  var TIME12 = /^\d{2}:\d{2}:\d{2}(\.\d{1,2})?$/;
  var DECIMAL = /^-?\d+(\.\d+)?$/;
  var ID12 = /^[\x21-\x7e]{1,255}$/;
  var CHAR12 = /^[0-9a-z]$/;
  var DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$/;
  var TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,2})?(Z|[+-]\d{2}(:\d{2})?)?$/;
  var URI = /^[A-Za-z][A-Za-z0-9+.-]*:[\x21-\x7e]+$/;
  var SHORT_ID = /^[^\s\[\]]+$/;

  function decimalIn(lo, hi) {
    return function (v) { return DECIMAL.test(v) && Number(v) >= lo && Number(v) <= hi; };
  }
  function vocab(words) { return function (v) { return words.indexOf(v) >= 0; }; }
  function maxLen(n) { return function (v) { return v.length <= n; }; }
  function list(sep, item) {
    return function (v) { return v.split(sep).every(function (x) { return item(x); }); };
  }

  function response12(type, v) {
    if (type === "true-false") { return /^[01tf]$/.test(v); }
    if (type === "choice" || type === "sequencing") { return list(",", function (x) { return CHAR12.test(x); })(v); }
    if (type === "matching") {
      return list(",", function (x) { return /^[0-9a-z]\.[0-9a-z]$/.test(x); })(v);
    }
    if (type === "fill-in") { return v.length <= 255; }
    return false;
  }
  function response2004(type, v, pattern) {
    if (type === "true-false") { return v === "true" || v === "false"; }
    if (type === "choice" || type === "sequencing") {
      return list("[,]", function (x) { return SHORT_ID.test(x); })(v);
    }
    if (type === "matching") {
      return list("[,]", function (x) {
        var p = x.split("[.]");
        return p.length === 2 && SHORT_ID.test(p[0]) && SHORT_ID.test(p[1]);
      })(v);
    }
    if (type === "fill-in") {
      var rest = v;
      if (pattern) { rest = rest.replace(/^\{case_matters=(true|false)\}/, "").replace(/^\{order_matters=(true|false)\}/, ""); }
      rest = rest.replace(/^\{lang=[A-Za-z-]*\}/, "");
      return rest.indexOf("[,]") < 0 && rest.length <= 250 && rest.charAt(0) !== "{";
    }
    return false;
  }

  var MODELS = {
    "1.2": {
      errors: { notInitialized: "301", unknown: "401", readOnly: "403", writeOnly: "404", type: "405",
                general: "101", argument: "201", dependency: "405" },
      elements: {
        "cmi.core.student_id": { r: true }, "cmi.core.student_name": { r: true },
        "cmi.core.credit": { r: true }, "cmi.core.entry": { r: true }, "cmi.core.total_time": { r: true },
        "cmi.core.lesson_mode": { r: true }, "cmi.launch_data": { r: true },
        "cmi.core.lesson_location": { r: true, w: maxLen(255) },
        "cmi.core.lesson_status": { r: true, w: vocab(["passed", "completed", "failed", "incomplete", "browsed"]) },
        "cmi.core.score.raw": { r: true, w: decimalIn(0, 100) },
        "cmi.core.score.min": { r: true, w: decimalIn(0, 100) },
        "cmi.core.score.max": { r: true, w: decimalIn(0, 100) },
        "cmi.core.exit": { w: vocab(["time-out", "suspend", "logout", ""]) },
        "cmi.core.session_time": { w: function (v) { return TIMESPAN12.test(v); } },
        "cmi.suspend_data": { r: true, w: maxLen(4096) },
        "cmi.interactions._count": { r: true }
      },
      interaction: {
        id: { w: function (v) { return ID12.test(v); } },
        type: { w: vocab(["true-false", "choice", "fill-in", "matching", "performance", "sequencing", "likert", "numeric"]) },
        student_response: { w: "response" },
        result: { w: function (v) { return vocab(["correct", "wrong", "unanticipated", "neutral"])(v) || DECIMAL.test(v); } },
        weighting: { w: function (v) { return DECIMAL.test(v); } },
        latency: { w: function (v) { return TIMESPAN12.test(v); } },
        time: { w: function (v) { return TIME12.test(v); } }
      },
      responseOk: response12,
      responseName: "student_response"
    },
    "2004": {
      errors: { notInitialized: "132", notInitializedGet: "122", unknown: "401", readOnly: "404", writeOnly: "405",
                type: "406", range: "407", dependency: "408", general: "103", terminated: "104",
                afterTerminate: "143", getAfterTerminate: "123", argument: "201" },
      elements: {
        "cmi.learner_id": { r: true }, "cmi.learner_name": { r: true }, "cmi.credit": { r: true },
        "cmi.entry": { r: true }, "cmi.mode": { r: true }, "cmi.total_time": { r: true },
        "cmi.launch_data": { r: true }, "cmi.completion_threshold": { r: true },
        "cmi.scaled_passing_score": { r: true },
        "cmi.location": { r: true, w: maxLen(1000) },
        "cmi.completion_status": { r: true, w: vocab(["completed", "incomplete", "not attempted", "unknown"]) },
        "cmi.success_status": { r: true, w: vocab(["passed", "failed", "unknown"]) },
        "cmi.score.scaled": { r: true, w: decimalIn(-1, 1) },
        "cmi.score.raw": { r: true, w: function (v) { return DECIMAL.test(v); } },
        "cmi.score.min": { r: true, w: function (v) { return DECIMAL.test(v); } },
        "cmi.score.max": { r: true, w: function (v) { return DECIMAL.test(v); } },
        "cmi.progress_measure": { r: true, w: decimalIn(0, 1) },
        "cmi.exit": { w: vocab(["time-out", "suspend", "logout", "normal", ""]) },
        "cmi.session_time": { w: function (v) { return DURATION.test(v); } },
        "cmi.suspend_data": { r: true, w: maxLen(64000) },
        "cmi.interactions._count": { r: true },
        "adl.nav.request": { r: true, w: function (v) { return /^(\{target=[^}]+\}choice|continue|previous|exit|exitAll|abandon|abandonAll|suspendAll|_none_)$/.test(v); } }
      },
      interaction: {
        id: { r: true, w: function (v) { return URI.test(v) && v.length <= 4000; } },
        type: { r: true, w: vocab(["true-false", "choice", "fill-in", "long-fill-in", "matching", "performance", "sequencing", "likert", "numeric", "other"]) },
        learner_response: { r: true, w: "response" },
        result: { r: true, w: function (v) { return vocab(["correct", "incorrect", "unanticipated", "neutral"])(v) || DECIMAL.test(v); } },
        weighting: { r: true, w: function (v) { return DECIMAL.test(v); } },
        latency: { r: true, w: function (v) { return DURATION.test(v); } },
        timestamp: { r: true, w: function (v) { return TIMESTAMP.test(v); } },
        description: { r: true, w: maxLen(250) }
      },
      responseOk: response2004,
      responseName: "learner_response"
    }
  };

  function Recorder(version, initial) {
    var model = MODELS[version];
    var E = model.errors;
    var values = {};
    var interactions = [];
    var state = "not initialized";
    var lastError = "0";
    var calls = [];
    Object.keys(initial || {}).forEach(function (k) { values[k] = initial[k]; });
    var keepCount = Number(values["cmi.interactions._count"] || 0);
    for (var i = 0; i < keepCount; i += 1) { interactions.push({ id: "kept-" + i, patterns: [] }); }
    delete values["cmi.interactions._count"];

    function fail(code) { lastError = code; return version === "1.2" ? "false" : "false"; }
    function ok(result) { lastError = "0"; return result; }

    function interactionSet(element, value) {
      var m = /^cmi\.interactions\.(\d+)\.(.+)$/.exec(element);
      if (!m) { return null; }
      var n = Number(m[1]);
      var field = m[2];
      if (n > interactions.length) { return fail(version === "1.2" ? E.unknown : E.dependency); }
      var cp = /^correct_responses\.(\d+)\.pattern$/.exec(field);
      var spec = cp ? { w: "pattern" } : model.interaction[field];
      if (!spec || !spec.w) { return fail(spec ? E.readOnly : E.unknown); }
      if (n === interactions.length && field !== "id") { return fail(version === "1.2" ? E.type : E.dependency); }
      if (n === interactions.length) { interactions.push({ patterns: [] }); }
      var record = interactions[n];
      if (spec.w === "response" || spec.w === "pattern") {
        if (!record.type) { return fail(version === "1.2" ? E.type : E.dependency); }
        if (!model.responseOk(record.type, value, spec.w === "pattern")) { return fail(E.type); }
        if (cp) {
          if (Number(cp[1]) > record.patterns.length) { return fail(version === "1.2" ? E.unknown : E.dependency); }
          record.patterns[Number(cp[1])] = value;
        } else { record.response = value; }
        return ok("true");
      }
      if (!spec.w(value)) { return fail(E.type); }
      record[field] = value;
      return ok("true");
    }

    var api = {
      init: function (arg) {
        if (arg !== "") { return fail(E.argument); }
        if (state === "running") { return fail(E.general); }
        if (state === "terminated") { return fail(E.terminated || E.general); }
        state = "running";
        return ok("true");
      },
      finish: function (arg) {
        if (arg !== "") { return fail(E.argument); }
        if (state !== "running") { return fail(version === "1.2" ? E.notInitialized : (state === "terminated" ? "113" : "112")); }
        state = "terminated";
        return ok("true");
      },
      get: function (element) {
        if (state !== "running") { return (fail(state === "terminated" && E.getAfterTerminate ? E.getAfterTerminate : (E.notInitializedGet || E.notInitialized)), ""); }
        if (element === "cmi.interactions._count") { lastError = "0"; return String(interactions.length); }
        var spec = model.elements[element];
        var im = /^cmi\.interactions\.(\d+)\.(\w+)$/.exec(element);
        if (im && version === "2004" && Number(im[1]) < interactions.length) {
          lastError = "0";
          var rec = interactions[Number(im[1])];
          return rec[im[2] === "learner_response" ? "response" : im[2]] || "";
        }
        if (!spec) { fail(im ? (version === "1.2" ? E.writeOnly : E.unknown) : E.unknown); return ""; }
        if (!spec.r) { fail(E.writeOnly); return ""; }
        lastError = "0";
        return values[element] === undefined ? "" : String(values[element]);
      },
      set: function (element, value) {
        if (state !== "running") { return fail(state === "terminated" && E.afterTerminate ? E.afterTerminate : E.notInitialized); }
        if (typeof value !== "string") { return fail(E.type); }
        var handled = interactionSet(element, value);
        if (handled !== null) { return handled; }
        var spec = model.elements[element];
        if (!spec) { return fail(E.unknown); }
        if (!spec.w) { return fail(E.readOnly); }
        if (!spec.w(value)) { return fail(E.type); }
        values[element] = value;
        return ok("true");
      },
      commit: function (arg) {
        if (arg !== "") { return fail(E.argument); }
        if (state !== "running") { return fail(E.notInitialized); }
        return ok("true");
      }
    };

    function record(method, fn) {
      return function () {
        var args = Array.prototype.slice.call(arguments);
        var result = fn.apply(null, args);
        calls.push({ method: method, args: args, result: String(result), error: lastError });
        return result;
      };
    }
    var names = version === "1.2"
      ? { init: "LMSInitialize", finish: "LMSFinish", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit",
          error: "LMSGetLastError", string: "LMSGetErrorString", diag: "LMSGetDiagnostic" }
      : { init: "Initialize", finish: "Terminate", get: "GetValue", set: "SetValue", commit: "Commit",
          error: "GetLastError", string: "GetErrorString", diag: "GetDiagnostic" };
    var exposed = {};
    ["init", "finish", "get", "set", "commit"].forEach(function (k) { exposed[names[k]] = record(names[k], api[k]); });
    exposed[names.error] = function () { return lastError; };
    exposed[names.string] = function (code) { return "error " + code; };
    exposed[names.diag] = function (code) { return "diagnostic " + code; };
    this.api = exposed;
    this.calls = calls;
    this.values = values;
    this.interactions = interactions;
    this.state = function () { return state; };
  }

  window.startSco = function (version, src, initial) {
    var recorder = new Recorder(version, initial);
    window.recorder = recorder;
    window[version === "1.2" ? "API" : "API_1484_11"] = recorder.api;
    var frame = document.createElement("iframe");
    frame.title = "SCO";
    frame.src = src;
    document.body.appendChild(frame);
  };
  window.endSco = function () {
    window.recorder.calls.push({ method: "(page hidden)", args: [], result: "", error: "0" });
    var frame = document.querySelector("iframe");
    frame.parentNode.removeChild(frame);
  };
}());
