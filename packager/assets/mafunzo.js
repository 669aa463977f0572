/*
 * Mafunzo page script: shows one page at a time, checks and scores questions, keeps the learner's
 * place and answers, and tells a tracker about it. The tracker is the only part that knows a
 * standard: a runtime script (scorm-runtime.js, later xAPI or cmi5) sets window.MafunzoRuntime to
 * { create: function (data) { return tracker; } }. A tracker has these methods:
 *   start()                 -> { connected: bool, location: string|null, state: string|null }
 *   pageViewed(page)        page = { index, id, module (slug) }
 *   answered(answer)        answer = { question (data entry), response, correct, latency (s), timestamp (Date) }
 *   progress(result)        result = { progress 0..1, completed, scaled (0..1 or null), passed (bool or null), finished }
 *   saveState(location, state)   both strings; state has data.stateLength characters exactly
 *   commit()                the page may be going away: make everything durable
 *   end()                   the page is going away for good: last call
 *   openModule(slug)        -> true when the tracker takes the learner to another module's document
 * The resume state layout is documented in packager/render/state.py.
 */
(function () {
  "use strict";

  var ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var SHORT_MAX = 60;
  var root = document.documentElement;
  root.classList.add("js");
  var data = JSON.parse(document.getElementById("mafunzo-data").textContent);
  var S = data.strings;
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.page"));
  var forms = Array.prototype.slice.call(document.querySelectorAll("form.question"));
  var notice = document.getElementById("notice");
  var prev = document.querySelector(".pager .prev");
  var next = document.querySelector(".pager .next");
  var progressText = document.querySelector(".pager .progress");
  var toc = document.getElementById("toc");
  var tocToggle = document.querySelector(".toc-toggle");

  var nullTracker = {
    start: function () { return { connected: false, location: null, state: null }; },
    pageViewed: function () {}, answered: function () {}, progress: function () {},
    saveState: function () {}, commit: function () {}, end: function () {},
    openModule: function () { return false; }
  };
  var tracker = window.MafunzoRuntime ? window.MafunzoRuntime.create(data) : nullTracker;

  var current = -1;
  var visited = sections.map(function () { return false; });
  var answers = data.questions.map(function () { return null; }); // { response, correct }
  var shownAt = sections.map(function () { return Date.now(); });
  var finishedReported = false;

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (m, key) { return key in values ? values[key] : m; });
  }

  // ---- resume state: fixed-width slots (see packager/render/state.py) ----
  function digitsFor(values) { var w = 1; while (Math.pow(64, w) < values) { w += 1; } return w; }
  function encodeInt(n, width) {
    var out = "";
    for (var i = 0; i < width; i += 1) { out = ALPHABET.charAt(n % 64) + out; n = Math.floor(n / 64); }
    return out;
  }
  function decodeInt(text) {
    var n = 0;
    for (var i = 0; i < text.length; i += 1) {
      var d = ALPHABET.indexOf(text.charAt(i));
      if (d < 0) { return -1; }
      n = n * 64 + d;
    }
    return n;
  }
  function encodeBits(bits) {
    var out = "";
    for (var i = 0; i < bits.length; i += 6) {
      var n = 0;
      for (var j = 0; j < 6; j += 1) { if (bits[i + j]) { n += 1 << j; } }
      out += ALPHABET.charAt(n);
    }
    return out;
  }
  function decodeBits(text, count) {
    var bits = [];
    for (var i = 0; i < count; i += 1) {
      var n = ALPHABET.indexOf(text.charAt(Math.floor(i / 6)));
      bits.push(n >= 0 && ((n >> (i % 6)) & 1) === 1);
    }
    return bits;
  }

  function encodeAnswer(q, answer) {
    var n = q.choices.length;
    var response = answer && answer.response;
    if (q.type === "single" || q.type === "true-false") {
      return encodeInt(response ? q.choices.indexOf(response[0]) + 1 : 0, digitsFor(n + 1));
    }
    if (q.type === "multiple") {
      var bits = [!!response].concat(q.choices.map(function (c) {
        return !!response && response.indexOf(c) >= 0;
      }));
      return encodeBits(bits);
    }
    if (q.type === "ordering") {
      var w = digitsFor(n + 1);
      return q.choices.map(function (c) {
        return encodeInt(response ? response.indexOf(c) + 1 : 0, w);
      }).join("");
    }
    if (q.type === "matching") {
      var wm = digitsFor(n + 1);
      return q.choices.map(function (source) {
        var pair = response && response.filter(function (p) { return p[0] === source; })[0];
        return encodeInt(pair ? q.choices.indexOf(pair[1]) + 1 : 0, wm);
      }).join("");
    }
    var text = response === null || response === undefined ? null : String(response).slice(0, SHORT_MAX);
    var head = ALPHABET.charAt(text === null ? 0 : text.length + 1);
    var body = text === null ? "" : text;
    while (body.length < SHORT_MAX) { body += " "; }
    return head + body;
  }

  function decodeAnswer(q, slot) {
    var n = q.choices.length;
    if (q.type === "single" || q.type === "true-false") {
      var i = decodeInt(slot);
      return i > 0 && i <= n ? [q.choices[i - 1]] : null;
    }
    if (q.type === "multiple") {
      var bits = decodeBits(slot, n + 1);
      if (!bits[0]) { return null; }
      return q.choices.filter(function (c, k) { return bits[k + 1]; });
    }
    if (q.type === "ordering" || q.type === "matching") {
      var w = digitsFor(n + 1);
      var values = q.choices.map(function (c, k) { return decodeInt(slot.substr(k * w, w)); });
      if (values.some(function (v) { return v < 1 || v > n; })) { return null; }
      if (q.type === "matching") {
        return q.choices.map(function (c, k) { return [c, q.choices[values[k] - 1]]; });
      }
      var order = q.choices.slice();
      order.sort(function (a, b) { return values[q.choices.indexOf(a)] - values[q.choices.indexOf(b)]; });
      return order;
    }
    var len = ALPHABET.indexOf(slot.charAt(0));
    return len > 0 ? slot.substr(1, len - 1) : null;
  }

  function encodeState() {
    var out = "1" + encodeBits(visited);
    data.questions.forEach(function (q, k) { out += encodeAnswer(q, answers[k]); });
    return out;
  }

  function decodeState(text) {
    if (!text || text.length !== data.stateLength || text.charAt(0) !== "1") { return false; }
    var pos = 1 + Math.ceil(sections.length / 6);
    decodeBits(text.slice(1, pos), sections.length).forEach(function (v, k) { visited[k] = v; });
    data.questions.forEach(function (q, k) {
      var response = decodeAnswer(q, text.substr(pos, q.slot));
      pos += q.slot;
      if (response !== null) { answers[k] = { response: response, correct: isCorrect(q, response) }; }
    });
    return true;
  }

  // ---- questions ----
  function sameList(a, b) {
    return a.length === b.length && a.every(function (x, k) { return x === b[k]; });
  }
  function normalise(text, caseSensitive) {
    var t = String(text).trim().replace(/\s+/g, " ");
    return caseSensitive ? t : t.toLocaleLowerCase();
  }
  function isCorrect(q, response) {
    if (q.type === "short") {
      return q.correct.some(function (a) {
        return normalise(a, q.caseSensitive) === normalise(response, q.caseSensitive);
      });
    }
    if (q.type === "matching") {
      return response.every(function (p) { return p[0] === p[1]; });
    }
    if (q.type === "multiple") {
      return sameList(response.slice().sort(), q.correct.slice().sort());
    }
    return sameList(response, q.correct);
  }

  function readResponse(q, form) {
    if (q.type === "short") {
      var value = form.querySelector("input[type=text]").value;
      return value.trim() ? value.trim().slice(0, SHORT_MAX) : null;
    }
    if (q.type === "matching") {
      var pairs = Array.prototype.map.call(form.querySelectorAll("select[data-source]"), function (s) {
        return [s.getAttribute("data-source"), s.value];
      });
      return pairs.every(function (p) { return p[1]; }) ? pairs : null;
    }
    if (q.type === "ordering") {
      var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-item]"));
      if (selects.some(function (s) { return !s.value; })) { return null; }
      selects.sort(function (a, b) { return Number(a.value) - Number(b.value); });
      return selects.map(function (s) { return s.getAttribute("data-item"); });
    }
    var chosen = Array.prototype.filter.call(form.querySelectorAll("input"), function (i) {
      return i.checked;
    }).map(function (i) { return i.value; });
    return chosen.length ? chosen : null;
  }

  function showResponse(q, form, response) {
    if (q.type === "short") {
      form.querySelector("input[type=text]").value = response;
    } else if (q.type === "matching") {
      response.forEach(function (p) {
        var select = form.querySelector('select[data-source="' + p[0] + '"]');
        if (select) { select.value = p[1]; }
      });
    } else if (q.type === "ordering") {
      response.forEach(function (item, k) {
        var select = form.querySelector('select[data-item="' + item + '"]');
        if (select) { select.value = String(k + 1); }
      });
    } else {
      Array.prototype.forEach.call(form.querySelectorAll("input"), function (i) {
        i.checked = response.indexOf(i.value) >= 0;
      });
    }
  }

  function showFeedback(q, form, answer) {
    var box = form.querySelector(".feedback");
    var parts = ['<p class="verdict">' + (answer.correct ? S.correct : S.incorrect) + "</p>"];
    var chosen = Array.isArray(answer.response) && q.type !== "matching" ? answer.response : [];
    chosen.concat(["*"]).forEach(function (key) {
      var template = form.querySelector('template[data-feedback="' + key + '"]');
      if (template) { parts.push("<p>" + template.innerHTML + "</p>"); }
    });
    box.className = "feedback " + (answer.correct ? "is-correct" : "is-incorrect");
    box.innerHTML = parts.join("");
  }

  function lock(form) {
    Array.prototype.forEach.call(form.querySelectorAll("input, select, button"), function (el) {
      el.disabled = true;
    });
  }

  function check(event) {
    event.preventDefault();
    var form = event.currentTarget;
    var index = Number(form.getAttribute("data-question"));
    var q = data.questions[index];
    if (answers[index]) { return; }
    var response = readResponse(q, form);
    var box = form.querySelector(".feedback");
    if (response === null) {
      box.className = "feedback";
      box.textContent = S.answer_first;
      return;
    }
    var answer = { response: response, correct: isCorrect(q, response) };
    answers[index] = answer;
    showFeedback(q, form, answer);
    lock(form);
    tracker.answered({
      question: q, response: response, correct: answer.correct,
      latency: Math.max(0, (Date.now() - shownAt[q.page]) / 1000), timestamp: new Date()
    });
    save();
    report();
  }

  // ---- score and progress ----
  function result() {
    var seen = visited.filter(Boolean).length;
    var completed = seen === sections.length;
    var scaled = null;
    var passed = null;
    var scoredDone = data.scored.every(function (k) { return answers[k]; });
    if (data.scored.length && scoredDone) {
      var total = 0;
      var got = 0;
      data.scored.forEach(function (k) {
        total += data.questions[k].weight;
        if (answers[k].correct) { got += data.questions[k].weight; }
      });
      scaled = total ? got / total : 0;
      passed = data.mastery === null ? null : scaled + 1e-9 >= data.mastery;
    }
    return {
      progress: sections.length ? seen / sections.length : 1,
      completed: completed, scaled: scaled, passed: passed,
      finished: completed && scoredDone
    };
  }

  function report() {
    var r = result();
    tracker.progress(r);
    if (r.finished && !finishedReported) {
      finishedReported = true;
      var lines = [S.finished];
      if (r.scaled !== null) { lines.push(format(S.score, { score: data.percents[Math.round(r.scaled * 100)] })); }
      if (r.passed === true) { lines.push(S.passed); }
      if (r.passed === false) { lines.push(format(S.failed, { mastery: data.percents[Math.round(data.mastery * 100)] })); }
      notice.textContent = lines.join(" ");
    }
    tracker.commit();
  }

  function save() { tracker.saveState(String(current), encodeState()); }

  // ---- navigation ----
  function showPage(index, focus) {
    index = Math.max(0, Math.min(sections.length - 1, index));
    current = index;
    sections.forEach(function (s, k) { s.hidden = k !== index; });
    Array.prototype.forEach.call(toc.querySelectorAll("a[data-page]"), function (a) {
      if (Number(a.getAttribute("data-page")) === index) { a.setAttribute("aria-current", "page"); }
      else { a.removeAttribute("aria-current"); }
    });
    prev.disabled = index === 0;
    next.textContent = index === sections.length - 1 ? S.finish : S.next;
    progressText.textContent = format(S.page_of, { n: index + 1, total: sections.length });
    shownAt[index] = Date.now();
    var firstVisit = !visited[index];
    visited[index] = true;
    var page = data.pages[index];
    tracker.pageViewed({ index: index, id: page.id, module: data.modules[page.module].slug });
    save();
    if (firstVisit || focus) { report(); }
    if (focus) {
      sections[index].querySelector("h1").focus();
      window.scrollTo(0, 0);
    }
  }

  function go(href, event) {
    var id = decodeURIComponent(href.slice(1));
    var target = document.getElementById(id);
    if (!target) { return; }
    var section = target.closest("section.page");
    if (!section) { return; }
    event.preventDefault();
    showPage(sections.indexOf(section), target === section);
    if (target !== section) {
      target.setAttribute("tabindex", "-1");
      target.focus();
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link) { return; }
    var href = link.getAttribute("href");
    if (href.charAt(0) === "#" && link.className !== "skip") {
      go(href, event);
      if (toc.contains(link) && tocToggle.offsetParent !== null) { setToc(false); }
    } else if (link.hasAttribute("data-module")) {
      if (tracker.openModule(link.getAttribute("data-module"))) {
        event.preventDefault();
      } else if (tracker.connected) {
        event.preventDefault();
        notice.textContent = format(S.other_module, { title: link.getAttribute("data-module-title") });
      }
    }
  });

  function setToc(open) {
    tocToggle.setAttribute("aria-expanded", String(open));
    toc.hidden = !open;
  }
  tocToggle.addEventListener("click", function () { setToc(toc.hidden); });

  prev.addEventListener("click", function () { showPage(current - 1, true); });
  next.addEventListener("click", function () {
    if (current < sections.length - 1) { showPage(current + 1, true); }
    else { report(); notice.focus(); }
  });
  forms.forEach(function (form) { form.addEventListener("submit", check); });

  // ---- leaving: browsers drop `unload` in frames, so pagehide and visibilitychange ----
  var ended = false;
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && !ended) { save(); tracker.commit(); }
  });
  window.addEventListener("pagehide", function () {
    if (ended) { return; }
    ended = true;
    save();
    tracker.commit();
    tracker.end();
  });

  // ---- start ----
  notice.setAttribute("tabindex", "-1");
  var started = tracker.start();
  tracker.connected = started.connected;
  if (!started.connected && window.MafunzoRuntime) { notice.textContent = S.no_lms; }
  if (decodeState(started.state)) {
    data.questions.forEach(function (q, k) {
      if (!answers[k]) { return; }
      showResponse(q, forms[k], answers[k].response);
      showFeedback(q, forms[k], answers[k]);
      lock(forms[k]);
    });
    finishedReported = result().finished;
  }
  if (tocToggle.offsetParent !== null) { setToc(false); }
  var startAt = Number(started.location);
  if (!(started.location && startAt >= 0 && startAt < sections.length)) { startAt = 0; }
  if (location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)))) {
    var hashTarget = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    var hashSection = hashTarget.closest("section.page");
    if (hashSection) { startAt = sections.indexOf(hashSection); }
  }
  showPage(startAt, false);
}());
