"""The triage engine: intake answers in, an explained tier out.

The rules are data (``content/triage_rules.yaml``); this module only evaluates them. Every rule that
matches is reported with its plain-language reason and sources; the tier is the most urgent match, and
``self_care`` when nothing matches. ``side: both`` counts as ``bilateral_leg_symptoms`` (see
:attr:`IntakeAnswers.effective_flags`). Exercise is allowed only in the ``routine`` and ``self_care``
tiers. Under-triage is the one error this must never make, so nothing here can lower a tier: rules only
ever add matches, and the most urgent one wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sciatrack.content.rules_loader import load_conditions, load_rules
from sciatrack.content.rules_schema import PLACEHOLDER, RuleCondition, RuleSet

from .differential import (
    ConditionToDiscuss,
    NerveRootHint,
    Pattern,
    conditions_to_discuss,
    mckenzie_pattern,
    nerve_root_hint,
)
from .intake import IntakeAnswers

DEFAULT_EMERGENCY_NUMBER = "911"


class Tier(StrEnum):
    """A triage tier. Tiers compare by urgency, not alphabetically: ``EMERGENCY > ... > SELF_CARE``."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    SOON = "soon"
    ROUTINE = "routine"
    SELF_CARE = "self_care"

    @property
    def urgency(self) -> int:
        """4 for emergency down to 0 for self_care."""
        return len(_ORDER) - 1 - _ORDER.index(self)

    @property
    def exercise_allowed(self) -> bool:
        return self in (Tier.ROUTINE, Tier.SELF_CARE)

    # str's own comparisons would order tiers alphabetically; urgency is the only order that means anything.
    def __lt__(self, other: object) -> bool:
        return self.urgency < other.urgency if isinstance(other, Tier) else NotImplemented

    def __le__(self, other: object) -> bool:
        return self.urgency <= other.urgency if isinstance(other, Tier) else NotImplemented

    def __gt__(self, other: object) -> bool:
        return self.urgency > other.urgency if isinstance(other, Tier) else NotImplemented

    def __ge__(self, other: object) -> bool:
        return self.urgency >= other.urgency if isinstance(other, Tier) else NotImplemented


_ORDER = (Tier.EMERGENCY, Tier.URGENT, Tier.SOON, Tier.ROUTINE, Tier.SELF_CARE)


@dataclass(frozen=True)
class MatchedRule:
    id: str
    tier: Tier
    reason: str
    references: tuple[str, ...]  # titles of the sources


@dataclass(frozen=True)
class Advice:
    headline: str
    what_to_do_now: tuple[str, ...]  # with the emergency number filled in


@dataclass(frozen=True)
class TriageResult:
    tier: Tier
    matched: tuple[MatchedRule, ...]  # most urgent first, then in the order of the rules file
    advice: Advice
    exercise_allowed: bool
    conditions_to_discuss: tuple[ConditionToDiscuss, ...]
    conditions_notice: str
    nerve_root_hint: NerveRootHint | None
    mckenzie_pattern: Pattern
    emergency_number: str


def rule_matches(condition: RuleCondition, answers: IntakeAnswers) -> bool:
    """Whether every test of ``condition`` holds for ``answers`` (tests not given are ignored)."""
    tests = (
        condition.all_flags is None or set(condition.all_flags) <= answers.effective_flags,
        condition.any_pain_at_least is None
        or max(answers.leg_pain, answers.back_pain) >= condition.any_pain_at_least,
        condition.onset_weeks_at_least is None or answers.onset_weeks >= condition.onset_weeks_at_least,
        condition.sensation_any is None or bool(set(condition.sensation_any) & set(answers.sensations)),
        condition.age_below is None or answers.age < condition.age_below,
        condition.age_above is None or answers.age > condition.age_above,
    )
    return all(tests)


def _fill(line: str, emergency_number: str) -> str:
    return line.replace(PLACEHOLDER, emergency_number)


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
    matched = [
        MatchedRule(
            rule.id, Tier(rule.tier), rule.reason, tuple(rules.sources[key].title for key in rule.references)
        )
        for rule in rules.rules
        if rule_matches(rule.when, answers)
    ]
    matched.sort(key=lambda rule: -rule.tier.urgency)  # stable: file order within a tier
    tier = matched[0].tier if matched else Tier.SELF_CARE
    advice = rules.tiers[tier.value]
    conditions = load_conditions()
    return TriageResult(
        tier=tier,
        matched=tuple(matched),
        advice=Advice(
            _fill(advice.headline, number), tuple(_fill(line, number) for line in advice.what_to_do_now)
        ),
        # Both must agree; the rules schema already guarantees it, this keeps it true for any RuleSet.
        exercise_allowed=advice.exercise_allowed and tier.exercise_allowed,
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
        "reasons": [
            {
                "rule": rule.id,
                "tier": rule.tier.value,
                "text": rule.reason,
                "references": list(rule.references),
            }
            for rule in result.matched
        ],
        "exercise_allowed": result.exercise_allowed,
        "advice": {
            "headline": result.advice.headline,
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
