// The guided session: lays out the steps of a full or a short session (session-plan.js), then plays
// them with timers, speech and a rep counter. Everything runs in the browser once loaded (no request per
// tick); the log goes through the outbox (outbox.js) with an idempotency key made once per session, so it
// survives a lost connection and a resent log is stored once. A session left part way is kept in this
// browser and offered for saving on the next visit.
(function () {
  "use strict";
  var dataNode = document.getElementById("session-data");
  if (!dataNode) return;
  var data = JSON.parse(dataNode.textContent);
  var root = document.querySelector(".session");
  var ids = Object.keys(data.exercises);
  var TICK_MS = 200;
  var KEPT = "sciatrack-session-under-way";
  var NOT_REACHED = "Not reached: the session ended before it.";
  var ENDED_DURING = "The session was ended during this exercise.";
  var steps = [];

  function $(selector) { return root.querySelector(selector); }
  function field(name) { return $("[data-field='" + name + "']"); }
  function action(name) { return $("[data-action='" + name + "']"); }

  var plan = window.SciatrackPlan, outbox = window.SciatrackOutbox;
  var fill = plan.fill;
  function doseOf(id, kind) { return plan.dose(data, id, kind); }
  function timeline(kind) { return plan.timeline(data, kind); }

  var state = {
    index: -1, endsAt: 0, remaining: 0, paused: false, timer: null, kind: "full",
    painBefore: null, painAfter: null, startedAt: null, endedEarly: false, endReason: "", noDanger: false,
    muted: localStorage.getItem("sciatrack-muted") === "1", wakeLock: null, finished: false,
    key: outbox.newKey(),
    log: {}, order: [], continueTo: null, shownExercise: null
  };

  function underWay() { return state.startedAt !== null && !state.finished; }

  function show(name) {
    root.querySelectorAll(".session-screen").forEach(function (screen) {
      screen.hidden = screen.getAttribute("data-screen") !== name;
    });
    field("end-bar").hidden = !(underWay() && (name === "player" || name === "question" || name === "feedback"));
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
    if (document.visibilityState === "visible" && underWay()) keepAwake();
    if (document.visibilityState === "hidden") keep();
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

  // Keeping a session under way in this browser --------------------------------------------------------

  // What was done so far, in order; the exercise under way (begun, its question not reached) is skipped
  // with what was done of it.
  function soFar() {
    var step = steps[state.index];
    var current = step && step.exercise && step.kind !== "check" ? step.exercise : null;
    return state.order.map(function (id) {
      var item = Object.assign({}, state.log[id]);
      if (id === current) { item.status = "skipped"; item.stop_reason = ENDED_DURING; }
      return item;
    });
  }

  function keep() {
    if (!underWay() || !data.save) return;
    try {
      localStorage.setItem(KEPT, JSON.stringify({
        program: data.program, kind: state.kind, key: state.key, started_at: state.startedAt,
        left_at: new Date().toISOString(), pain_before: state.painBefore, log: soFar()
      }));
    } catch (error) { /* private mode or a full store: the warning on leaving still stands */ }
  }
  function forget() { try { localStorage.removeItem(KEPT); } catch (error) { /* nothing kept */ } }
  function kept() {
    try {
      var found = JSON.parse(localStorage.getItem(KEPT) || "null");
      return found && found.program === data.program ? found : null;
    } catch (error) { return null; }
  }
  window.addEventListener("pagehide", keep);
  window.addEventListener("beforeunload", function (event) {
    if (!underWay()) return;
    keep();
    event.preventDefault();
    event.returnValue = "";
  });

  // Playing the plan ---------------------------------------------------------------------------------

  function nextExercise(from) {
    for (var i = from; i < steps.length; i++) if (steps[i].exercise) return steps[i].exercise;
    return null;
  }

  function image(src, alt, className) {
    var img = document.createElement("img");
    img.src = src; img.alt = alt; img.className = className;
    img.width = data.figure_size[0]; img.height = data.figure_size[1];
    img.decoding = "async";
    return img;
  }

  // The moving drawing's text alternative: made by the one pattern from the start position and a step's
  // words when the server found one that fits every exercise, else sent whole.
  function loopAlt(exercise) {
    if (!data.figure_alt) return exercise.figure_alt;
    var at = exercise.figure_alt_at;
    return fill(data.figure_alt, { name: exercise.name, start: exercise.start.slice(0, at[0]), then: exercise.steps[at[1] - 1] });
  }

  // The exercise's drawing, start position and numbered steps, each with its drawing: shown from the
  // "get ready" or the rest before it until its question, so there is time to read them and to fetch
  // what it needs.
  function showExercise(id) {
    if (state.shownExercise === id) return;
    state.shownExercise = id;
    var exercise = data.exercises[id];
    var figure = field("figure"), list = field("steps");
    var drawn = Boolean(data.figure_url);
    figure.textContent = ""; list.textContent = "";
    if (drawn) figure.appendChild(image(fill(data.figure_url, { id: id }), loopAlt(exercise), "session-player__image"));
    field("start").textContent = exercise.start;
    exercise.steps.forEach(function (words, index) {
      var item = document.createElement("li");
      if (drawn) {
        // Each text alternative is made from the step's own words by one pattern, when one fits them all.
        var alt = data.step_alt ? fill(data.step_alt, { n: index + 1, name: exercise.name }) + words : exercise.step_alts[index];
        item.appendChild(image(fill(data.step_figure_url, { id: id, n: index + 1 }), alt, "session-steps__image"));
      }
      var text = document.createElement("span");
      text.textContent = words;
      item.appendChild(text);
      list.appendChild(item);
    });
  }

  function render(step) {
    var id = step.exercise || nextExercise(state.index);
    var exercise = id ? data.exercises[id] : null;
    var ahead = !step.exercise && exercise;
    if (id) showExercise(id);
    field("exercise").textContent = exercise ? (ahead ? "Next: " + exercise.name : exercise.name) : "Today's session";
    field("title").textContent = step.title;
    field("rep").textContent = step.rep ? "Rep " + step.rep + " of " + step.reps + (step.side ? ", " + step.side + " leg" : "") : (step.side ? step.side + " leg" : "");
    var how = exercise ? doseOf(id, state.kind).text : "";
    if (exercise && (ahead || step.kind === "position") && exercise.needs.length) how = "You need: " + exercise.needs.join(", ") + ". " + how;
    field("how").textContent = how;
    field("bar").style.width = Math.round(100 * state.index / steps.length) + "%";
    field("announce").textContent = step.title + (ahead ? ". Next: " + exercise.name : "") + ". " + step.seconds + " seconds.";
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
    if (!step || step.kind === "done") { askPainAfter(false); return; }
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

  function resume() { state.paused = false; action("pause").textContent = "Pause"; }

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
    keep();
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
      outbox.keepOut(step.exercise);
      field("feedback-title").textContent = "Stopped: kept out of your program";
    } else {
      field("feedback-title").textContent = value === "moved_up" ? "Good sign" : "Fine";
    }
    field("feedback").textContent = response.message;
    state.continueTo = state.index + 1;
    show("feedback");
    speak(response.message);
  }

  // Ending, finishing and the log ----------------------------------------------------------------------

  function doneCount(exercises) {
    return exercises.filter(function (item) { return item.status === "done"; }).length;
  }

  // Every exercise of the program, in order: those not begun are logged as skipped, "not reached".
  function allExercises(logged) {
    var byId = {};
    logged.forEach(function (item) { byId[item.id] = item; });
    return ids.map(function (id) {
      return byId[id] || { id: id, status: "skipped", reps_done: 0, holds_done: 0, seconds: 0, symptoms: null, stop_reason: NOT_REACHED };
    });
  }

  function askPainAfter(early) {
    clearInterval(state.timer);
    state.atSave = true;
    field("after-title").textContent = early ? "Save what you did" : "Well done";
    var done = doneCount(state.order.map(function (id) { return state.log[id]; }));
    field("done-so-far").textContent = early ? "You did " + done + " of " + ids.length + " exercises. That still counts as a session." : "";
    show("after");
    speak(early ? "Session ended. Well done for what you did." : "That is the end of today's session. Well done.");
  }

  // End session: straight to the save screen. The exercise under way is skipped with what was done of it.
  function endSession() {
    soFar().forEach(function (item) { state.log[item.id] = item; });
    var done = doneCount(soFar());
    state.endedEarly = true;
    state.endReason = "Ended by the person after " + done + " of " + ids.length + " exercises.";
    resume();
    askPainAfter(true);
  }

  function goToDangerQuestions() {
    window.location.href = action("something-wrong").getAttribute("href");
  }

  function finish(then) {
    clearInterval(state.timer);
    state.finished = true;
    field("end-bar").hidden = true;
    if (state.wakeLock) { state.wakeLock.release().catch(function () {}); state.wakeLock = null; }
    var exercises = allExercises(state.order.map(function (id) { return state.log[id]; }));
    field("summary").textContent = doneCount(exercises) + " of " + ids.length + " exercises done" +
      (state.kind === "short" ? " in a short session" : "") +
      (state.painAfter === null ? "." : "; leg pain " + state.painBefore + " before, " + state.painAfter + " after.");
    if (!state.endedEarly || state.atSave) show("done");
    send({
      idempotency_key: state.key,
      started_at: state.startedAt,
      finished_at: new Date().toISOString(),
      pain_before: state.painBefore,
      pain_after: state.painAfter,
      kind: state.kind,
      exercises: exercises,
      ended_early: state.endedEarly,
      end_reason: state.endReason
    }, typeof then === "function" ? then : function () {});
  }

  // The log goes into the outbox (outbox.js) with its key, written to IndexedDB before anything is
  // sent, then the outbox sends it: kept there until the server has it. ``then`` runs after one try.
  function send(log, then) {
    var note = field("saved");
    if (!data.save) { note.textContent = "Sign in to keep a log of your sessions."; then(); return; }
    var body = Object.assign({ program: data.program, patient: outbox.patient() }, log);
    outbox.add("session", "/api/sessions", body).then(function () {
      forget();
      return outbox.flush();
    }).then(function (results) {
      var mine = (results || []).filter(function (r) { return r.entry.key === log.idempotency_key; })[0];
      var code = mine ? mine.status : 0;
      note.textContent = code === 200 || code === 201 ? "Saved to your log." : code === 422 ? "Not saved: " + (mine.answer.detail || code) :
        "Kept on this device. It will be sent when you are back online and signed in.";
      then();
    }, function () { note.textContent = "Not saved: this browser cannot keep it."; then(); });
  }

  // A session left part way (the page closed, the phone died) or not sent for want of a connection:
  // offered for saving, the first as ended early.
  function offerLeftBehind() {
    var found = kept();
    if (!found) return;
    // A finished log kept by an older version of this page: it goes to the outbox as it is.
    if (found.whole) { send(found.whole, function () {}); return; }
    var log = {
      idempotency_key: found.key, started_at: found.started_at, finished_at: found.left_at,
      pain_before: found.pain_before, pain_after: null, kind: found.kind, exercises: allExercises(found.log),
      ended_early: true, end_reason: "The page was left before the end of the session."
    };
    var box = field("left-behind");
    field("left-behind-words").textContent = "Your session of " +
      new Date(log.started_at).toLocaleString([], { weekday: "long", hour: "numeric", minute: "2-digit" }) +
      " is not saved yet. You did " + doneCount(log.exercises) + " of " + log.exercises.length + " exercises.";
    box.hidden = false;
    action("save-left").addEventListener("click", function () {
      box.hidden = true;
      send(log, function () {});
    });
    action("drop-left").addEventListener("click", function () { forget(); box.hidden = true; });
  }

  // Before the start -------------------------------------------------------------------------------------

  // The session starts once the pain is rated and "none of these now" is tapped (spec section 3).
  function readyToBegin() {
    var ready = state.painBefore !== null && state.noDanger && !state.blocked && ids.length > 0;
    action("begin").disabled = !ready;
    $("[data-hint]").hidden = ready;
  }
  root.querySelectorAll("input[name='session-kind']").forEach(function (input) {
    input.addEventListener("change", function () {
      state.kind = input.value;
      root.querySelectorAll("[data-dose]").forEach(function (node) {
        node.hidden = node.getAttribute("data-dose") !== state.kind;
      });
    });
  });
  painScale("before", function (value) { state.painBefore = value; readyToBegin(); });
  action("no-danger").addEventListener("click", function (event) {
    state.noDanger = true;
    event.currentTarget.setAttribute("aria-pressed", "true");
    event.currentTarget.textContent = "None of these now: thank you";
    readyToBegin();
  });
  // A "yes" with no connection: the danger questions cannot be asked now. The advice kept in the page
  // is shown, the session stays shut, and the questions wait in the outbox for when the person is back.
  function blockOffline(url) {
    var words = field("red-flag"), link = $("[data-screen='red-flag'] a.button");
    words.textContent = words.getAttribute("data-advice");
    if (!words.nextElementSibling.matches("ul")) words.after($("#danger-pick-signs ul").cloneNode(true));
    link.href = url; link.parentElement.hidden = navigator.onLine === false; link.onclick = outbox.answered;
    state.blocked = true; readyToBegin(); show("red-flag");
  }
  outbox.guardSession(root, ids, data.exercises, blockOffline, function () { field("kept-out").hidden = false; readyToBegin(); });
  action("something-wrong").addEventListener("click", function (event) {
    // A session under way is logged as ended early before the danger signs are asked.
    if (!underWay()) return;
    event.preventDefault();
    var step = steps[state.index];
    if (step && step.exercise) { var logged = entry(step.exercise); logged.status = "stopped"; logged.stop_reason = "Something felt wrong."; }
    state.endedEarly = true; state.endReason = "The person pressed Something is wrong.";
    show("red-flag");
    finish(goToDangerQuestions);
  });
  painScale("after", function (value) { state.painAfter = value; action("finish").disabled = false; });

  action("begin").addEventListener("click", function () {
    var chosen = root.querySelector("input[name='session-kind']:checked");
    state.kind = chosen ? chosen.value : "full";
    steps = timeline(state.kind);
    state.startedAt = new Date().toISOString();
    field("left-behind").hidden = true;
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
      field("announce").textContent = "Paused.";
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
    resume();
    go(index);
  });
  action("stop-exercise").addEventListener("click", function () {
    var step = steps[state.index];
    if (!step || !step.exercise) return;
    resume();
    go(nextExerciseIndex(state.index));
  });
  action("end").addEventListener("click", endSession);
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
  offerLeftBehind();
  show("before");
})();
