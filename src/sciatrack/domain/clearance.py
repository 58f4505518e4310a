"""Clearance: who may let a held result start the exercise program, and what a clearance covers.

The contract (section 3, version 2): a clinician of the person's clinic can clear a result that sends
the person to a doctor within days (``soon``) or today (``urgent``, ``doctor_today``) after seeing them;
the person can clear a ``soon`` result themselves by recording that a doctor checked them for these since
the check and said exercise is fine, with the date. A result that sends the person to an emergency
department, now or today, is never cleared: the person does a new check once seen.

A clearance covers only the rules matched when it was given. :func:`covers` is asked each time the
program is about to start from a cleared check, so a result that later gains a rule (a danger sign, a
change of the rules) holds the exercises again until a new check or a new clearance allows them.
No Django here: the care app stores clearances and asks these functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .vocabulary import Where


class ClearedBy(StrEnum):
    CLINICIAN = "clinician"  # a clinician of the person's clinic, after seeing them
    PERSON = "person"  # the person: a doctor checked them for these since the check and said exercise is fine


# The one home of the rule. A place not listed is never cleared: the emergency department (now or today)
# needs a new check once seen, and the home program and a clinician review already allow exercise.
_MAY_CLEAR: dict[Where, frozenset[ClearedBy]] = {
    Where.DOCTOR_TODAY: frozenset({ClearedBy.CLINICIAN}),
    Where.DOCTOR_WITHIN_DAYS: frozenset({ClearedBy.CLINICIAN, ClearedBy.PERSON}),
}


def who_may_clear(where: Where) -> frozenset[ClearedBy]:
    """Who may clear a result that sends the person to ``where``; empty when nobody may."""
    return _MAY_CLEAR.get(where, frozenset())


def places_cleared_by(by: ClearedBy) -> tuple[Where, ...]:
    """The places whose results ``by`` may clear, most pressing first (for the database's own check)."""
    return tuple(where for where in Where if by in who_may_clear(where))


@dataclass(frozen=True)
class Clearance:
    """A clearance as given: by whom, the place the result sent the person to, and the rules it matched."""

    by: ClearedBy
    where: Where
    rules: frozenset[str]


def covers(clearance: Clearance, where: Where, rules: Iterable[str]) -> bool:
    """Whether ``clearance`` lets a result with this place and these matched rules start the program.

    Only when whoever gave it may clear that place, and the result matches no rule that was not matched
    when it was given.
    """
    return clearance.by in who_may_clear(where) and set(rules) <= clearance.rules


def allows_exercise(where: Where, rules: Iterable[str], clearance: Clearance | None = None) -> bool:
    """Whether a result with this place and these rules allows the exercise program, cleared or not."""
    if where.tier.exercise_allowed:
        return True
    return clearance is not None and covers(clearance, where, rules)


def seen_on_problem(seen_on: date, check_day: date, today: date) -> str | None:
    """What is wrong with ``seen_on``, the day the person was seen about the check of ``check_day``.

    None when it is right: on or after the day of the check, and not after today.
    """
    if seen_on > today:
        return f"give a date that is not after today ({in_words(today)})"
    if seen_on < check_day:
        return f"give a date on or after the day of the check ({in_words(check_day)})"
    return None


def in_words(day: date) -> str:
    """A date as people write it: 4 May 2026."""
    return f"{day.day} {day:%B %Y}"
