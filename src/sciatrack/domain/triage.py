"""The triage engine: intake answers in, an explained tier and place to go out.

The rules are data (``content/triage_rules.yaml``); this module only evaluates them. Every rule that
matches is reported with its plain-language reason and sources; the tier is the most urgent match and
``where`` the most pressing place among the matches (a place belongs to one tier, so the two agree);
``self_care`` and the home program when nothing matches. The intake's safe readings come first (see
:attr:`IntakeAnswers.effective_flags`). Exercise is allowed only in the ``routine`` and ``self_care``
tiers. Under-triage is the one error this must never make, so nothing here can lower a tier: rules only
ever add matches, and the most pressing one wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sciatrack.content.danger_signs import fill_danger_signs
from sciatrack.content.rules_loader import load_conditions, load_rules
from sciatrack.content.rules_schema import PLACEHOLDER, RuleCondition, RuleSet

from .differential import (
    ConditionToDiscuss,
    NerveRootHint,
    conditions_to_discuss,
    mckenzie_pattern,
    nerve_root_hint,
)
from .intake import IntakeAnswers
from .vocabulary import Pattern, Tier, Where

__all__ = [
    "DEFAULT_EMERGENCY_NUMBER",
    "Tier",
    "TriageResult",
    "Where",
    "place_advice",
    "result_to_json",
    "triage",
]

DEFAULT_EMERGENCY_NUMBER = "911"


@dataclass(frozen=True)
class MatchedRule:
    id: str
    tier: Tier
    where: Where
    reason: str
    references: tuple[str, ...]  # titles of the sources


@dataclass(frozen=True)
class Advice:
    headline: str
    what_to_do_now: tuple[str, ...]  # with the emergency number filled in
    where_label: str  # the place in words


@dataclass(frozen=True)
class TriageResult:
    tier: Tier
    where: Where
    matched: tuple[MatchedRule, ...]  # most pressing first, then in the order of the rules file
    advice: Advice
    exercise_allowed: bool
    not_asked: tuple[str, ...]  # red-flag questions the answers never had (version-1 intakes)
    not_asked_notice: str  # empty when every question was asked
    conditions_to_discuss: tuple[ConditionToDiscuss, ...]
    conditions_notice: str
    nerve_root_hint: NerveRootHint | None
    mckenzie_pattern: Pattern
    emergency_number: str


def rule_matches(
    condition: RuleCondition, answers: IntakeAnswers, terms: Mapping[str, RuleCondition] | None = None
) -> bool:
    """Whether every test of ``condition`` holds for ``answers`` (tests not given are ignored).

    ``terms`` are the rule set's named conditions (nerve signs, weakening, below the knee).
    """
    terms = terms if terms is not None else load_rules().terms
    flags = answers.effective_flags
    age = answers.age
    tests = (
        condition.all_flags is None or set(condition.all_flags) <= flags,
        condition.any_flags is None or bool(set(condition.any_flags) & flags),
        condition.terms is None or all(rule_matches(terms[name], answers, terms) for name in condition.terms),
        condition.any_of is None or any(rule_matches(part, answers, terms) for part in condition.any_of),
        condition.any_pain_at_least is None
        or max(answers.leg_pain, answers.back_pain) >= condition.any_pain_at_least,
        condition.onset_weeks_at_least is None or answers.onset_weeks >= condition.onset_weeks_at_least,
        condition.onset_weeks_below is None or answers.onset_weeks < condition.onset_weeks_below,
        condition.sensation_any is None or bool(set(condition.sensation_any) & set(answers.sensations)),
        condition.region_any is None or bool(set(condition.region_any) & set(answers.regions)),
        condition.worse_with_any is None or bool(set(condition.worse_with_any) & set(answers.worse_with)),
        condition.age_below is None or age < condition.age_below,
        condition.age_above is None or age > condition.age_above,
        condition.age_at_least is None or age >= condition.age_at_least,
    )
    return all(tests)


def _fill(line: str, emergency_number: str) -> str:
    return fill_danger_signs(line).replace(PLACEHOLDER, emergency_number)


def place_advice(
    where: Where, emergency_number: str = DEFAULT_EMERGENCY_NUMBER, rules: RuleSet | None = None
) -> Advice:
    """The advice of one place with the number filled in: what a danger sign seen anywhere leads to."""
    place = (rules if rules is not None else load_rules()).places[where.value]
    lines = tuple(_fill(line, emergency_number) for line in place.what_to_do_now)
    return Advice(_fill(place.headline, emergency_number), lines, place.label)


def triage(
    answers: IntakeAnswers, rules: RuleSet | None = None, emergency_number: str = DEFAULT_EMERGENCY_NUMBER
) -> TriageResult:
    """Triage ``answers`` with ``rules`` (the shipped rules by default).

    ``emergency_number`` is the deployment's number to call (911 by default); it must not be blank,
    because the emergency advice tells the person to call it.
    """
    number = emergency_number.strip()
    if not number:
        raise ValueError("emergency_number must not be blank")
    rules = rules if rules is not None else load_rules()
    found = [rule for rule in rules.rules if rule_matches(rule.when, answers, rules.terms)]
    found.sort(key=lambda rule: -Where(rule.where).pressure)  # stable: file order within a place
    where = Where(found[0].where) if found else Where.HOME_PROGRAM
    base = place_advice(where, number, rules)
    # Each extra line of the rules at the result's tier, once, in rule order.
    extra = dict.fromkeys(
        _fill(line, number) for rule in found if rule.tier is where.tier for line in rule.advice
    )
    conditions = load_conditions()
    return TriageResult(
        tier=where.tier,
        where=where,
        matched=tuple(
            MatchedRule(
                rule.id,
                rule.tier,
                Where(rule.where),
                rule.reason,
                tuple(rules.sources[key].title for key in rule.references),
            )
            for rule in found
        ),
        advice=Advice(base.headline, (*base.what_to_do_now, *extra), base.where_label),
        exercise_allowed=where.tier.exercise_allowed,
        not_asked=answers.not_asked,
        not_asked_notice=rules.not_asked_notice if answers.not_asked else "",
        conditions_to_discuss=conditions_to_discuss(answers, conditions),
        conditions_notice=conditions.notice,
        nerve_root_hint=nerve_root_hint(answers, conditions),
        mckenzie_pattern=mckenzie_pattern(answers),
        emergency_number=number,
    )


def result_to_json(result: TriageResult) -> dict[str, Any]:
    """The result in the shape of the spec's section 4 (JSON-ready: only dicts, lists, str, bool, None)."""
    hint = result.nerve_root_hint
    return {
        "tier": result.tier.value,
        "where": result.where.value,
        "reasons": [
            {
                "rule": rule.id,
                "tier": rule.tier.value,
                "where": rule.where.value,
                "text": rule.reason,
                "references": list(rule.references),
            }
            for rule in result.matched
        ],
        "not_asked": list(result.not_asked),
        "not_asked_notice": result.not_asked_notice,
        "exercise_allowed": result.exercise_allowed,
        "advice": {
            "headline": result.advice.headline,
            "where": result.advice.where_label,
            "what_to_do_now": list(result.advice.what_to_do_now),
            "emergency_number": result.emergency_number,
        },
        "conditions_to_discuss": [
            {
                "id": condition.id,
                "name": condition.name,
                "serious": condition.serious,
                "about": condition.about,
                "because": list(condition.because),
            }
            for condition in result.conditions_to_discuss
        ],
        "conditions_notice": result.conditions_notice,
        "nerve_root_hint": None
        if hint is None
        else {
            "roots": list(hint.roots),
            "regions": {root: list(regions) for root, regions in hint.regions},
            "text": hint.text,
        },
        "mckenzie_pattern": result.mckenzie_pattern.value,
    }
