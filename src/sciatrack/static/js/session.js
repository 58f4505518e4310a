// The guided session: plays the server's plan step by step with timers, speech and a rep counter.
// Everything runs in the browser once loaded (no request per tick); the log is sent once at the end
// with an idempotency key, so a retried send is stored only once.
(function () {
  "use strict";
  var dataNode = document.getElementById("session-data");
  if (!dataNode) return;
  var data = JSON.parse(dataNode.textContent);
  var root = document.querySelector(".session");
  var steps = data.steps;
  var TICK_MS = 200;

  function $(selector) { return root.querySelector(selector); }
  function field(name) { return $("[data-field='" + name + "']"); }
  function action(name) { return $("[data-action='" + name + "']"); }

  var state = {
    index: -1, endsAt: 0, remaining: 0, paused: false, timer: null,
    painBefore: null, painAfter: null, startedAt: null, endedEarly: false, endReason: "", noDanger: false,
    muted: localStorage.getItem("sciatrack-muted") === "1", wakeLock: null,
    key: (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : fallbackUuid(),
    log: {}, order: [], continueTo: null
  };

  function fallbackUuid() {
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (Math.random() * 16) >> (c / 4)).toString(16);
    });
  }

  function show(name) {
    root.querySelectorAll(".session-screen").forEach(function (screen) {
      screen.hidden = screen.getAttribute("data-screen") !== name;
    });
    var heading = $("[data-screen='" + name + "'] h1");
    if (heading && name !== "before" && name !== "player") heading.focus();
  }

  function speak(text) {
    if (state.muted || !("speechSynthesis" in window) || !text) return;
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
  }

  function keepAwake() {
    var note = field("wake");
    if (!("wakeLock" in navigator)) { note.textContent = "Keep your screen on: this browser cannot do it for you."; return; }
    navigator.wakeLock.request("screen").then(function (lock) {
      state.wakeLock = lock;
      note.textContent = "The screen stays on during the session.";
    }).catch(function () { note.textContent = "Keep your screen on: it may dim during the session."; });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && state.startedAt && !state.finished) keepAwake();
  });

  function entry(id) {
    if (!state.log[id]) {
      state.log[id] = { id: id, status: "done", reps_done: 0, holds_done: 0, seconds: 0, symptoms: null, stop_reason: "" };
      state.order.push(id);
    }
    return state.log[id];
  }

  function painScale(screen, onPick) {
    var holder = $("[data-screen='" + screen + "'] .scale-pick__options");
    for (var value = 0; value <= 10; value++) {
      var label = document.createElement("label");
      label.className = "scale-pick__option";
      var input = document.createElement("input");
      input.type = "radio"; input.name = "pain-" + screen; input.value = String(value);
      input.addEventListener("change", function (event) { onPick(Number(event.target.value)); });
      label.appendChild(input);
      label.appendChild(document.createTextNode(String(value)));
      holder.appendChild(label);
    }
  }

  // Playing the plan ---------------------------------------------------------------------------------

  function render(step) {
    var exercise = step.exercise ? data.exercises[step.exercise] : null;
    field("exercise").textContent = exercise ? exercise.name : "Today's session";
    field("title").textContent = step.title;
    field("rep").textContent = step.rep ? "Rep " + step.rep + " of " + step.reps + (step.side ? ", " + step.side + " leg" : "") : (step.side ? step.side + " leg" : "");
    field("how").textContent = step.kind === "position" && exercise ? exercise.start : (exercise ? exercise.dosage : "");
    field("bar").style.width = Math.round(100 * state.index / steps.length) + "%";
    root.setAttribute("data-kind", step.kind);
  }

  function tick() {
    if (state.paused) return;
    var left = Math.max(0, Math.ceil((state.endsAt - Date.now()) / 1000));
    field("count").textContent = String(left);
    if (Date.now() >= state.endsAt) complete(steps[state.index]);
  }

  function complete(step) {
    if (step.exercise) {
      var logged = entry(step.exercise);
      if (step.kind === "move") logged.reps_done += 1;
      if (step.kind === "hold") logged.holds_done += 1;
      logged.seconds += step.seconds;
    }
    next();
  }

  function go(index) {
    clearInterval(state.timer);
    state.index = index;
    var step = steps[index];
    if (!step || step.kind === "done") { askPainAfter(); return; }
    if (step.kind === "check") { ask(step); return; }
    show("player");
    render(step);
    speak(step.cue);
    state.endsAt = Date.now() + step.seconds * 1000;
    state.timer = setInterval(tick, TICK_MS);
    tick();
  }

  function next() { go(state.index + 1); }

  function nextExerciseIndex(from) {
    var current = steps[from].exercise;
    for (var i = from; i < steps.length; i++) {
      if (steps[i].exercise !== current || steps[i].kind === "check") return i;
    }
    return steps.length - 1;
  }

  // The symptom question -----------------------------------------------------------------------------

  function ask(step) {
    var exercise = data.exercises[step.exercise];
    field("question-exercise").textContent = exercise.name;
    var holder = field("choices");
    holder.textContent = "";
    data.choices.forEach(function (choice) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button--large button--wide choice-button" + (choice.value === "red_flag" ? " button--danger" : "");
      button.textContent = choice.label;
      button.setAttribute("data-choice", choice.value);
      button.addEventListener("click", function () { answer(step, choice.value); });
      holder.appendChild(button);
    });
    show("question");
    speak(step.cue);
  }

  function answer(step, value) {
    var logged = entry(step.exercise);
    var response = data.responses[value];
    logged.symptoms = value;
    if (response.action === "end_session") {
      logged.status = "stopped"; logged.stop_reason = response.message;
      state.endedEarly = true; state.endReason = "A danger sign appeared during " + data.exercises[step.exercise].name + ".";
      field("red-flag").textContent = response.message;
      show("red-flag");
      speak("Stop exercising now.");
      // The log is kept first; then each danger sign is asked, and the whole table says where to go.
      finish(goToDangerQuestions);
      return;
    }
    if (response.action === "stop_exercise") {
      logged.status = "stopped"; logged.stop_reason = response.message;
      field("feedback-title").textContent = "Stopped: kept out of your program";
    } else {
      field("feedback-title").textContent = value === "moved_up" ? "Good sign" : "Fine";
    }
    field("feedback").textContent = response.message;
    state.continueTo = state.index + 1;
    show("feedback");
    speak(response.message);
  }

  // Start, finish and the log ------------------------------------------------------------------------

  function askPainAfter() {
    clearInterval(state.timer);
    show("after");
    speak("That is the end of today's session. Well done.");
  }

  function goToDangerQuestions() {
    window.location.href = action("something-wrong").getAttribute("href");
  }

  function finish(then) {
    clearInterval(state.timer);
    state.finished = true;
    if (state.wakeLock) { state.wakeLock.release().catch(function () {}); state.wakeLock = null; }
    var exercises = state.order.map(function (id) { return state.log[id]; });
    var done = exercises.filter(function (item) { return item.status === "done"; }).length;
    field("summary").textContent = done + " of " + Object.keys(data.exercises).length + " exercises done" +
      (state.painAfter === null ? "." : "; leg pain " + state.painBefore + " before, " + state.painAfter + " after.");
    if (!state.endedEarly) show("done");
    send({
      idempotency_key: state.key,
      started_at: state.startedAt,
      finished_at: new Date().toISOString(),
      pain_before: state.painBefore,
      pain_after: state.painAfter,
      exercises: exercises.length ? exercises : [{ id: steps[1].exercise, status: "skipped" }],
      ended_early: state.endedEarly,
      end_reason: state.endReason
    }, 0, typeof then === "function" ? then : function () {});
  }

  // ``then`` runs once the log is stored, or once sending has given up: never before.
  function send(log, attempt, then) {
    var note = field("saved");
    if (!data.save) { note.textContent = "Sign in to keep a log of your sessions."; then(); return; }
    var token = root.querySelector("input[name='csrfmiddlewaretoken']").value;
    fetch("/api/sessions", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      credentials: "same-origin",
      body: JSON.stringify(Object.assign({ program: data.program }, log))
    }).then(function (response) {
      if (response.ok) { note.textContent = "Saved to your log."; then(); return; }
      return response.json().then(function (body) { note.textContent = "Not saved: " + (body.detail || response.status); then(); });
    }).catch(function () {
      // The same key is sent again, so a send that did arrive is not stored twice.
      if (attempt < 3) { note.textContent = "Saving…"; setTimeout(function () { send(log, attempt + 1, then); }, 2000 * (attempt + 1)); }
      else { note.textContent = "Not saved: no connection."; then(); }
    });
  }

  // The session starts once the pain is rated and "none of these now" is tapped (spec section 3).
  function readyToBegin() {
    var ready = state.painBefore !== null && state.noDanger;
    action("begin").disabled = !ready;
    $("[data-hint]").hidden = ready;
  }
  painScale("before", function (value) { state.painBefore = value; readyToBegin(); });
  action("no-danger").addEventListener("click", function (event) {
    state.noDanger = true;
    event.currentTarget.setAttribute("aria-pressed", "true");
    event.currentTarget.textContent = "None of these now: thank you";
    readyToBegin();
  });
  action("something-wrong").addEventListener("click", function (event) {
    // A session under way is logged as ended early before the danger signs are asked.
    if (!state.startedAt || state.finished) return;
    event.preventDefault();
    var step = steps[state.index];
    if (step && step.exercise) { var logged = entry(step.exercise); logged.status = "stopped"; logged.stop_reason = "Something felt wrong."; }
    state.endedEarly = true; state.endReason = "The person pressed Something is wrong.";
    show("red-flag");
    finish(goToDangerQuestions);
  });
  painScale("after", function (value) { state.painAfter = value; action("finish").disabled = false; });

  action("begin").addEventListener("click", function () {
    state.startedAt = new Date().toISOString();
    keepAwake();
    go(0);
  });
  action("pause").addEventListener("click", function (event) {
    var button = event.currentTarget;
    if (state.paused) {
      state.paused = false;
      state.endsAt = Date.now() + state.remaining;
      button.textContent = "Pause";
      speak("Go on");
    } else {
      state.paused = true;
      state.remaining = Math.max(0, state.endsAt - Date.now());
      button.textContent = "Resume";
      field("title").textContent = "Paused";
    }
  });
  action("skip").addEventListener("click", function () {
    var step = steps[state.index];
    if (!step || !step.exercise) { next(); return; }
    var logged = entry(step.exercise);
    logged.status = "skipped";
    var index = nextExerciseIndex(state.index);
    // Skipping leaves out the symptom question too: nothing was done to ask about.
    if (steps[index].kind === "check") index += 1;
    state.paused = false; action("pause").textContent = "Pause";
    go(index);
  });
  action("stop-exercise").addEventListener("click", function () {
    var step = steps[state.index];
    if (!step || !step.exercise) return;
    state.paused = false; action("pause").textContent = "Pause";
    go(nextExerciseIndex(state.index));
  });
  action("continue").addEventListener("click", function () { go(state.continueTo); });
  action("finish").addEventListener("click", function () { finish(); });
  var mute = action("mute");
  function showMute() {
    mute.setAttribute("aria-pressed", state.muted ? "true" : "false");
    mute.textContent = state.muted ? "Voice is off" : "Mute voice";
  }
  mute.addEventListener("click", function () {
    state.muted = !state.muted;
    localStorage.setItem("sciatrack-muted", state.muted ? "1" : "0");
    if (state.muted && "speechSynthesis" in window) window.speechSynthesis.cancel();
    showMute();
  });
  showMute();
  show("before");
})();
