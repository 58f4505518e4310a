"""The timed steps of a session for each exercise, and what each symptom answer does."""

from __future__ import annotations

from collections import Counter

import pytest
from answers_factory import answers

from sciatrack.content.loader import load_exercises
from sciatrack.domain.programs import Program, build_program, program_exercise
from sciatrack.domain.session_log import Action, SymptomMovement, respond
from sciatrack.domain.sessions import StepKind, Timing, exercise_steps, plan_session
from sciatrack.domain.vocabulary import Pattern

LIBRARY = load_exercises()


def steps_for(exercise_id: str) -> list:  # type: ignore[type-arg]
    return list(exercise_steps(program_exercise(LIBRARY[exercise_id])))


def kinds(steps: list) -> Counter[str]:  # type: ignore[type-arg]
    return Counter(step.kind.value for step in steps)


def test_it_coaches_mckenzie_extension_as_ten_holds_of_three_seconds() -> None:
    steps = steps_for("mckenzie-extension")
    holds = [step for step in steps if step.kind is StepKind.HOLD]
    assert len(holds) == 10
    assert {step.seconds for step in holds} == {3}  # the top of the 2 to 3 second range
    assert [step.rep for step in holds] == list(range(1, 11))
    assert kinds(steps)["move"] == 10 and kinds(steps)["switch_side"] == 0
    assert steps[0].kind is StepKind.POSITION and steps[-1].kind is StepKind.CHECK


def test_it_coaches_glute_activation_as_ten_holds_of_five_seconds_on_each_side() -> None:
    steps = steps_for("glute-activation")
    holds = [step for step in steps if step.kind is StepKind.HOLD]
    assert len(holds) == 20
    assert {step.seconds for step in holds} == {5}
    assert [step.side for step in holds] == ["left"] * 10 + ["right"] * 10


def test_it_switches_legs_once_for_hip_flexor_activation() -> None:
    steps = steps_for("hip-flexor-activation")
    moves = [step for step in steps if step.kind is StepKind.MOVE]
    assert [(step.side, step.rep) for step in moves] == [("left", n) for n in range(1, 11)] + [
        ("right", n) for n in range(1, 11)
    ]
    switches = [step for step in steps if step.kind is StepKind.SWITCH_SIDE]
    assert len(switches) == 1 and switches[0].cue == "Switch to the right leg"
    assert steps.index(switches[0]) == steps.index(moves[10]) - 1
    assert not any(step.kind is StepKind.HOLD for step in steps)  # the source gives no hold


def test_it_times_the_hamstring_ball_release_with_a_prompt_to_move_the_ball_every_30_seconds() -> None:
    steps = steps_for("hamstring-ball-release")
    timed = [step for step in steps if step.kind in (StepKind.TIMED, StepKind.REPOSITION)]
    assert sum(step.seconds for step in timed) == 120  # the lower end of 2 to 5 minutes
    assert [step.seconds for step in timed] == [30, 30, 30, 30]
    assert [step.kind for step in timed].count(StepKind.REPOSITION) == 3
    assert all("ball" in step.cue for step in timed[1:])


def test_it_plans_a_whole_session_with_rests_between_exercises_and_one_question_each() -> None:
    program = build_program(answers())
    assert program is not None
    plan = plan_session(program)
    assert plan.steps[0].kind is StepKind.GET_READY and plan.steps[-1].kind is StepKind.DONE
    assert plan.exercise_ids == program.exercise_ids
    assert kinds(list(plan.steps))["check"] == len(program.exercises)
    assert kinds(list(plan.steps))["rest"] == len(program.exercises) - 1
    assert all(step.seconds > 0 for step in plan.steps if step.kind not in (StepKind.CHECK, StepKind.DONE))
    assert plan.total_seconds == sum(step.seconds for step in plan.steps)


def test_it_takes_its_pauses_from_the_timing() -> None:
    program = Program((program_exercise(LIBRARY["lift-off"]),), (), Pattern.UNCLEAR)
    quick = plan_session(program, Timing(get_ready=1, position=1, move=1, switch_side=1, rest=1))
    assert quick.total_seconds < plan_session(program).total_seconds


@pytest.mark.parametrize(
    ("answer", "action", "review"),
    [
        (SymptomMovement.MOVED_UP, Action.CONTINUE, False),
        (SymptomMovement.SAME, Action.CONTINUE, False),
        (SymptomMovement.SPREAD_DOWN, Action.STOP_EXERCISE, True),
        (SymptomMovement.RED_FLAG, Action.END_SESSION, True),
    ],
)
def test_it_stops_an_exercise_that_spreads_symptoms_and_ends_on_a_danger_sign(
    answer: SymptomMovement, action: Action, review: bool
) -> None:
    response = respond(answer)
    assert response.action is action
    assert response.needs_review is review
    assert response.message
