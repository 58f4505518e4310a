// The steps of a full or a short guided session, laid out from each exercise's coached numbers, the
// pauses and the words the page's data carries: the same plan as sciatrack.domain.sessions.plan_session,
// which the terminal guide plays (tests/browser/test_player_browser.py holds the two to each other).
(function () {
  "use strict";

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return String(values[key]); });
  }

  // What a session of ``kind`` coaches for the exercise: its numbers by name, and the same in words (as
  // the list of exercises before the start says them).
  function dose(data, id, kind) {
    var found = {};
    data.dose_fields.forEach(function (name, index) { found[name] = data.exercises[id][kind][index]; });
    var words = document.querySelector("[data-exercise='" + id + "'] [data-dose='" + kind + "']");
    found.text = words ? words.textContent : "";
    return found;
  }

  function timeline(data, kind) {
    var pause = data.timing[kind], words = data.words, out = [];
    function step(type, seconds, title, cue, id, side, rep, reps) {
      out.push({ kind: type, seconds: seconds, title: title, cue: cue, exercise: id || null,
        side: side || null, rep: rep || null, reps: reps || null });
    }
    function reps(id, coached, side, sideWords) {
      for (var rep = 1; rep <= coached.reps; rep++) {
        var label = fill(words.rep, { rep: rep, reps: coached.reps }) + sideWords;
        if (coached.hold === null) {
          step("move", pause.rep_without_hold, label, fill(words.lift, { rep: rep }), id, side, rep, coached.reps);
          step("relax", pause.rep_without_hold, words.lower, words.lower, id, side, rep, coached.reps);
        } else {
          step("move", pause.move, label, fill(words.go, { rep: rep }), id, side, rep, coached.reps);
          step("hold", coached.hold, words.hold, words.hold, id, side, rep, coached.reps);
          step("relax", pause.move, words.relax, words.relax, id, side, rep, coached.reps);
        }
      }
    }
    function timed(id, coached, side, sideWords) {
      var every = coached.every || coached.seconds;
      for (var elapsed = 0; elapsed < coached.seconds; elapsed += every) {
        var seconds = Math.min(every, coached.seconds - elapsed);
        if (elapsed === 0) step("timed", seconds, words.keep_going + sideWords, words.start_now, id, side);
        else step("reposition", seconds, words.move_ball, words.move_ball_cue, id, side);
      }
    }
    step("get_ready", pause.get_ready, words.get_ready, words.get_ready_cue);
    Object.keys(data.exercises).forEach(function (id, index) {
      var exercise = data.exercises[id], coached = dose(data, id, kind);
      var sides = coached.per_side ? ["left", "right"] : [null];
      if (index > 0) step("rest", pause.rest, words.rest, words.rest_cue);
      step("position", pause.position, exercise.name, fill(words.position_cue, { name: exercise.name }), id, sides[0]);
      sides.forEach(function (side, number) {
        var sideWords = side ? fill(words.side, { side: side }) : "";
        if (number > 0) {
          var cue = fill(words["switch"], { side: side });
          step("switch_side", pause.switch_side, cue, cue, id, side);
        }
        if (coached.reps !== null) reps(id, coached, side, sideWords);
        else if (coached.seconds !== null) timed(id, coached, side, sideWords);
      });
      step("check", 0, words.check, words.check_cue, id);
    });
    step("done", 0, words.done, words.done_cue);
    return out;
  }

  window.SciatrackPlan = { fill: fill, dose: dose, timeline: timeline };
})();
