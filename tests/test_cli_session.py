"""``sciatrack session``: the step runner on its own, and the command driven through a pseudo-terminal."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from sciatrack.cli.session import STOPPED_BY_PERSON, run_plan
from sciatrack.domain.intake import parse_intake
from sciatrack.domain.programs import build_program
from sciatrack.domain.session_log import ExerciseStatus, SymptomMovement, parse_session_log
from sciatrack.domain.sessions import SessionPlan, Step, StepKind, plan_session
from sciatrack.domain.triage import triage
from vignettes import load_vignettes

SCIATRACK = str(Path(sys.executable).with_name("sciatrack"))
VIGNETTES = load_vignettes()
SELF_CARE = VIGNETTES["disc-pattern-self-care"]["answers"]


def self_care_plan() -> SessionPlan:
    answers = parse_intake(SELF_CARE)
    program = build_program(answers, triage(answers))
    assert program is not None
    return plan_session(program)


def answering(answers: dict[str, SymptomMovement]):  # type: ignore[no-untyped-def]
    """An ``ask`` that gives each exercise its answer in ``answers``, else "moved up"."""

    def ask(step: Step) -> SymptomMovement:
        return answers.get(step.exercise_id or "", SymptomMovement.MOVED_UP)

    return ask


def no_sleep(_seconds: float) -> None:
    pass


def test_it_counts_every_rep_hold_and_second_of_the_plan() -> None:
    plan = self_care_plan()
    outcome = run_plan(plan, answering({}), no_sleep)
    assert not outcome.ended_early
    for exercise_id, tally in outcome.tallies.items():
        steps = plan.steps_of(exercise_id)
        assert tally.status is ExerciseStatus.DONE
        assert tally.reps_done == sum(step.kind is StepKind.MOVE for step in steps)
        assert tally.holds_done == sum(step.kind is StepKind.HOLD for step in steps)
        timed = sum(step.seconds for step in steps if step.kind in (StepKind.TIMED, StepKind.REPOSITION))
        assert tally.seconds == timed


def test_it_sleeps_one_second_per_second_of_countdown() -> None:
    plan = self_care_plan()
    slept: list[float] = []
    run_plan(plan, answering({}), slept.append)
    assert slept == [1] * plan.total_seconds


def test_it_stops_only_the_exercise_whose_symptoms_spread_down_the_leg() -> None:
    plan = self_care_plan()
    first, *rest = plan.exercise_ids
    outcome = run_plan(plan, answering({first: SymptomMovement.SPREAD_DOWN}), no_sleep)
    assert outcome.tallies[first].status is ExerciseStatus.STOPPED
    assert "clinician" in outcome.tallies[first].stop_reason
    assert all(outcome.tallies[other].status is ExerciseStatus.DONE for other in rest)
    assert not outcome.ended_early


def test_it_ends_the_session_at_a_red_flag_answer_and_skips_the_rest() -> None:
    plan = self_care_plan()
    first, *rest = plan.exercise_ids
    outcome = run_plan(plan, answering({first: SymptomMovement.RED_FLAG}), no_sleep)
    assert outcome.ended_early and outcome.red_flag
    assert outcome.tallies[first].status is ExerciseStatus.STOPPED
    assert all(outcome.tallies[other].status is ExerciseStatus.SKIPPED for other in rest)


def test_it_logs_a_stop_by_the_person_when_interrupted() -> None:
    plan = self_care_plan()
    first_exercise = next(index for index, step in enumerate(plan.steps) if step.exercise_id)
    into_first_exercise = sum(step.seconds for step in plan.steps[:first_exercise]) + 3
    ticks = 0

    def interrupt(_seconds: float) -> None:
        nonlocal ticks
        ticks += 1
        if ticks == into_first_exercise:
            raise KeyboardInterrupt

    outcome = run_plan(plan, answering({}), interrupt)
    first, second, *_ = plan.exercise_ids
    assert outcome.ended_early and outcome.end_reason == STOPPED_BY_PERSON
    assert outcome.tallies[first].status is ExerciseStatus.STOPPED
    assert outcome.tallies[second].status is ExerciseStatus.SKIPPED


def spawn(tmp_path: Path, *extra: str) -> tuple[pexpect.spawn, Path]:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(SELF_CARE))
    log = tmp_path / "log.json"
    child = pexpect.spawn(
        SCIATRACK,
        ["session", "--answers", str(answers), "--speed", "1000", "--log", str(log), *extra],
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 100),
    )
    return child, log


def test_it_runs_a_whole_session_in_a_terminal_and_writes_a_valid_log(tmp_path: Path) -> None:
    child, log = spawn(tmp_path)
    child.expect("Pain before the session")
    child.sendline("eleven")
    child.expect("whole number from 0 to 10")
    child.sendline("4")
    questions = 0
    while child.expect(["Your choice", "Pain after the session"]) == 0:
        questions += 1
        child.sendline("3" if questions == 1 else "1")  # 3 = spread further down the leg
    child.sendline("2")
    child.expect("Session log written")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    document = json.loads(log.read_text())
    parsed = parse_session_log(document)
    assert parsed.pain_before == 4 and parsed.pain_after == 2
    assert questions == len(parsed.exercises) == len(self_care_plan().exercise_ids)
    first, *rest = parsed.exercises
    assert first.status is ExerciseStatus.STOPPED and first.symptoms is SymptomMovement.SPREAD_DOWN
    assert all(item.status is ExerciseStatus.DONE for item in rest)


def test_it_ends_with_the_emergency_advice_on_a_red_flag_answer(tmp_path: Path) -> None:
    child, log = spawn(tmp_path, "--emergency-number", "112")
    child.expect("Pain before the session")
    child.sendline("3")
    child.expect("Your choice")
    child.sendline("4")
    child.expect("112")
    child.expect("Session log written")
    child.expect(pexpect.EOF)
    document = json.loads(log.read_text())
    assert document["ended_early"] is True
    assert document["pain_after"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--speed", "0"], "--speed must be a number from 1 to 1000"),
        (["--speed", "fast"], "--speed must be a number from 1 to 1000"),
        (["--emergency-number", " "], "--emergency-number must not be blank"),
    ],
)
def test_it_rejects_bad_options_naming_them(tmp_path: Path, args: list[str], message: str) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(SELF_CARE))
    result = subprocess.run(
        [SCIATRACK, "session", "--answers", str(answers), *args], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert message in result.stderr


def test_it_offers_no_session_when_the_triage_rules_out_exercise(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(VIGNETTES["cauda-equina-bladder"]["answers"]))
    result = subprocess.run(
        [SCIATRACK, "session", "--answers", str(answers)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert "No exercise session today" in result.stdout
