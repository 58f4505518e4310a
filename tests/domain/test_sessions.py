"""The timed steps of a session for each exercise, and what each symptom answer does."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, replace

import pytest
from answers_factory import answers

from sciatrack.content.figure_schema import Prop
from sciatrack.content.loader import load_exercises
from sciatrack.domain.programs import Program, build_program, program_exercise
from sciatrack.domain.session_log import Action, SessionKind, SymptomMovement, respond
from sciatrack.domain.sessions import (
    NEED_WORDS,
    SHORT,
    SHORT_SESSION_RULE,
    WORDS,
    StepKind,
    Timing,
    coached_dose,
    coached_text,
    exercise_needs,
    exercise_steps,
    plan_session,
    player_doses,
    player_plan,
    session_minutes,
    what_you_need,
)
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


# The short session, for a bad day ---------------------------------------------------------------------


def whole_library() -> Program:
    return Program(tuple(program_exercise(exercise) for exercise in LIBRARY.values()), (), Pattern.UNCLEAR)


def test_a_short_session_is_one_round_of_each_exercise_at_the_lower_dose() -> None:
    for exercise in whole_library().exercises:
        dosage = exercise.dosage
        steps = list(exercise_steps(exercise, kind=SessionKind.SHORT))
        sides = 2 if dosage.per_side else 1
        holds = [step for step in steps if step.kind is StepKind.HOLD]
        moves = [step for step in steps if step.kind is StepKind.MOVE]
        timed = sum(step.seconds for step in steps if step.kind in (StepKind.TIMED, StepKind.REPOSITION))
        if dosage.reps is not None:
            assert len(moves) == min(dosage.reps, SHORT.max_reps) * sides < dosage.reps * sides
        if dosage.hold_seconds is not None:
            assert {step.seconds for step in holds} == {dosage.hold_seconds.min}
        else:
            assert not holds
        if dosage.duration_seconds is not None:
            assert timed == min(dosage.duration_seconds.min, SHORT.max_seconds) * sides
        assert [step.kind for step in steps].count(StepKind.CHECK) == 1


def test_a_short_session_of_the_whole_library_takes_5_to_8_minutes_and_a_full_one_stays_as_it_was() -> None:
    program = whole_library()
    short, full = plan_session(program, kind=SessionKind.SHORT), plan_session(program)
    assert 5 * 60 <= short.total_seconds <= 8 * 60
    assert full.total_seconds == 1056  # 17.6 minutes, as before the short session came
    assert (short.kind, full.kind) == (SessionKind.SHORT, SessionKind.FULL)
    assert short.exercise_ids == full.exercise_ids
    rests = {step.seconds for step in short.steps if step.kind is StepKind.REST}
    assert rests == {SHORT.rest} and SHORT.rest < Timing().rest
    assert session_minutes(program) == {"full": 18, "short": math.ceil(short.total_seconds / 60)}


def test_the_short_rule_is_said_in_words_from_its_own_numbers() -> None:
    assert f"at most {SHORT.max_reps} times" in SHORT_SESSION_RULE
    assert "shortest hold" in SHORT_SESSION_RULE and "1 minute" in SHORT_SESSION_RULE
    glute = program_exercise(LIBRARY["glute-activation"])
    assert (
        coached_text(coached_dose(glute.dosage, SessionKind.SHORT)) == "3 times on each side, hold 3 seconds"
    )
    assert coached_text(coached_dose(glute.dosage)) == "10 times on each side, hold 5 seconds"
    ball = program_exercise(LIBRARY["hamstring-ball-release"])
    assert coached_text(coached_dose(ball.dosage, SessionKind.SHORT)) == "1 minute"


def test_the_page_gets_the_numbers_and_words_to_lay_out_the_same_steps() -> None:
    program = whole_library()
    plan = player_plan(program)
    assert plan["words"] == WORDS
    assert plan["timing"] == {
        "full": asdict(Timing()),
        "short": asdict(replace(Timing(), rest=SHORT.rest)),
    }
    doses = player_doses(program_exercise(LIBRARY["mckenzie-extension"]))
    assert doses["full"] == {
        "reps": 10,
        "per_side": False,
        "hold": 3,
        "seconds": None,
        "every": None,
        "text": "10 times, hold 3 seconds",
    }
    assert (doses["short"]["reps"], doses["short"]["hold"]) == (3, 2)
    # Every word a step shows comes from WORDS, so the page's copy cannot drift from the terminal's.
    titles = {step.title for step in plan_session(program).steps}
    names = {exercise.name for exercise in program.exercises}
    assert all(
        title in names or any(title.startswith(word.split("{")[0]) for word in WORDS.values())
        for title in titles
    )


def test_what_you_need_comes_from_the_props_the_drawings_use() -> None:
    assert set(NEED_WORDS) == set(Prop)  # a prop the drawings may use has its words
    assert exercise_needs(LIBRARY["hamstring-ball-release"]) == [
        NEED_WORDS[Prop.CHAIR],
        NEED_WORDS[Prop.BALL],
    ]
    needs = what_you_need(LIBRARY[exercise.id] for exercise in whole_library().exercises)
    props = {prop for e in LIBRARY.values() for pose in e.figure.poses.values() for prop in pose.props}
    assert len(needs) == len(set(needs)) and set(needs) == {NEED_WORDS[prop] for prop in props}
