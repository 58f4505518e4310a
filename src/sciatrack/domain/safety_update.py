"""Danger signs asked again after a check, and what a "yes" means (the contract, section 3, v2).

A person is asked the danger signs again where they report (a session's start, a diary entry, the
session's "Something is wrong" button). Each "yes" is added to the answers of their latest check, the
episode is taken to have lasted that much longer, and the whole tier table runs again. The result is
never less urgent than "see a doctor today": someone who reports a danger sign is not sent home.

Which signs are asked is content (``danger_signs.yaml``); which of them alone mean "emergency department
now" is whatever the triage rules say for that sign on calm answers, so the lists can never disagree
with the rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache

from sciatrack.content.danger_signs import load_danger_signs

from .intake import IntakeAnswers
from .triage import DEFAULT_EMERGENCY_NUMBER, TriageResult, place_advice, triage
from .vocabulary import ONSET_WEEKS_RANGE, SCHEMA, Where

# A reported danger sign is never less urgent than this.
FLOOR = Where.DOCTOR_TODAY
# Calm answers that match no rule: what a sign does "alone" is what it does added to these.
CALM = IntakeAnswers(
    age=30,
    onset_weeks=1,
    leg_pain=0,
    back_pain=0,
    regions=(),
    side="left",
    sensations=(),
    worse_with=(),
    better_with=(),
    red_flags=frozenset(),
    schema=SCHEMA,
)


@dataclass(frozen=True)
class DangerSign:
    flag: str
    label: str
    emergency_alone: bool  # this sign alone sends a person to the emergency department now


@cache
def danger_signs() -> tuple[DangerSign, ...]:
    """The signs to ask again, in order, each marked when it alone means the emergency department now."""
    return tuple(
        DangerSign(
            sign.flag,
            sign.label,
            triage(replace(CALM, red_flags=frozenset({sign.flag}))).where is Where.EMERGENCY_DEPARTMENT_NOW,
        )
        for sign in load_danger_signs().signs
    )


def updated_answers(answers: IntakeAnswers, yes: Iterable[str], weeks_since: float) -> IntakeAnswers:
    """The check's answers with the signs answered yes added, ``weeks_since`` the check later.

    "New symptoms in both legs" sets ``bilateral_new``, which the intake's safe readings count as
    symptoms in both legs. The earlier answers stand; nothing else is invented.
    """
    onset = min(answers.onset_weeks + max(weeks_since, 0.0), float(ONSET_WEEKS_RANGE[1]))
    return replace(answers, onset_weeks=onset, red_flags=answers.red_flags | frozenset(yes))


def topped_up(answers: IntakeAnswers, yes: Iterable[str]) -> IntakeAnswers:
    """A version-1 check's answers with the questions added in version 2 asked: ``yes`` for those
    answered yes, no for the rest. Answers already of version 2 come back as they are, plus ``yes``."""
    return replace(answers, schema=SCHEMA, red_flags=answers.red_flags | frozenset(yes))


def at_least(
    result: TriageResult, where: Where, emergency_number: str = DEFAULT_EMERGENCY_NUMBER
) -> TriageResult:
    """``result``, or the advice of ``where`` when the result is less pressing than it."""
    if result.where.pressure >= where.pressure:
        return result
    return replace(
        result,
        tier=where.tier,
        where=where,
        advice=place_advice(where, emergency_number),
        exercise_allowed=where.tier.exercise_allowed,
    )


def triage_update(
    answers: IntakeAnswers,
    yes: Iterable[str],
    weeks_since: float,
    emergency_number: str = DEFAULT_EMERGENCY_NUMBER,
) -> TriageResult:
    """The whole tier table on the check's answers plus the signs answered yes, never below :data:`FLOOR`."""
    signs = frozenset(yes)
    if not signs:
        raise ValueError("a safety update needs at least one sign answered yes")
    result = triage(updated_answers(answers, signs, weeks_since), emergency_number=emergency_number)
    return at_least(result, FLOOR, emergency_number)
