/* Mafunzo's SCORM API adapter: window.API (1.2) and window.API_1484_11 (2004).
 *
 * Answers the SCO at once from a local copy of the attempt's data, validating every SetValue
 * with the rule table the server sends (the same table the server validates with again at
 * Commit). Commits go to the server in numbered batches, retried until acknowledged, and are
 * flushed with navigator.sendBeacon when the page is hidden.
 */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("player-config").textContent);
  var model = config.model;
  var errors = model.errors;
  var values = config.values;
  var counts = config.counts;
  var state = "not initialized";
  var lastError = 0;
  var calls = [];         // calls since the last Commit
  var unsent = [];        // batches not yet acknowledged by the server, in order
  var seq = 0;
  var sending = false;
  var rejected = null;    // the server's message when it refused a batch
  var retryDelay = 500;
  var leaving = false;    // the page is going away: only beacons still get through
  var ending = false;     // the LMS ends the session (time limit): no SCO navigation is followed
  var settle = null;      // resolves the promise of end() once the server has everything
  var notice = document.getElementById("player-notice");
  // The notice's words come translated in its data- attributes; "{x}" marks where a value goes.
  function words(key, value) {
    return notice ? notice.dataset[key].replace(/\{\w+\}/, function () { return value; }) : "";
  }

  function fail(name) { lastError = errors[name]; return false; }

  function patternOf(element) {
    var indexes = [];
    var parts = element.split(".").map(function (part) {
      if (/^\d+$/.test(part)) { indexes.push(parseInt(part, 10)); return "n"; }
      return part;
    });
    return { pattern: parts.join("."), indexes: indexes };
  }

  function knownPrefix(prefix) {
    return Object.keys(model.rules).some(function (name) {
      return name === prefix || name.indexOf(prefix + ".") === 0;
    });
  }

  function ruleFor(element, failure) {
    if (element === "") { fail(failure); return null; }
    var found = patternOf(element);
    var rule = model.rules[found.pattern];
    if (!rule) {
      var cut = found.pattern.lastIndexOf(".");
      var last = found.pattern.slice(cut + 1), parent = found.pattern.slice(0, cut);
      if (last === "_children" && knownPrefix(parent)) { fail("no_children"); return null; }
      if (last === "_count" && knownPrefix(parent)) { fail("no_count"); return null; }
      var unimplemented = model.version === "1.2" ? ["cmi."] : ["adl.data"];
      fail(unimplemented.some(function (p) { return found.pattern.indexOf(p) === 0; })
        ? "unimplemented" : "undefined");
      return null;
    }
    return { access: rule[0], type: rule[1], children: rule[2], pattern: found.pattern };
  }

  function indexesExist(element) {
    var parts = element.split("."), prefix = [];
    for (var i = 0; i < parts.length; i++) {
      if (/^\d+$/.test(parts[i]) && parseInt(parts[i], 10) >= (counts[prefix.join(".")] || 0)) {
        return false;
      }
      prefix.push(parts[i]);
    }
    return true;
  }

  function number(text) { return text === undefined || text === "" ? null : parseFloat(text); }

  function derived(element) {
    if (model.version !== "2004") { return null; }
    if (element === "cmi.completion_status") {
      var threshold = number(values["cmi.completion_threshold"]);
      var measure = number(values["cmi.progress_measure"]);
      if (threshold !== null && measure !== null) { return measure >= threshold ? "completed" : "incomplete"; }
      if (threshold !== null && !(element in values)) { return "unknown"; }
    }
    if (element === "cmi.success_status") {
      var passing = number(values["cmi.scaled_passing_score"]);
      var scaled = number(values["cmi.score.scaled"]);
      if (passing !== null && scaled !== null) { return scaled >= passing ? "passed" : "failed"; }
      if (passing !== null && !(element in values)) { return "unknown"; }
    }
    return null;
  }

  var DEFAULTS = model.version === "1.2"
    ? { "cmi.core.lesson_status": "not attempted", "cmi.core.credit": "credit",
        "cmi.core.lesson_mode": "normal", "cmi.core.entry": "",
        "cmi.core.total_time": "0000:00:00.00", "cmi.student_preference.audio": "0",
        "cmi.student_preference.speed": "0", "cmi.student_preference.text": "0" }
    : { "cmi.completion_status": "unknown", "cmi.success_status": "unknown",
        "cmi.credit": "credit", "cmi.mode": "normal", "cmi.entry": "", "cmi.total_time": "PT0S",
        "cmi.learner_preference.audio_level": "1", "cmi.learner_preference.language": "",
        "cmi.learner_preference.delivery_speed": "1",
        "cmi.learner_preference.audio_captioning": "0", "adl.nav.request": "_none_",
        "adl.nav.request_valid.continue": "unknown", "adl.nav.request_valid.previous": "unknown" };

  function running(what) {
    if (state === "not initialized") { return fail(what + "_before_init"); }
    if (state === "terminated") { return fail(what + "_after_term"); }
    return true;
  }

  function getValue(element) {
    element = String(element);
    if (!running("get")) { return ""; }
    var rule = ruleFor(element, "general_get");
    if (!rule) { return ""; }
    if (rule.access === "wo") { fail("write_only"); return ""; }
    if (element === "cmi._version") { lastError = 0; return "1.0"; }
    var name = element.slice(element.lastIndexOf(".") + 1);
    if (name === "_children") { lastError = 0; return rule.children; }
    if (name === "_count") {
      var collection = element.slice(0, element.lastIndexOf("."));
      if (!indexesExist(collection)) { fail("general_get"); return ""; }
      lastError = 0;
      return String(counts[collection] || 0);
    }
    if (!indexesExist(element)) { fail("general_get"); return ""; }
    var value = derived(element);
    if (value === null) { value = element in values ? values[element] : null; }
    if (value === null && element.indexOf("cmi.objectives.") === 0 && /_status$/.test(element) && model.version === "2004") { value = "unknown"; }
    if (value === null && element in DEFAULTS) { value = DEFAULTS[element]; }
    if (value === null) {
      if (model.unsetIsError) { fail("not_initialized_value"); return ""; }
      value = "";
    }
    lastError = 0;
    return value;
  }

  function checkRecords(element) {
    var parts = element.split("."), created = [];
    for (var i = 0; i < parts.length; i++) {
      if (!/^\d+$/.test(parts[i])) { continue; }
      var collection = parts.slice(0, i).join("."), index = parseInt(parts[i], 10);
      var count = counts[collection] || 0;
      if (index > count) { fail("general_set"); return null; }
      if (index === count) {
        var required = model.firstField[patternOf(collection).pattern];
        if (required && parts.slice(i + 1).join(".") !== required) { fail("dependency"); return null; }
        created.push([collection, index]);
      }
    }
    return created;
  }

  function checkValue(element, rule, value) {
    var type = rule.type, typed = model.typedValues[rule.pattern];
    if (typed) {
      var record = element.split(".").slice(0, -typed[0]).join(".");
      var kind = values[record + ".type"];
      if (kind === undefined && model.unsetIsError) { return fail("dependency"); }
      type = typed[1][kind || ""] || type;
    }
    var expression = new RegExp("^(?:" + (model.types[type] || "[\\s\\S]*") + ")$");
    if (!expression.test(value)) { return fail("type_mismatch"); }
    var range = model.ranges[type];
    if (range && value !== "") {
      var n = parseFloat(value);
      if ((range[0] !== null && n < range[0]) || (range[1] !== null && n > range[1])) {
        return fail("out_of_range");
      }
    }
    if (/\.n\.id$/.test(rule.pattern)) {
      var collection = element.split(".").slice(0, -2).join(".");
      if (model.uniqueIds.indexOf(patternOf(collection).pattern) >= 0) {
        if (model.unsetIsError && element in values && values[element] !== value) { return fail("general_set"); }
        for (var i = 0; i < (counts[collection] || 0); i++) {
          var other = collection + "." + i + ".id";
          if (other !== element && values[other] === value) { return fail("general_set"); }
        }
      }
    }
    return true;
  }

  function setValue(element, value) {
    element = String(element);
    value = String(value);
    if (!running("set")) { return false; }
    var rule = ruleFor(element, "general_set");
    if (!rule) { return false; }
    var name = element.slice(element.lastIndexOf(".") + 1);
    if (name === "_children" || name === "_count" || name === "_version") { return fail("keyword_set"); }
    if (rule.access === "ro") { return fail("read_only"); }
    var created = checkRecords(element);
    if (created === null) { return false; }
    if (!checkValue(element, rule, value)) { return false; }
    values[element] = value;
    created.forEach(function (record) { counts[record[0]] = record[1] + 1; });
    calls.push(["SetValue", element, value]);
    lastError = 0;
    return true;
  }

  function show(message) {
    if (notice) { notice.textContent = message; notice.hidden = false; }
  }

  function body(batches) {
    return JSON.stringify({ csrf: config.csrf, session: config.session, batches: batches });
  }

  function closeBatch(final) {
    if (!calls.length && !final) { return; }
    seq += 1;
    unsent.push({ seq: seq, time: new Date().toISOString(), calls: calls, final: !!final });
    calls = [];
  }

  function send() {
    if (leaving) { beacon(); return; }
    if (sending || !unsent.length || rejected) { return; }
    sending = true;
    var batches = unsent.slice();
    fetch(config.commitUrl, { method: "POST", body: body(batches), credentials: "same-origin",
                              keepalive: true, headers: { "Content-Type": "text/plain" } })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          sending = false;
          if (answer.ended) {
            // The server ended the session (the time limit): it stored this commit (200) or had
            // ended before it (409), and takes nothing more.
            ended();
          } else if (response.ok) {
            unsent = unsent.slice(batches.length);
            retryDelay = 500;
            if (notice && !rejected) { notice.hidden = true; }
            send();
          } else if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
            rejected = answer.message || words("refusedStatus", response.status);
            show(words("refused", rejected));
          } else {
            retry();
          }
          settled();
        });
      }, function () { sending = false; retry(); });
  }

  /* The server ended the SCO session: the SCO's later calls fail as after Terminate, and the
     player is told so that it closes the SCO. */
  function ended() {
    state = "terminated";
    calls = [];
    unsent = [];
    window.dispatchEvent(new CustomEvent("mafunzo:time-up"));
  }

  function settled() {
    if (settle && ((!unsent.length && !sending) || rejected)) {
      var done = settle;
      settle = null;
      done(!rejected);
    }
  }

  /* The LMS ends the SCO session (its time is up): `unload` takes the SCO away, which lets it
     save on its way out, and may return a promise of when it is gone (a window closes later than
     a frame); what the SCO has not terminated by then ends here. Resolves when the server has
     every batch (true) or refused one (false). */
  function end(unload) {
    ending = true;
    return Promise.resolve(unload()).then(function () {
      if (state !== "terminated") {
        state = "terminated";
        closeBatch(true);
      }
      return new Promise(function (resolve) {
        settle = resolve;
        send();
        settled();
      });
    });
  }

  function retry() {
    show(words("retrying", ""));
    setTimeout(send, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }

  /* Send what the server has not acknowledged; `leaving` marks the batch with which the SCO
     session may end (the page goes away), so a suspension is recorded. */
  function flushWithBeacon(final) {
    if (rejected || !navigator.sendBeacon || state === "not initialized") { return; }
    if (state === "running") { closeBatch(final); }
    beacon();
  }

  /* Batches the server already stored are skipped by their number, so resending is safe. */
  function beacon() {
    if (!unsent.length || rejected || !navigator.sendBeacon) { return; }
    navigator.sendBeacon(config.commitUrl, new Blob([body(unsent)], { type: "text/plain" }));
  }

  function simple(what, argument, action) {
    if (String(argument === undefined ? "" : argument) !== "") { return fail("argument"); }
    if (what === "initialize") {
      if (state === "running") { return fail("already_initialized"); }
      if (state === "terminated") { return fail("instance_terminated"); }
    } else if (!running(what)) {
      return false;
    }
    if (rejected) { return fail(what === "commit" ? "general_commit" : what === "terminate" ? "general_termination" : "general"); }
    action();
    lastError = 0;
    return true;
  }

  function initialize(argument) {
    return simple("initialize", argument, function () {
      state = "running";
      calls.push(["Initialize", ""]);
      closeBatch();
      send();
    });
  }

  function commit(argument) {
    return simple("commit", argument, function () {
      calls.push(["Commit", ""]);
      closeBatch();
      send();
    });
  }

  function terminate(argument) {
    return simple("terminate", argument, function () {
      state = "terminated";
      calls.push(["Terminate", ""]);
      closeBatch();
      send();
      // A session the LMS ends for the time limit exits the course (SCORM 2004: Exit All), and
      // so does a SCO that leaves with cmi.exit time-out or logout, whatever it requested.
      var exitAll = /^(time-out|logout)$/.test(values["cmi.exit"] || "");
      var request = model.version !== "2004" || ending ? ""
        : exitAll ? "exitAll" : values["adl.nav.request"] || "";
      var choice = /^\{target=([^}]+)\}(?:choice|jump)$/.exec(request);
      var target = request === "continue" ? config.next : request === "previous" ? config.previous
        : choice ? config.choices[choice[1]]
        : /^(exit|exitAll|suspendAll|abandon|abandonAll)$/.test(request) ? config.exitUrl : null;
      if (target) { setTimeout(function () { window.location.href = target; }, 0); }
    });
  }

  function bool(result) { return result ? "true" : "false"; }
  function errorString(code) { return model.messages[String(code)] || ""; }

  window.addEventListener("pagehide", function () { leaving = true; flushWithBeacon(true); });
  window.addEventListener("pageshow", function () { leaving = false; });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { flushWithBeacon(false); }
  });

  if (model.version === "1.2") {
    window.API = {
      LMSInitialize: function (a) { return bool(initialize(a)); },
      LMSFinish: function (a) { return bool(terminate(a)); },
      LMSGetValue: function (e) { return getValue(e); },
      LMSSetValue: function (e, v) { return bool(setValue(e, v)); },
      LMSCommit: function (a) { return bool(commit(a)); },
      LMSGetLastError: function () { return String(lastError); },
      LMSGetErrorString: function (c) { return errorString(c); },
      LMSGetDiagnostic: function (c) { return errorString(c || lastError); }
    };
  } else {
    window.API_1484_11 = {
      Initialize: function (a) { return bool(initialize(a)); },
      Terminate: function (a) { return bool(terminate(a)); },
      GetValue: function (e) { return getValue(e); },
      SetValue: function (e, v) { return bool(setValue(e, v)); },
      Commit: function (a) { return bool(commit(a)); },
      GetLastError: function () { return String(lastError); },
      GetErrorString: function (c) { return errorString(c); },
      GetDiagnostic: function (c) { return errorString(c || lastError); }
    };
  }
  window.MafunzoRuntime = {
    pending: function () { return unsent.length + (calls.length ? 1 : 0); },
    terminated: function () { return state === "terminated"; },
    end: end
  };
})();
