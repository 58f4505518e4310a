// The outbox: session logs and diary entries recorded in this browser wait in IndexedDB (idb-keyval)
// until the server has them. Each entry gets its idempotency key once, when it is recorded, and keeps
// it for every try, so the server stores it once however often it is sent (a lost answer, a page
// closed mid-send). It is sent on load, when the browser comes online, every 30 seconds and when the
// page is shown again. An entry is sent only while the person who recorded it is signed in (the page's
// <meta name="sciatrack-patient">): on a shared device it waits for its owner.
//   201/200: stored, removed.   422: refused for what it holds, removed, a note says so.
//   401/403: signed out, an old page's token or another person: kept until its owner signs in again.
//   Anything else (no connection, a server in trouble): kept, tried again later.
// Also kept here: the danger-sign follow-ups still to answer, and the exercises a session stopped
// because the pain spread, until the server's program leaves them out too.
(function () {
  "use strict";
  var kv = window.idbKeyval;
  var ENTRY = "outbox:", FOLLOW = "follow-up:", KEPT_OUT = "kept-out:", NOTE = "outbox-note";
  var EVERY_MS = 30000;
  var flushing = null;

  function meta(name) {
    var node = document.querySelector("meta[name='" + name + "']");
    return node ? node.getAttribute("content") : "";
  }
  function patient() { return meta("sciatrack-patient"); }
  function token() {
    var input = document.querySelector("input[name='csrfmiddlewaretoken']");
    return input ? input.value : "";
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }

  function listed(prefix) {
    if (!kv) return Promise.resolve([]);
    return kv.entries().then(function (all) {
      return all.filter(function (pair) { return String(pair[0]).indexOf(prefix) === 0; })
        .map(function (pair) { return pair[1]; })
        .sort(function (a, b) { return a.recorded_at < b.recorded_at ? -1 : 1; });
    });
  }

  // Keep ``body`` (with its idempotency_key and patient) to be sent to ``url``; resolves once it is
  // written to IndexedDB, so nothing is lost if the page closes next.
  function add(kind, url, body) {
    var entry = {
      kind: kind, url: url, key: body.idempotency_key, patient: body.patient,
      recorded_at: new Date().toISOString(), body: body
    };
    if (!kv) return Promise.reject(new Error("This browser cannot keep entries."));
    return kv.set(ENTRY + entry.key, entry).then(function () { status(); return entry; });
  }

  function send(entry) {
    return fetch(entry.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token() },
      credentials: "same-origin",
      body: JSON.stringify(entry.body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        return { entry: entry, status: response.status, answer: answer };
      });
    }, function () { return { entry: entry, status: 0, answer: {} }; });
  }

  function settle(result) {
    var code = result.status, entry = result.entry;
    if (code === 200 || code === 201) {
      var next = result.answer && result.answer.next;
      var after = next ? kv.set(FOLLOW + entry.key, { key: entry.key, patient: entry.patient, url: next, recorded_at: entry.recorded_at }) : Promise.resolve();
      return after.then(function () { return kv.del(ENTRY + entry.key); });
    }
    if (code === 422) {
      var what = entry.kind === "diary" ? "A diary entry" : "A session log";
      return kv.set(NOTE, what + " could not be saved: " + words(result.answer)).then(function () {
        return kv.del(ENTRY + entry.key);
      });
    }
    return Promise.resolve();  // kept for later
  }

  function words(answer) {
    var problems = (answer && answer.problems) || [];
    if (!problems.length) return (answer && answer.detail) || "it was refused.";
    return problems.map(function (p) { return p.field + ": " + p.message; }).join("; ");
  }

  // Send every entry of the signed-in person, one at a time, oldest first. One flush at a time per page;
  // a second page flushing the same entries at once is harmless (the server stores each key once).
  function flush() {
    if (!kv) return Promise.resolve([]);
    if (flushing) return flushing;
    var who = patient();
    flushing = listed(ENTRY).then(function (entries) {
      var mine = entries.filter(function (entry) { return who && entry.patient === who; });
      var results = [];
      return mine.reduce(function (chain, entry) {
        return chain.then(function () {
          if (navigator.onLine === false) return null;
          return send(entry).then(function (result) { results.push(result); return settle(result); });
        });
      }, Promise.resolve()).then(function () { return results; });
    }).then(function (results) {
      flushing = null;
      return status(results).then(function () {
        document.dispatchEvent(new CustomEvent("sciatrack-outbox", { detail: { results: results } }));
        return results;
      });
    }, function (error) { flushing = null; throw error; });
    return flushing;
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  // The status line: how many entries wait, and why; a note of one refused; the danger questions to
  // answer. Shown in every [data-outbox-status] of the page.
  function status(results) {
    if (!kv) return Promise.resolve();
    var who = patient();
    return Promise.all([listed(ENTRY), listed(FOLLOW), kv.get(NOTE)]).then(function (found) {
      var mine = found[0].filter(function (e) { return e.patient === who; });
      var others = found[0].length - mine.length;
      var blocked = (results || []).some(function (r) { return r.status === 401 || r.status === 403; });
      var lines = [];
      if (mine.length) {
        lines.push(plural(mine.length, "entry waits", "entries wait") + " to be sent. " +
          (blocked ? "Sign in again to send them." : navigator.onLine === false ? "They will go when you are back online." : "They will go soon."));
      }
      if (others) lines.push(plural(others, "entry", "entries") + " made by another account on this device will go when that person signs in.");
      if (found[2]) lines.push(found[2]);
      document.querySelectorAll("[data-outbox-status]").forEach(function (node) {
        node.textContent = lines.join(" ");
        node.hidden = !lines.length;
        node.setAttribute("data-waiting", String(mine.length));
      });
      showFollowUps(found[1].filter(function (f) { return f.patient === who; }));
    });
  }

  function showFollowUps(followUps) {
    document.querySelectorAll("[data-outbox-follow-up]").forEach(function (box) {
      box.hidden = !followUps.length || navigator.onLine === false;  // the questions need the server
      var link = box.querySelector("a");
      if (!followUps.length || !link) return;
      link.href = followUps[0].url;
      link.onclick = answered;
    });
  }

  // A danger-sign answer given offline: the questions wait to be answered when back online.
  function followUp(url) {
    var key = newKey();
    return kv.set(FOLLOW + key, { key: key, patient: patient(), url: url, recorded_at: new Date().toISOString() })
      .then(function () { return status(); });
  }
  function followUps() {
    var who = patient();
    return listed(FOLLOW).then(function (all) { return all.filter(function (f) { return f.patient === who; }); });
  }
  // The link to the questions followed: they are asked now, so the follow-ups are done (removed first).
  function answered(event) {
    var href = event.currentTarget.href;
    event.preventDefault();
    followUps().then(function (all) {
      return Promise.all(all.map(function (f) { return kv.del(FOLLOW + f.key); }));
    }).then(function () { window.location.href = href; }, function () { window.location.href = href; });
  }

  // Before a session: a "yes" to the danger signs with no connection shuts it (``block`` shows the advice
  // kept in the page, with the questions' address); so does one still waiting from before. Exercises
  // stopped here because the pain spread are taken out of ``exercises`` and ``ids`` (``changed`` is told).
  function guardSession(root, ids, exercises, block, changed) {
    var yes = root.querySelector("a[href$='from=session_start']");
    yes.addEventListener("click", function (event) {
      if (navigator.onLine !== false) return;
      event.preventDefault();
      followUp(yes.getAttribute("href")).then(function () { block(yes.href); }, function () { block(yes.href); });
    });
    followUps().then(function (waiting) { if (waiting.length) block(waiting[0].url); });
    keptOut(ids).then(function (out) {
      out.forEach(function (id) {
        delete exercises[id];
        ids.splice(ids.indexOf(id), 1);
        var item = root.querySelector("[data-exercise='" + id + "']");
        if (item) item.hidden = true;
      });
      if (out.length) changed();
    });
  }

  // The exercises stopped because the pain spread, kept out of later sessions in this browser until the
  // server's program leaves them out too (``inProgram``: the ids the page's program still has).
  function keptOut(inProgram) {
    if (!kv) return Promise.resolve([]);
    var name = KEPT_OUT + patient();
    return kv.get(name).then(function (ids) {
      var still = (ids || []).filter(function (id) { return inProgram.indexOf(id) !== -1; });
      return kv.set(name, still).then(function () { return still; });
    });
  }
  function keepOut(id) {
    if (!kv) return Promise.resolve();
    var name = KEPT_OUT + patient();
    return kv.get(name).then(function (ids) {
      ids = ids || [];
      if (ids.indexOf(id) === -1) ids.push(id);
      return kv.set(name, ids);
    });
  }

  // The diary's form: sent as a page form while online; kept here as a diary entry when offline or when
  // the post fails for want of a connection.
  function diaryForm(form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-sending") === "native") return;
      event.preventDefault();
      var data = new FormData(form);
      if (navigator.onLine === false) { keepDiary(form, data); return; }
      fetch(form.action, { method: "POST", body: data, credentials: "same-origin" }).then(function (response) {
        if (response.redirected) { window.location.href = response.url; return; }
        // Refused answers: the page's own post shows each problem by its field.
        form.setAttribute("data-sending", "native");
        form.submit();
      }, function () { keepDiary(form, data); });
    });
  }

  function localDay(moment) {
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return moment.getFullYear() + "-" + two(moment.getMonth() + 1) + "-" + two(moment.getDate());
  }

  function keepDiary(form, data) {
    var said = form.querySelector("[data-outbox-diary-said]");
    var needed = ["danger_signs", "leg_pain", "back_pain", "reach", "sleep"];
    if (needed.some(function (name) { return !data.get(name); })) {
      said.textContent = "Please answer every question first.";
      said.hidden = false;
      return;
    }
    var now = new Date();
    var body = {
      idempotency_key: newKey(), patient: patient(), day: localDay(now), recorded_at: now.toISOString(),
      danger_signs: data.get("danger_signs"), leg_pain: Number(data.get("leg_pain")),
      back_pain: Number(data.get("back_pain")), reach: data.get("reach"), sleep: data.get("sleep"),
      note: data.get("note") || ""
    };
    add("diary", "/api/diary", body).then(function () {
      said.textContent = "You are offline. Your answers are kept on this device and will be sent when you are back online.";
      if (body.danger_signs !== "none") said.textContent += " " + form.getAttribute("data-danger-advice");
      said.hidden = false;
      said.focus();
    }, function () { said.textContent = "Not saved: this browser cannot keep entries."; said.hidden = false; });
  }

  window.SciatrackOutbox = {
    add: add, flush: flush, status: status, newKey: newKey, patient: patient,
    followUp: followUp, followUps: followUps, answered: answered, guardSession: guardSession, keepOut: keepOut
  };

  var form = document.querySelector("form[data-outbox-diary]");
  if (form) diaryForm(form);
  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { status(); });
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "visible") flush(); });
  setInterval(flush, EVERY_MS);
  flush();
})();
