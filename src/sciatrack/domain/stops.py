"""The stop that sticks: which exercises stay out of the program after they made the pain spread.

The contract (section 3, version 2): an exercise stopped because the pain spread stays out of the
program, listed as left out with the reason, until a clinician clears it ("clear to resume"), or a new
full check at least :data:`RECHECK_AFTER_DAYS` days later allows it; the person is told exactly that.
:func:`kept_out` is the one home of that rule. No Django here: the care app reads the session logs,
the clearances and the checks, and asks it.

Times are in the person's own time zone, so that "the day" of a stop or a check is the day they lived.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .clearance import in_words
from .session_log import ExerciseStatus, SymptomMovement

# A new full check this many days after the stop, or later, can bring the exercise back.
RECHECK_AFTER_DAYS = 7
# The rule id of an exercise left out this way (see domain.programs.LeftOut).
STOP_RULE = "stopped-pain-spread"


@dataclass(frozen=True)
class Stop:
    """An exercise a session stopped, as its log recorded it."""

    exercise_id: str
    at: datetime  # when the session that stopped it ended
    status: ExerciseStatus
    symptoms: SymptomMovement | None


@dataclass(frozen=True)
class ResumeClearance:
    """A clinician's "clear to resume" for one exercise, given at ``at``."""

    exercise_id: str
    at: datetime


@dataclass(frozen=True)
class KeptOut:
    """An exercise that stays out of the program, since the stop that keeps it out."""

    exercise_id: str
    stopped_at: datetime

    @property
    def stopped_on(self) -> date:
        return self.stopped_at.date()

    @property
    def recheck_from(self) -> date:
        """The first day on which a new full check can bring the exercise back."""
        return self.stopped_on + timedelta(days=RECHECK_AFTER_DAYS)

    @property
    def reason(self) -> str:
        """What the person is told, with the dates filled in."""
        return (
            f"On {in_words(self.stopped_on)} this exercise made your pain spread further down your leg. "
            "It stays out of your program until a clinician says you can start it again, or until a new "
            f"full check on or after {in_words(self.recheck_from)} allows it. Book a review with your "
            "clinician to talk about it."
        )

    @property
    def for_clinician(self) -> str:
        """The stop in a clinician's words, for the record and the program's change history."""
        return f"stopped on {in_words(self.stopped_on)}: the pain spread further down the leg"


def sticks(stop: Stop) -> bool:
    """Whether this stop keeps the exercise out: it was stopped because the pain spread."""
    return stop.status is ExerciseStatus.STOPPED and stop.symptoms is SymptomMovement.SPREAD_DOWN


def kept_out(
    stops: Iterable[Stop], clearances: Iterable[ResumeClearance], full_checks: Iterable[date]
) -> dict[str, KeptOut]:
    """The exercises that stay out of the program now, by id, each with the stop that keeps it out.

    ``full_checks`` are the days of the person's full checks that allow exercise. An exercise is out
    from its latest sticking stop until a clinician's clearance given after that stop, or a full check
    on or after the stop's day plus :data:`RECHECK_AFTER_DAYS`.
    """
    latest: dict[str, datetime] = {}
    for stop in stops:
        if sticks(stop) and (stop.exercise_id not in latest or stop.at > latest[stop.exercise_id]):
            latest[stop.exercise_id] = stop.at
    if not latest:
        return {}
    newest_check = max(full_checks, default=None)
    cleared: dict[str, datetime] = {}
    for clearance in clearances:
        if clearance.exercise_id not in cleared or clearance.at > cleared[clearance.exercise_id]:
            cleared[clearance.exercise_id] = clearance.at
    out: dict[str, KeptOut] = {}
    for exercise_id, at in latest.items():
        found = KeptOut(exercise_id, at)
        if exercise_id in cleared and cleared[exercise_id] > at:
            continue
        if newest_check is not None and newest_check >= found.recheck_from:
            continue
        out[exercise_id] = found
    return out
