"""Program -> the ordered, timed steps of one guided session, and what to do with each symptom answer.

A plan is a flat list of :class:`Step`; a browser or terminal guide only has to play it in order, so both
guides behave the same. Timing choices (not given by the sources, so ours):

- a hold range (e.g. 2 to 3 s) is coached at its upper end: the count reaches the full dose and the screen
  still shows the range, so a person may relax earlier;
- a duration range (e.g. 2 to 5 minutes) is coached at its lower end, the gentler dose for a new program;
- ``per_side`` exercises do every rep on the left, then every rep on the right;
- after each exercise one question (a step with ``seconds == 0``) asks how the leg symptoms moved.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from .programs import Program, ProgramExercise

SIDES = ("left", "right")


class StepKind(StrEnum):
    GET_READY = "get_ready"
    POSITION = "position"  # get into the start position of an exercise
    MOVE = "move"  # the movement of one rep
    HOLD = "hold"
    RELAX = "relax"
    TIMED = "timed"  # a stretch of a timed exercise
    REPOSITION = "reposition"  # move the ball to a new spot
    SWITCH_SIDE = "switch_side"
    CHECK = "check"  # the symptom question; waits for an answer
    REST = "rest"
    DONE = "done"


@dataclass(frozen=True)
class Timing:
    """Seconds for the parts of a session the dosage does not set."""

    get_ready: int = 10
    position: int = 10
    move: int = 2  # into a rep, and back out of it
    rep_without_hold: int = 3  # each way, for reps with no hold (lift and lower slowly)
    switch_side: int = 8
    rest: int = 20


@dataclass(frozen=True)
class Step:
    kind: StepKind
    seconds: int  # 0: the step waits for the person
    title: str  # the large words on screen
    cue: str  # what the voice says as the step starts
    exercise_id: str | None = None
    side: str | None = None
    rep: int | None = None
    reps: int | None = None


@dataclass(frozen=True)
class SessionPlan:
    steps: tuple[Step, ...]

    @property
    def exercise_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(step.exercise_id for step in self.steps if step.exercise_id))

    @property
    def total_seconds(self) -> int:
        """The timed length of the session, not counting time spent answering questions."""
        return sum(step.seconds for step in self.steps)

    def steps_of(self, exercise_id: str) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if step.exercise_id == exercise_id)


def _side_words(side: str | None) -> str:
    return f" ({side} leg)" if side else ""


def _reps(exercise: ProgramExercise, side: str | None, timing: Timing) -> Iterator[Step]:
    dosage = exercise.dosage
    reps = dosage.reps or 0
    hold = dosage.hold_seconds.max if dosage.hold_seconds else None

    def step(kind: StepKind, seconds: int, title: str, cue: str, rep: int) -> Step:
        return Step(kind, seconds, title, cue, exercise.id, side, rep, reps)

    for rep in range(1, reps + 1):
        label = f"Rep {rep} of {reps}{_side_words(side)}"
        if hold is None:
            yield step(StepKind.MOVE, timing.rep_without_hold, label, f"{rep}. Lift", rep)
            yield step(StepKind.RELAX, timing.rep_without_hold, "Lower slowly", "Lower slowly", rep)
            continue
        yield step(StepKind.MOVE, timing.move, label, f"{rep}. Go", rep)
        yield step(StepKind.HOLD, hold, "Hold", "Hold", rep)
        yield step(StepKind.RELAX, timing.move, "Relax", "Relax", rep)


def _timed(exercise: ProgramExercise, side: str | None) -> Iterator[Step]:
    dosage = exercise.dosage
    assert dosage.duration_seconds is not None  # the caller checks
    total = dosage.duration_seconds.min
    every = dosage.reposition_every_seconds or total
    elapsed = 0
    while elapsed < total:
        seconds = min(every, total - elapsed)
        if elapsed == 0:
            title, cue, kind = f"Keep going{_side_words(side)}", "Start now", StepKind.TIMED
        else:
            title, kind = "Move the ball", StepKind.REPOSITION
            cue = "Move the ball a little up or down the back of your thigh"
        yield Step(kind, seconds, title, cue, exercise.id, side)
        elapsed += seconds


def exercise_steps(exercise: ProgramExercise, timing: Timing = Timing()) -> Iterator[Step]:
    """Position, then the reps or timed stretches (left then right when per side), then the question."""
    dosage = exercise.dosage
    sides: Iterable[str | None] = SIDES if dosage.per_side else (None,)
    yield Step(
        StepKind.POSITION,
        timing.position,
        exercise.name,
        f"Next: {exercise.name}. Get into position",
        exercise_id=exercise.id,
        side=SIDES[0] if dosage.per_side else None,
    )
    for index, side in enumerate(sides):
        if index > 0:
            cue = f"Switch to the {side} leg"
            yield Step(StepKind.SWITCH_SIDE, timing.switch_side, cue, cue, exercise_id=exercise.id, side=side)
        if dosage.reps is not None:
            yield from _reps(exercise, side, timing)
        elif dosage.duration_seconds is not None:
            yield from _timed(exercise, side)
    yield Step(
        StepKind.CHECK,
        0,
        "How is your leg?",
        "How did your leg feel during that exercise?",
        exercise_id=exercise.id,
    )


def plan_session(program: Program, timing: Timing = Timing()) -> SessionPlan:
    """Every step of one session of ``program``, in order."""
    steps: list[Step] = [Step(StepKind.GET_READY, timing.get_ready, "Get ready", "Get ready. We start soon")]
    for index, exercise in enumerate(program.exercises):
        if index > 0:
            steps.append(Step(StepKind.REST, timing.rest, "Rest", "Rest and breathe"))
        steps.extend(exercise_steps(exercise, timing))
    steps.append(Step(StepKind.DONE, 0, "Well done", "That is the end of today's session. Well done"))
    return SessionPlan(tuple(steps))


def step_to_json(step: Step) -> dict[str, object]:
    return {
        "kind": step.kind.value,
        "seconds": step.seconds,
        "title": step.title,
        "cue": step.cue,
        "exercise": step.exercise_id,
        "side": step.side,
        "rep": step.rep,
        "reps": step.reps,
    }
