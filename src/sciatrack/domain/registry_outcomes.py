"""One registry case against the outcome definitions: met, not met or missing, the change from baseline,
and the time until the outcome was first met (pure logic, no Django).

The definitions are data (``content/registry_outcomes.yaml``). For each definition this module picks the
follow-up that counts (inside the window, closest to the target day, the earlier one on a tie), applies
the rule to it, and separately walks every follow-up in time order to find the first day the rule was
met, for the Kaplan-Meier curve of time to response. Follow-ups that lack the definition's measure are
skipped for it. A case without the baseline an ``improved`` rule needs counts as missing.

An ``improved`` rule is the minimal important change of the measure's questionnaire, judged by
:func:`.scoring.rules_reached`, the same function the progress pages use: for leg pain, at least 2 points
lower, or at least 30% lower when the first rating was above 3. A ``recovered`` rule is the
questionnaire's ``recovered`` score, the same one :func:`.outcomes.recovered` reads: for leg pain, 0 or 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from functools import cache

from sciatrack.content.registry_schema import (
    AdherenceBand,
    AgeBand,
    AtMostRule,
    ImprovedRule,
    OutcomeDefinition,
    RecoveredRule,
)
from sciatrack.content.rules_loader import get_questionnaire
from sciatrack.content.rules_schema import ImportantChange, Recovered

from .scoring import rules_reached

DAYS_PER_WEEK = 7


class Status(IntEnum):
    """How a case counts for one outcome; stored as this number in the summary table."""

    MET = 1
    NOT_MET = 0
    MISSING = -1  # no follow-up in the window (or no baseline for an ``improved`` rule)


@dataclass(frozen=True)
class FollowUp:
    """One follow-up of a case: days since the first check, and each measure (None when not asked)."""

    day: int
    leg_pain: int | None = None
    back_pain: int | None = None
    sbi: int | None = None

    def measure(self, name: str) -> int | None:
        value: int | None = getattr(self, name)
        return value


@dataclass(frozen=True)
class OutcomeResult:
    """A case's result for one outcome.

    ``change`` is the follow-up value minus the baseline (negative is better for every registry measure),
    None when either is missing. ``time_week`` and ``event`` feed the Kaplan-Meier curve: the week the
    rule was first met (``event`` True), or the week of the last follow-up with the measure, when it was
    never met (``event`` False, censored; week 0 when there was no follow-up at all).
    """

    outcome_id: str
    status: Status
    baseline: int | None
    value: int | None
    change: int | None
    time_week: int
    event: bool


@cache
def _important_change(questionnaire_id: str) -> ImportantChange:
    # Looked up once per questionnaire: the registry judges millions of follow-ups.
    return get_questionnaire(questionnaire_id).minimal_important_change


@cache
def _recovered(questionnaire_id: str) -> Recovered:
    recovered = get_questionnaire(questionnaire_id).recovered
    if recovered is None:  # the content check refuses a recovered rule naming such a questionnaire
        raise KeyError(f"questionnaire {questionnaire_id!r} gives no recovered score")
    return recovered


def rule_met(definition: OutcomeDefinition, baseline: int | None, value: int) -> bool | None:
    """Whether ``value`` meets the definition's rule; None when the rule needs a baseline there is not."""
    rule = definition.rule
    if isinstance(rule, AtMostRule):
        return value <= rule.value
    if isinstance(rule, RecoveredRule):
        return value <= _recovered(rule.recovered_of).at_most
    assert isinstance(rule, ImprovedRule)
    if baseline is None:
        return None
    drop = baseline - value  # every registry measure is better lower
    threshold = _important_change(rule.minimal_important_change_of)
    return drop > 0 and bool(rules_reached(threshold, baseline, drop))


def counting_follow_up(definition: OutcomeDefinition, follow_ups: Iterable[FollowUp]) -> FollowUp | None:
    """The follow-up that counts for ``definition``: in its window, nearest the target, earlier on a tie."""
    inside = [
        follow_up
        for follow_up in follow_ups
        if definition.first_day <= follow_up.day <= definition.last_day
        and follow_up.measure(definition.measure) is not None
    ]
    if not inside:
        return None
    return min(inside, key=lambda follow_up: (abs(follow_up.day - definition.target_day), follow_up.day))


def evaluate(
    definition: OutcomeDefinition, baselines: Mapping[str, int | None], follow_ups: Sequence[FollowUp]
) -> OutcomeResult:
    """The case's result for ``definition``, from its baseline measures and its follow-ups (any order)."""
    baseline = baselines.get(definition.measure)
    ordered = sorted(follow_ups, key=lambda follow_up: follow_up.day)
    counted = counting_follow_up(definition, ordered)
    value = counted.measure(definition.measure) if counted is not None else None
    met = rule_met(definition, baseline, value) if value is not None else None
    status = Status.MISSING if met is None else (Status.MET if met else Status.NOT_MET)
    change = value - baseline if value is not None and baseline is not None else None

    time_week, event = 0, False
    for follow_up in ordered:
        measured = follow_up.measure(definition.measure)
        if measured is None or follow_up.day < 1:
            continue
        time_week = follow_up.day // DAYS_PER_WEEK
        if rule_met(definition, baseline, measured):
            event = True
            break
    return OutcomeResult(definition.id, status, baseline, value, change, time_week, event)


def adherence_band(bands: Sequence[AdherenceBand], done: int, prescribed: int) -> str:
    """The id of the band that sessions ``done`` out of ``prescribed`` fall in ('' if none prescribed)."""
    if prescribed <= 0:
        return ""
    share = done / prescribed
    for band in bands:
        if share >= band.at_least:
            return band.id
    return bands[-1].id


def age_band(bands: Sequence[AgeBand], age: int) -> str:
    """The id of the age band ``age`` falls in (the last band whose ``from_age`` it has reached)."""
    if age < bands[0].from_age:
        raise ValueError(f"age must be at least {bands[0].from_age}, got {age}")
    chosen = bands[0].id
    for band in bands:
        if age >= band.from_age:
            chosen = band.id
    return chosen


def program_mask(bits: Mapping[str, int], exercise_ids: Iterable[str]) -> int:
    """The bit mask of a program's exercises (an unknown exercise id is a ValueError naming it)."""
    mask = 0
    for exercise_id in exercise_ids:
        if exercise_id not in bits:
            raise ValueError(f"exercise {exercise_id!r} has no registry bit; add it to program_bits")
        mask |= 1 << bits[exercise_id]
    return mask
