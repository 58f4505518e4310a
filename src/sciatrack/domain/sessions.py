"""Program -> the ordered, timed steps of one guided session, and what to do with each symptom answer.

A plan is a flat list of :class:`Step`; a browser or terminal guide only has to play it in order, so both
guides behave the same. The terminal plays :func:`plan_session`; the browser gets the few numbers each
exercise is coached at (:func:`coached_dose`), the pauses (:class:`Timing`) and the words (:data:`WORDS`)
and lays the same steps out itself, so the page does not carry hundreds of steps (a test holds the two to
the same plan). Timing choices (not given by the sources, so ours):

- a hold range (e.g. 2 to 3 s) is coached at its upper end: the count reaches the full dose and the screen
  still shows the range, so a person may relax earlier;
- a duration range (e.g. 2 to 5 minutes) is coached at its lower end, the gentler dose for a new program;
- ``per_side`` exercises do every rep on the left, then every rep on the right;
- after each exercise one question (a step with ``seconds == 0``) asks how the leg symptoms moved.

A **short session**, for a bad day, is one round of each exercise at the lower dose (:data:`SHORT`): at most
3 reps (on each side), each hold at the lower end of its range, a timed exercise for at most 1 minute, and
shorter rests. It is logged as short, and counts toward the week like a full one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from enum import StrEnum

from sciatrack.content.dosage_text import describe_seconds
from sciatrack.content.figure_schema import Prop
from sciatrack.content.schema import Dosage, Exercise, SecondsRange

from .programs import Program, ProgramExercise
from .session_log import SessionKind

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
class ShortDose:
    """How a short session lowers each dose (ours): a bad day's session of about 5 to 8 minutes."""

    max_reps: int = 3  # on each side, for a per-side exercise
    max_seconds: int = 60  # of a timed exercise (on each side)
    rest: int = 5  # between exercises: the symptom question just before is a pause too


SHORT = ShortDose()


@dataclass(frozen=True)
class Coached:
    """The numbers one session coaches for one exercise: reps (or seconds), per side or not, and the hold."""

    reps: int | None
    per_side: bool
    hold: int | None  # seconds of each hold; None: lift and lower slowly, no hold
    seconds: int | None  # of a timed exercise, on each side
    every: int | None  # a timed exercise moves to a new spot this often (seconds)


def coached_dose(dosage: Dosage, kind: SessionKind = SessionKind.FULL) -> Coached:
    """What a session of ``kind`` coaches for ``dosage`` (see the module's notes and :data:`SHORT`)."""
    hold: SecondsRange | None = dosage.hold_seconds
    duration = dosage.duration_seconds
    if kind is SessionKind.SHORT:
        return Coached(
            reps=min(dosage.reps, SHORT.max_reps) if dosage.reps is not None else None,
            per_side=dosage.per_side,
            hold=hold.min if hold else None,
            seconds=min(duration.min, SHORT.max_seconds) if duration else None,
            every=dosage.reposition_every_seconds,
        )
    return Coached(
        reps=dosage.reps,
        per_side=dosage.per_side,
        hold=hold.max if hold else None,
        seconds=duration.min if duration else None,
        every=dosage.reposition_every_seconds,
    )


def session_timing(kind: SessionKind = SessionKind.FULL, timing: Timing = Timing()) -> Timing:
    """The pauses of a session of ``kind``: a short session rests less between exercises."""
    return replace(timing, rest=min(timing.rest, SHORT.rest)) if kind is SessionKind.SHORT else timing


def coached_text(dose: Coached) -> str:
    """One session's dose in plain words, e.g. "3 times on each side, hold 3 seconds"."""
    side = " on each side" if dose.per_side else ""
    parts = []
    if dose.reps is not None:
        parts.append(f"{dose.reps} {'time' if dose.reps == 1 else 'times'}{side}")
        side = ""
    if dose.hold is not None:
        parts.append(f"hold {describe_seconds(SecondsRange(min=dose.hold, max=dose.hold))}")
    if dose.seconds is not None:
        parts.append(f"{describe_seconds(SecondsRange(min=dose.seconds, max=dose.seconds))}{side}")
    return ", ".join(parts)


# What to fetch before a session, in plain words, for each prop the exercises' drawings use: the drawings
# name the props once (``figure`` in each exercise's content file), and the list before a session follows.
NEED_WORDS: dict[Prop, str] = {
    Prop.MAT: "a mat or a firm bed",
    Prop.PILLOW: "a pillow",
    Prop.BALL: "a tennis ball",
    Prop.CHAIR: "a firm chair",
    Prop.WALL: "a wall",
}


def exercise_needs(exercise: Exercise) -> list[str]:
    """What ``exercise`` needs, in plain words, from the props of its drawing's poses (in order, once)."""
    props = dict.fromkeys(prop for pose in exercise.figure.poses.values() for prop in pose.props)
    return [NEED_WORDS[prop] for prop in props]


def what_you_need(exercises: Iterable[Exercise]) -> list[str]:
    """Everything a session of ``exercises`` needs, in the order the exercises first use it, once."""
    return list(dict.fromkeys(need for exercise in exercises for need in exercise_needs(exercise)))


SHORT_SESSION_RULE = (
    f"Each exercise once, at most {SHORT.max_reps} times (on each side), with the shortest hold. "
    f"Timed ones last {describe_seconds(SecondsRange(min=SHORT.max_seconds, max=SHORT.max_seconds))}."
)

# Every word the guide shows or says, once: the terminal guide reads them through plan_session, the page's
# script fills in the same templates ({rep}, {reps}, {side}, {name}).
WORDS: dict[str, str] = {
    "get_ready": "Get ready",
    "get_ready_cue": "Get ready. We start soon",
    "position_cue": "Next: {name}. Get into position",
    "rep": "Rep {rep} of {reps}",
    "side": " ({side} leg)",
    "go": "{rep}. Go",
    "lift": "{rep}. Lift",
    "lower": "Lower slowly",
    "hold": "Hold",
    "relax": "Relax",
    "keep_going": "Keep going",
    "start_now": "Start now",
    "move_ball": "Move the ball",
    "move_ball_cue": "Move the ball a little up or down the back of your thigh",
    "switch": "Switch to the {side} leg",
    "check": "How is your leg?",
    "check_cue": "How did your leg feel during that exercise?",
    "rest": "Rest",
    "rest_cue": "Rest and breathe",
    "done": "Well done",
    "done_cue": "That is the end of today's session. Well done",
}


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
    kind: SessionKind = SessionKind.FULL

    @property
    def exercise_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(step.exercise_id for step in self.steps if step.exercise_id))

    @property
    def total_seconds(self) -> int:
        """The timed length of the session, not counting time spent answering questions."""
        return sum(step.seconds for step in self.steps)

    @property
    def minutes(self) -> int:
        """The timed length in whole minutes, rounded up: what "about N minutes" says."""
        return max(1, math.ceil(self.total_seconds / 60))

    def steps_of(self, exercise_id: str) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if step.exercise_id == exercise_id)


def _side_words(side: str | None) -> str:
    return WORDS["side"].format(side=side) if side else ""


def _reps(exercise_id: str, dose: Coached, side: str | None, timing: Timing) -> Iterator[Step]:
    reps = dose.reps or 0

    def step(kind: StepKind, seconds: int, title: str, cue: str, rep: int) -> Step:
        return Step(kind, seconds, title, cue, exercise_id, side, rep, reps)

    for rep in range(1, reps + 1):
        label = WORDS["rep"].format(rep=rep, reps=reps) + _side_words(side)
        if dose.hold is None:
            yield step(StepKind.MOVE, timing.rep_without_hold, label, WORDS["lift"].format(rep=rep), rep)
            yield step(StepKind.RELAX, timing.rep_without_hold, WORDS["lower"], WORDS["lower"], rep)
            continue
        yield step(StepKind.MOVE, timing.move, label, WORDS["go"].format(rep=rep), rep)
        yield step(StepKind.HOLD, dose.hold, WORDS["hold"], WORDS["hold"], rep)
        yield step(StepKind.RELAX, timing.move, WORDS["relax"], WORDS["relax"], rep)


def _timed(exercise_id: str, dose: Coached, side: str | None) -> Iterator[Step]:
    total = dose.seconds or 0
    every = dose.every or total
    elapsed = 0
    while elapsed < total:
        seconds = min(every, total - elapsed)
        if elapsed == 0:
            step = Step(StepKind.TIMED, seconds, WORDS["keep_going"] + _side_words(side), WORDS["start_now"])
        else:
            step = Step(StepKind.REPOSITION, seconds, WORDS["move_ball"], WORDS["move_ball_cue"])
        yield replace(step, exercise_id=exercise_id, side=side)
        elapsed += seconds


def exercise_steps(
    exercise: ProgramExercise, timing: Timing = Timing(), kind: SessionKind = SessionKind.FULL
) -> Iterator[Step]:
    """Position, then the reps or timed stretches (left then right when per side), then the question."""
    dose = coached_dose(exercise.dosage, kind)
    sides: Iterable[str | None] = SIDES if dose.per_side else (None,)
    yield Step(
        StepKind.POSITION,
        timing.position,
        exercise.name,
        WORDS["position_cue"].format(name=exercise.name),
        exercise_id=exercise.id,
        side=SIDES[0] if dose.per_side else None,
    )
    for index, side in enumerate(sides):
        if index > 0:
            cue = WORDS["switch"].format(side=side)
            yield Step(StepKind.SWITCH_SIDE, timing.switch_side, cue, cue, exercise_id=exercise.id, side=side)
        if dose.reps is not None:
            yield from _reps(exercise.id, dose, side, timing)
        elif dose.seconds is not None:
            yield from _timed(exercise.id, dose, side)
    yield Step(StepKind.CHECK, 0, WORDS["check"], WORDS["check_cue"], exercise_id=exercise.id)


def plan_session(
    program: Program, timing: Timing = Timing(), kind: SessionKind = SessionKind.FULL
) -> SessionPlan:
    """Every step of one session of ``program``, in order; ``kind`` short: the bad day's session."""
    timing = session_timing(kind, timing)
    steps: list[Step] = [
        Step(StepKind.GET_READY, timing.get_ready, WORDS["get_ready"], WORDS["get_ready_cue"])
    ]
    for index, exercise in enumerate(program.exercises):
        if index > 0:
            steps.append(Step(StepKind.REST, timing.rest, WORDS["rest"], WORDS["rest_cue"]))
        steps.extend(exercise_steps(exercise, timing, kind))
    steps.append(Step(StepKind.DONE, 0, WORDS["done"], WORDS["done_cue"]))
    return SessionPlan(tuple(steps), kind)


def step_to_json(step: Step) -> dict[str, object]:
    """One step as the page's script lays it out (a test compares the two plans step by step)."""
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


def player_plan(program: Program, timing: Timing = Timing()) -> dict[str, object]:
    """What the page's script needs, besides each exercise's doses (:func:`player_doses`), to lay out
    either session of ``program``: the pauses of each kind, the words, and how long each takes (minutes)."""
    return {
        "timing": {kind.value: asdict(session_timing(kind, timing)) for kind in SessionKind},
        "words": WORDS,
        "dose_fields": DOSE_FIELDS,
        "minutes": session_minutes(program, timing),
    }


def session_minutes(program: Program, timing: Timing = Timing()) -> dict[str, int]:
    """How long a full and a short session of ``program`` take, in whole minutes (rounded up)."""
    return {kind.value: plan_session(program, timing, kind).minutes for kind in SessionKind}


DOSE_FIELDS = ("reps", "per_side", "hold", "seconds", "every")  # the order of a dose in the page's data


def player_doses(exercise: ProgramExercise) -> dict[str, dict[str, object]]:
    """The numbers each kind of session coaches for ``exercise``, with the same in words (``text``)."""
    doses = {}
    for kind in SessionKind:
        dose = coached_dose(exercise.dosage, kind)
        doses[kind.value] = {**asdict(dose), "text": coached_text(dose)}
    return doses


def dose_numbers(dose: dict[str, object]) -> list[object]:
    """A dose of :func:`player_doses` as the page's data carries it: its numbers in :data:`DOSE_FIELDS`
    order (the words are on the page already)."""
    return [dose[name] for name in DOSE_FIELDS]
