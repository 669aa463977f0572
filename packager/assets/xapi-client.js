/*
 * Mafunzo's xAPI client, shared by the xAPI (TinCan) and cmi5 trackers: the only code that talks
 * HTTP to the LRS. Writes (statements, state documents) go through one queue, in order; a write
 * that fails because the connection dropped or the LRS is busy (network error, 408, 429, 5xx) stays
 * at the head of the queue and is retried later (backoff up to 30 s, and at once when the browser
 * says it is online again). Statements carry their own ids, so sending one twice is harmless: the
 * LRS accepts the same statement again. flush(true) sends what is left with fetch keepalive, which
 * the browser completes after the page is gone. Start-up reads are synchronous because the page
 * script asks its tracker for the learner's place before it shows anything.
 * Exposes window.MafunzoXapi = { Client, uuid, duration, merge }.
 */
(function () {
  "use strict";

  var VERSION = "1.0.3";
  var MAX_DELAY = 30000;

  function uuid() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); });
    return [hex.slice(0, 4), hex.slice(4, 6), hex.slice(6, 8), hex.slice(8, 10), hex.slice(10)]
      .map(function (part) { return part.join(""); }).join("-");
  }

  // ISO 8601 duration with at most two decimals of a second (what xAPI keeps)
  function duration(seconds) {
    var cs = Math.max(0, Math.round(seconds * 100));
    var h = Math.floor(cs / 360000);
    var m = Math.floor(cs / 6000) % 60;
    var s = (cs % 6000) / 100;
    return "PT" + (h ? h + "H" : "") + (m ? m + "M" : "") + s + "S";
  }

  function query(params) {
    return Object.keys(params).filter(function (k) {
      return params[k] !== undefined && params[k] !== null;
    }).map(function (k) {
      var v = params[k];
      return encodeURIComponent(k) + "=" + encodeURIComponent(typeof v === "string" ? v : JSON.stringify(v));
    }).join("&");
  }

  function merge(target, source) {
    Object.keys(source || {}).forEach(function (k) { target[k] = source[k]; });
    return target;
  }

  function Client(endpoint, auth) {
    this.endpoint = endpoint.replace(/\/?$/, "/");
    this.auth = auth;
    this.queue = []; // { kind: "statement", body } | { kind: "document", resource, params, body }
    this.sending = false;
    this.delay = 0;
    this.timer = null;
    var self = this;
    window.addEventListener("online", function () { self.retryNow(); });
  }

  Client.prototype.url = function (resource, params) {
    var q = params ? query(params) : "";
    return this.endpoint + resource + (q ? "?" + q : "");
  };

  Client.prototype.headers = function (type) {
    var h = { "X-Experience-API-Version": VERSION };
    if (this.auth) { h.Authorization = this.auth; }
    if (type) { h["Content-Type"] = type; }
    return h;
  };

  // A synchronous GET for start-up: { status, json } (json null when absent or not JSON)
  Client.prototype.getSync = function (resource, params) {
    try {
      var xhr = new XMLHttpRequest();
      xhr.open("GET", this.url(resource, params), false);
      var h = this.headers(null);
      Object.keys(h).forEach(function (k) { xhr.setRequestHeader(k, h[k]); });
      xhr.send();
      var json = null;
      try { json = xhr.status === 200 ? JSON.parse(xhr.responseText) : null; } catch (e) { json = null; }
      return { status: xhr.status, json: json };
    } catch (e) {
      return { status: 0, json: null };
    }
  };

  Client.prototype.sendStatement = function (statement) {
    this.queue.push({ kind: "statement", body: statement });
    this.pump();
  };

  // Only the newest version of a document matters: a queued older one is replaced in place.
  Client.prototype.putDocument = function (resource, params, body) {
    var url = this.url(resource, params);
    for (var i = this.sending ? 1 : 0; i < this.queue.length; i += 1) {
      if (this.queue[i].kind === "document" && this.queue[i].url === url) {
        this.queue[i].body = body;
        this.pump();
        return;
      }
    }
    this.queue.push({ kind: "document", url: url, body: body });
    this.pump();
  };

  // The head of the queue as one request: consecutive statements go together, in order.
  Client.prototype.request = function (items) {
    if (items[0].kind === "document") {
      return { url: items[0].url, method: "PUT", body: JSON.stringify(items[0].body), count: 1 };
    }
    var batch = [];
    while (batch.length < items.length && items[batch.length].kind === "statement") {
      batch.push(items[batch.length].body);
    }
    return { url: this.url("statements"), method: "POST", body: JSON.stringify(batch), count: batch.length };
  };

  Client.prototype.send = function (req, keepalive) {
    return window.fetch(req.url, {
      method: req.method,
      headers: this.headers("application/json"),
      body: req.body,
      keepalive: !!keepalive,
      credentials: "omit"
    });
  };

  Client.prototype.pump = function () {
    if (this.sending || this.timer || !this.queue.length) { return; }
    var self = this;
    var req = this.request(this.queue);
    this.sending = true;
    this.send(req, false).then(function (response) {
      self.sending = false;
      if (response.ok || response.status === 409 && req.method === "POST" && req.count === 1) {
        self.done(req.count);
      } else if (response.status === 408 || response.status === 429 || response.status >= 500) {
        self.later();
      } else {
        // The LRS refused it for good: retrying cannot help, and it must not block the rest.
        if (window.console) { window.console.warn("LRS refused " + req.method + " " + req.url + ": " + response.status); }
        self.done(req.count);
      }
    }, function () {
      self.sending = false;
      self.later();
    });
  };

  Client.prototype.done = function (count) {
    this.queue.splice(0, count);
    this.delay = 0;
    this.pump();
  };

  Client.prototype.later = function () {
    var self = this;
    this.delay = Math.min(MAX_DELAY, this.delay ? this.delay * 2 : 500);
    this.timer = window.setTimeout(function () { self.timer = null; self.pump(); }, this.delay);
  };

  Client.prototype.retryNow = function () {
    if (this.timer) { window.clearTimeout(this.timer); this.timer = null; }
    this.delay = 0;
    this.pump();
  };

  Client.prototype.pending = function () { return this.queue.length; };

  // The page is going away: hand everything left to the browser, which finishes keepalive
  // requests after the page is gone. Statements go in one batch so they keep their order.
  Client.prototype.flush = function (keepalive) {
    if (!keepalive) { this.retryNow(); return; }
    if (this.timer) { window.clearTimeout(this.timer); this.timer = null; }
    var items = this.queue.slice();
    var statements = items.filter(function (i) { return i.kind === "statement"; });
    var self = this;
    var sends = [];
    if (statements.length) { sends.push(this.request(statements)); }
    items.filter(function (i) { return i.kind === "document"; }).forEach(function (d) {
      sends.push(self.request([d]));
    });
    sends.forEach(function (req) {
      try { self.send(req, true).catch(function () {}); } catch (e) { /* the page is leaving */ }
    });
  };

  window.MafunzoXapi = { Client: Client, uuid: uuid, duration: duration, merge: merge };
}());
