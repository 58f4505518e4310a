"""The symptom question after each exercise, and the record of one session (validated, no Django).

After each exercise the person says how the leg symptoms moved. Moving up toward the back
(centralising) or staying the same lets the session go on; spreading further down the leg or getting
worse (peripheralising) stops that exercise, which stays out of the program until a clinician clears it
or a new full check a week later allows it (:mod:`.stops`); a danger sign ends the session, and each
danger sign is then asked so the whole tier table can say where to go.

A log says which session was played (:class:`SessionKind`: the full one, or the short one for a bad
day) and how much of it was done: each exercise's status, and whether the session ended early. A short
session and one ended early are each a session, like a full one.

:func:`parse_session_log` checks a log as sent by the browser or the terminal guide and raises
:class:`SessionLogError` listing every problem, each naming its field and what is allowed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sciatrack.content.schema import EXERCISE_IDS
from sciatrack.content.symptom_answers import symptom_answer_words

from .plain_input import LONGEST_SESSION, moment_problem, text_problem
from .vocabulary import PAIN_RANGE


class SymptomMovement(StrEnum):
    MOVED_UP = "moved_up"  # toward the back: centralising, a good sign
    SAME = "same"
    SPREAD_DOWN = "spread_down"  # further down the leg, or worse: peripheralising
    RED_FLAG = "red_flag"  # a danger sign appeared


class Action(StrEnum):
    CONTINUE = "continue"
    STOP_EXERCISE = "stop_exercise"
    END_SESSION = "end_session"


class SessionKind(StrEnum):
    """Which session was played (:mod:`.sessions`); both count toward the week's sessions."""

    FULL = "full"
    SHORT = "short"  # one round of each exercise at the lower dose, for a bad day


class ExerciseStatus(StrEnum):
    DONE = "done"
    SKIPPED = "skipped"
    STOPPED = "stopped"


@dataclass(frozen=True)
class Response:
    action: Action
    message: str
    needs_review: bool


# What each answer does and whether a clinician should look; the words shown for each answer and the
# guide's reply to it are content (``content/symptom_answers.yaml``).
ACTIONS: dict[SymptomMovement, tuple[Action, bool]] = {
    SymptomMovement.MOVED_UP: (Action.CONTINUE, False),
    SymptomMovement.SAME: (Action.CONTINUE, False),
    SymptomMovement.SPREAD_DOWN: (Action.STOP_EXERCISE, True),
    SymptomMovement.RED_FLAG: (Action.END_SESSION, True),
}
_WORDS = symptom_answer_words()  # (label, reply) by movement

SYMPTOM_CHOICES: dict[SymptomMovement, str] = {movement: _WORDS[movement][0] for movement in SymptomMovement}

RESPONSES: dict[SymptomMovement, Response] = {
    movement: Response(action, _WORDS[movement][1], needs_review)
    for movement, (action, needs_review) in ACTIONS.items()
}


def respond(answer: SymptomMovement) -> Response:
    """What the guide does after the person's answer to the symptom question."""
    return RESPONSES[answer]


@dataclass(frozen=True)
class LoggedExercise:
    exercise_id: str
    status: ExerciseStatus
    reps_done: int
    holds_done: int
    seconds: int
    symptoms: SymptomMovement | None
    stop_reason: str

    @property
    def needs_review(self) -> bool:
        return self.symptoms in (SymptomMovement.SPREAD_DOWN, SymptomMovement.RED_FLAG)

    @classmethod
    def as_dosed(
        cls, item: dict[str, Any], symptoms: SymptomMovement, stop_reason: str = ""
    ) -> LoggedExercise:
        """A program item (``program_to_json``'s) done to its dosage, or, with ``stop_reason``, stopped
        after a first try: how the demo histories and the generated care records log a session."""
        dosage = item["dosage"]
        sides = 2 if dosage.get("per_side") else 1
        reps = int(dosage.get("reps") or 0) * sides
        holds = reps if dosage.get("hold_seconds") else 0
        hold = (dosage.get("hold_seconds") or {}).get("max", 2)
        duration = (dosage.get("duration_seconds") or {}).get("min", 0) * sides
        if stop_reason:
            return cls(
                item["id"], ExerciseStatus.STOPPED, min(reps, 3), min(holds, 3), 20, symptoms, stop_reason
            )
        return cls(
            item["id"], ExerciseStatus.DONE, reps, holds, int(duration or reps * (hold + 3)), symptoms, ""
        )


@dataclass(frozen=True)
class SessionLog:
    idempotency_key: uuid.UUID
    started_at: datetime
    finished_at: datetime
    pain_before: int
    pain_after: int | None
    exercises: tuple[LoggedExercise, ...]
    ended_early: bool
    end_reason: str
    kind: SessionKind = SessionKind.FULL

    @property
    def red_flag(self) -> bool:
        return any(item.symptoms is SymptomMovement.RED_FLAG for item in self.exercises)


@dataclass(frozen=True)
class LogProblem:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class SessionLogError(ValueError):
    def __init__(self, problems: list[LogProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


LOG_KEYS = (
    "idempotency_key",
    "started_at",
    "finished_at",
    "pain_before",
    "pain_after",
    "exercises",
    "ended_early",
    "end_reason",
    "kind",
)
EXERCISE_KEYS = ("id", "status", "reps_done", "holds_done", "seconds", "symptoms", "stop_reason")
# The bounds a log's numbers and words must keep; the API's documented schema is built from these too.
MAX_COUNT = 1000  # reps or holds of one exercise in one session
MAX_EXERCISE_SECONDS = 6 * 3600
MAX_TEXT_LENGTH = 500
# An unknown key is named in the answer only while it is short and plain text; otherwise as this.
SHOWN_KEY_MAX = 60
OPTIONAL = {
    "pain_after",
    "kind",
    "ended_early",
    "end_reason",
    "reps_done",
    "holds_done",
    "seconds",
    "symptoms",
    "stop_reason",
}


class _Checker:
    def __init__(self) -> None:
        self.problems: list[LogProblem] = []

    def fail(self, field: str, message: str) -> None:
        self.problems.append(LogProblem(field, message))

    def mapping(self, value: object, field: str, keys: tuple[str, ...]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.fail(field or "(body)", "must be a JSON object")
            return None
        prefix = f"{field}." if field else ""
        for key in value:
            if key not in keys:
                plain = isinstance(key, str) and len(key) <= SHOWN_KEY_MAX and text_problem(key) is None
                self.fail(
                    f"{prefix}{key if plain else '(a key)'}",
                    f"unknown key; allowed keys are {', '.join(keys)}",
                )
        for key in keys:
            if key not in value and key not in OPTIONAL:
                self.fail(f"{prefix}{key}", "missing: this key is required")
        return value

    def integer(self, value: object, field: str, low: int, high: int) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(field, f"must be a whole number from {low} to {high}")
            return None
        return value

    def moment(self, value: object, field: str, now: datetime) -> datetime | None:
        parsed = None
        if isinstance(value, str) and text_problem(value) is None:
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                parsed = None
        if parsed is None or parsed.tzinfo is None:
            self.fail(
                field, "must be an ISO 8601 date and time with a time zone, e.g. 2026-05-12T08:30:00+00:00"
            )
            return None
        problem = moment_problem(parsed, now)
        if problem is not None:
            self.fail(field, problem)
            return None
        return parsed

    def choice(self, value: object, field: str, allowed: tuple[str, ...]) -> str | None:
        if value not in allowed:
            self.fail(field, f"must be one of {', '.join(allowed)}")
            return None
        return str(value)

    def text(self, value: object, field: str) -> str | None:
        if not isinstance(value, str) or len(value) > MAX_TEXT_LENGTH:
            self.fail(field, f"must be text of at most {MAX_TEXT_LENGTH} characters")
            return None
        problem = text_problem(value)
        if problem is not None:
            self.fail(field, problem)
            return None
        return value


def _exercise(check: _Checker, value: object, field: str) -> LoggedExercise | None:
    data = check.mapping(value, field, EXERCISE_KEYS)
    if data is None:
        return None
    exercise_id = check.choice(data.get("id"), f"{field}.id", EXERCISE_IDS)
    status = check.choice(data.get("status"), f"{field}.status", tuple(ExerciseStatus))
    symptoms_value = data.get("symptoms")
    symptoms = None
    if symptoms_value is not None:
        chosen = check.choice(symptoms_value, f"{field}.symptoms", tuple(SymptomMovement))
        symptoms = SymptomMovement(chosen) if chosen else None
    counts = [
        check.integer(data.get(key, 0), f"{field}.{key}", 0, limit)
        for key, limit in (
            ("reps_done", MAX_COUNT),
            ("holds_done", MAX_COUNT),
            ("seconds", MAX_EXERCISE_SECONDS),
        )
    ]
    reason = check.text(data.get("stop_reason", ""), f"{field}.stop_reason")
    if status == ExerciseStatus.STOPPED and reason == "":
        check.fail(f"{field}.stop_reason", "say why the exercise was stopped")
    if exercise_id is None or status is None or reason is None or None in counts:
        return None
    reps, holds, seconds = (int(count or 0) for count in counts)
    return LoggedExercise(exercise_id, ExerciseStatus(status), reps, holds, seconds, symptoms, reason)


def parse_session_log(data: object, now: datetime | None = None) -> SessionLog:
    """A validated :class:`SessionLog`; raises :class:`SessionLogError` listing every problem.

    Its moments must lie between :data:`~.plain_input.EARLIEST_MOMENT` and a day after ``now`` (the
    clock's time unless given), and the session must last at most :data:`~.plain_input.LONGEST_SESSION`.
    """
    now = now or datetime.now(UTC)
    check = _Checker()
    body = check.mapping(data, "", LOG_KEYS)
    if body is None:
        raise SessionLogError(check.problems)
    key = None
    try:
        raw_key = body.get("idempotency_key")
        key = uuid.UUID(raw_key) if isinstance(raw_key, str) else None
    except ValueError:
        key = None
    if key is None:
        check.fail(
            "idempotency_key",
            "must be a UUID the sender makes once per session, e.g. from crypto.randomUUID()",
        )
    started = check.moment(body.get("started_at"), "started_at", now)
    finished = check.moment(body.get("finished_at"), "finished_at", now)
    if started and finished and finished < started:
        check.fail("finished_at", "must not be before started_at")
    elif started and finished and finished - started > LONGEST_SESSION:
        hours = int(LONGEST_SESSION.total_seconds() // 3600)
        check.fail("finished_at", f"must be at most {hours} hours after started_at")
    pain_before = check.integer(body.get("pain_before"), "pain_before", *PAIN_RANGE)
    pain_after = body.get("pain_after")
    if pain_after is not None:
        pain_after = check.integer(pain_after, "pain_after", *PAIN_RANGE)
    ended_early = body.get("ended_early", False)
    if not isinstance(ended_early, bool):
        check.fail("ended_early", "must be true or false")
    end_reason = check.text(body.get("end_reason", ""), "end_reason")
    kind = check.choice(body.get("kind", SessionKind.FULL.value), "kind", tuple(SessionKind))
    raw = body.get("exercises")
    exercises: list[LoggedExercise] = []
    if not isinstance(raw, list) or not raw or len(raw) > len(EXERCISE_IDS):
        check.fail("exercises", f"must be a list of 1 to {len(EXERCISE_IDS)} exercises")
    else:
        seen: set[str] = set()
        for index, item in enumerate(raw):
            logged = _exercise(check, item, f"exercises[{index}]")
            if logged is not None:
                if logged.exercise_id in seen:
                    check.fail(f"exercises[{index}].id", "each exercise appears once in a session")
                seen.add(logged.exercise_id)
                exercises.append(logged)
    if check.problems:
        raise SessionLogError(check.problems)
    # No problems means every reader returned a value; the asserts say so to the type checker.
    assert key is not None and started is not None and finished is not None
    assert pain_before is not None and end_reason is not None and kind is not None
    return SessionLog(
        key,
        started,
        finished,
        pain_before,
        pain_after,
        tuple(exercises),
        bool(ended_early),
        end_reason,
        SessionKind(kind),
    )


def session_log_to_json(log: SessionLog) -> dict[str, Any]:
    """The log in the same shape :func:`parse_session_log` reads."""
    return {
        "idempotency_key": str(log.idempotency_key),
        "started_at": log.started_at.isoformat(),
        "finished_at": log.finished_at.isoformat(),
        "pain_before": log.pain_before,
        "pain_after": log.pain_after,
        "ended_early": log.ended_early,
        "end_reason": log.end_reason,
        "kind": log.kind.value,
        "exercises": [
            {
                "id": item.exercise_id,
                "status": item.status.value,
                "reps_done": item.reps_done,
                "holds_done": item.holds_done,
                "seconds": item.seconds,
                "symptoms": item.symptoms.value if item.symptoms else None,
                "stop_reason": item.stop_reason,
            }
            for item in log.exercises
        ],
    }
