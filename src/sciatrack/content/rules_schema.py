"""Pydantic models for the triage rules, the conditions to discuss and the questionnaires.

Every model forbids unknown keys, so a misspelt condition (``all_flag:``) is an error instead of a rule
that never matches. The safety invariants of the spec are checked here, not just in tests, because a
deployment may edit the YAML without running the test suite:

- every red-flag key has a rule of its own (that flag alone) at tier ``soon`` or more urgent, so no
  red flag can ever leave exercise allowed;
- exercise is allowed by the advice of ``routine`` and ``self_care`` only;
- the emergency advice tells the person the number to call (``{emergency_number}``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from sciatrack.domain.intake import RED_FLAG_KEYS, REGIONS, SENSATIONS, SIDES, TRIGGERS

TIERS = ("emergency", "urgent", "soon", "routine", "self_care")  # most urgent first
EXERCISE_TIERS = ("routine", "self_care")
NO_EXERCISE_TIERS = ("emergency", "urgent", "soon")
PLACEHOLDER = "{emergency_number}"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
TierName = Literal["emergency", "urgent", "soon", "routine", "self_care"]
RuleTier = Literal["emergency", "urgent", "soon", "routine"]  # self_care is what is left when nothing matches


def _one_of(allowed: tuple[str, ...], what: str) -> AfterValidator:
    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"{value!r} is not a {what}; choose from {', '.join(allowed)}")
        return value

    return AfterValidator(check)


def _unique(values: tuple[str, ...]) -> tuple[str, ...]:
    if len(set(values)) != len(values):
        raise ValueError("list each value once")
    return values


FlagKey = Annotated[str, _one_of(RED_FLAG_KEYS, "red-flag key")]
Region = Annotated[str, _one_of(REGIONS, "region")]
Sensation = Annotated[str, _one_of(SENSATIONS, "sensation")]
Trigger = Annotated[str, _one_of(TRIGGERS, "trigger")]
Side = Annotated[str, _one_of(SIDES, "side")]


# Non-empty lists of unique values of one vocabulary.
FlagKeys = Annotated[tuple[FlagKey, ...], Field(min_length=1), AfterValidator(_unique)]
Regions = Annotated[tuple[Region, ...], Field(min_length=1), AfterValidator(_unique)]
Sensations = Annotated[tuple[Sensation, ...], Field(min_length=1), AfterValidator(_unique)]
Triggers = Annotated[tuple[Trigger, ...], Field(min_length=1), AfterValidator(_unique)]
Sides = Annotated[tuple[Side, ...], Field(min_length=1), AfterValidator(_unique)]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _some_test_given(model: BaseModel) -> None:
    if all(getattr(model, name) is None for name in type(model).model_fields):
        raise ValueError(f"give at least one of: {', '.join(type(model).model_fields)}")


# Triage rules ------------------------------------------------------------------------------------


class RuleCondition(StrictModel):
    """When a rule matches. Every test given must hold (they are joined by AND); for OR, write two rules.

    ``all_flags``: each listed red flag answered yes (``side: both`` counts as bilateral_leg_symptoms).
    ``any_pain_at_least``: leg or back pain now at least this. ``onset_weeks_at_least``: the episode has
    lasted at least this many weeks. ``sensation_any``: at least one of these sensations.
    ``age_below`` / ``age_above``: strictly younger / older than this.
    """

    all_flags: FlagKeys | None = None
    any_pain_at_least: int | None = Field(default=None, ge=0, le=10)
    onset_weeks_at_least: float | None = Field(default=None, ge=0, le=5200)
    sensation_any: Sensations | None = None
    age_below: int | None = Field(default=None, ge=16, le=111)
    age_above: int | None = Field(default=None, ge=15, le=110)

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        _some_test_given(self)
        return self


class Rule(StrictModel):
    id: Annotated[
        str, StringConstraints(pattern=r"^(emergency|urgent|soon|routine)\.[a-z0-9]+(-[a-z0-9]+)*$")
    ]
    tier: RuleTier
    when: RuleCondition
    reason: Text
    references: tuple[Slug, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _id_names_its_tier(self) -> Self:
        # The id prefix is read by people scanning logs and docs; it must never contradict the tier.
        if self.id.split(".", 1)[0] != self.tier:
            raise ValueError(f"id {self.id!r} must start with its tier, {self.tier!r}")
        return self


class TierAdvice(StrictModel):
    headline: Text
    what_to_do_now: tuple[Text, ...] = Field(min_length=1)
    exercise_allowed: bool

    @model_validator(mode="after")
    def _only_known_placeholder(self) -> Self:
        for line in (self.headline, *self.what_to_do_now):
            for placeholder in re.findall(r"\{[^}]*\}", line):
                if placeholder != PLACEHOLDER:
                    raise ValueError(f"unknown placeholder {placeholder}; only {PLACEHOLDER} is filled in")
        return self


class Source(StrictModel):
    title: Text
    url: Annotated[str, StringConstraints(pattern=r"^(https://\S+|seed:\S+)$")]


class RuleSet(StrictModel):
    version: Literal[1]
    sources: dict[Slug, Source]
    tiers: dict[TierName, TierAdvice]
    rules: tuple[Rule, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent_and_safe(self) -> Self:
        # One line per problem, each "field: message", so the loader can report them one by one.
        problems = list(self._problems())
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def _problems(self) -> Iterable[str]:
        missing = [tier for tier in TIERS if tier not in self.tiers]
        if missing:
            yield f"tiers: advice missing for {', '.join(missing)}"
        for tier, advice in self.tiers.items():
            if advice.exercise_allowed != (tier in EXERCISE_TIERS):
                allowed = "true" if tier in EXERCISE_TIERS else "false"
                yield f"tiers.{tier}.exercise_allowed: must be {allowed}"
        if "emergency" in self.tiers and not any(
            PLACEHOLDER in line for line in self.tiers["emergency"].what_to_do_now
        ):
            yield f"tiers.emergency.what_to_do_now: must tell the person to call {PLACEHOLDER}"
        seen: set[str] = set()
        for index, rule in enumerate(self.rules):
            if rule.id in seen:
                yield f"rules[{index}].id: {rule.id!r} is used twice"
            seen.add(rule.id)
            for key in rule.references:
                if key not in self.sources:
                    yield f"rules[{index}].references: {key!r} is not in sources"
        alone = {flag for rule in self.rules if (flag := self._flag_alone(rule)) is not None}
        for key in RED_FLAG_KEYS:
            if key not in alone:
                yield f"rules: red flag {key!r} needs a rule of its own at tier soon or more urgent"

    @staticmethod
    def _flag_alone(rule: Rule) -> str | None:
        """The red flag a rule tests on its own at a no-exercise tier, or None for any other rule."""
        when = rule.when
        others = (
            when.any_pain_at_least,
            when.onset_weeks_at_least,
            when.sensation_any,
            when.age_below,
            when.age_above,
        )
        if rule.tier not in NO_EXERCISE_TIERS or when.all_flags is None or len(when.all_flags) != 1:
            return None
        return when.all_flags[0] if all(value is None for value in others) else None


# Conditions to discuss ---------------------------------------------------------------------------


class AnswerPattern(StrictModel):
    """Answers that point toward a condition. Every test given must hold (AND); each ``*_any`` list
    holds when at least one of its values was answered."""

    flags_any: FlagKeys | None = None
    regions_any: Regions | None = None
    sensations_any: Sensations | None = None
    worse_with_any: Triggers | None = None
    better_with_any: Triggers | None = None
    side_any: Sides | None = None
    age_at_least: int | None = Field(default=None, ge=16, le=110)

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        _some_test_given(self)
        return self


# A clue's text may name the answers that matched: {regions}, {sensations}, {worse_with}, {better_with}
# or {side}, each only when its test is in the clue.
CLUE_PLACEHOLDERS = {
    "regions": "regions_any",
    "sensations": "sensations_any",
    "worse_with": "worse_with_any",
    "better_with": "better_with_any",
    "side": "side_any",
}


class Clue(StrictModel):
    when: AnswerPattern
    # Completes "Because you said ..."; written so it reads naturally after those words.
    because: Text

    @model_validator(mode="after")
    def _placeholders_match_tests(self) -> Self:
        for name in re.findall(r"\{([^}]*)\}", self.because):
            test = CLUE_PLACEHOLDERS.get(name)
            if test is None:
                raise ValueError(f"unknown placeholder {{{name}}}; use {', '.join(CLUE_PLACEHOLDERS)}")
            if getattr(self.when, test) is None:
                raise ValueError(f"{{{name}}} needs {test} in this clue's when")
        return self


class ConditionEntry(StrictModel):
    id: Slug
    name: Text
    serious: bool
    about: Text
    references: tuple[Text, ...] = Field(min_length=1)
    clues: tuple[Clue, ...] = Field(min_length=1)  # any one of these lists the condition
    supporting: tuple[Clue, ...] = ()  # add evidence only to a condition already listed


class NerveRoot(StrictModel):
    regions: Regions


class ConditionSet(StrictModel):
    version: Literal[1]
    notice: Text
    conditions: tuple[ConditionEntry, ...] = Field(min_length=1)
    nerve_roots: dict[Annotated[str, StringConstraints(pattern=r"^[LS][1-5]$")], NerveRoot]
    nerve_root_note: Text
    # Plain words for answer values used in clue texts; a value not listed is shown with spaces for "_".
    words: dict[str, Text] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        vocabulary = set(REGIONS) | set(SENSATIONS) | set(TRIGGERS) | set(SIDES)
        unknown = sorted(set(self.words) - vocabulary)
        if unknown:
            raise ValueError(f"words: not answer values: {', '.join(unknown)}")
        ids = [condition.id for condition in self.conditions]
        repeated = sorted({item for item in ids if ids.count(item) > 1})
        if repeated:
            raise ValueError(f"condition ids used twice: {', '.join(repeated)}")
        return self


# Questionnaires ----------------------------------------------------------------------------------


class Item(StrictModel):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
    text: Text
    min: int = Field(ge=0)
    max: int = Field(le=100)
    low_label: Text
    high_label: Text

    @model_validator(mode="after")
    def _range(self) -> Self:
        if self.min >= self.max:
            raise ValueError(f"min ({self.min}) must be below max ({self.max})")
        return self


class NamedItems(StrictModel):
    """Items the person names themselves (PSFS): up to ``max_count`` activities, each rated."""

    prompt: Text
    min_count: int = Field(ge=1)
    max_count: int = Field(ge=1, le=10)
    min: int = Field(ge=0)
    max: int = Field(le=100)
    low_label: Text
    high_label: Text


class ImportantChange(StrictModel):
    """The smallest change that matters to a person: ``points``, or ``percent`` of the first score."""

    points: float | None = Field(default=None, gt=0)
    percent: float | None = Field(default=None, gt=0, le=100)
    note: Text
    references: tuple[Text, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _some_threshold(self) -> Self:
        if self.points is None and self.percent is None:
            raise ValueError("give points, percent or both")
        return self


class Questionnaire(StrictModel):
    id: Slug
    name: Text
    short_name: Text
    intro: Text
    scoring: Literal["sum", "mean", "per_item"]
    higher_is: Literal["worse", "better"]
    items: tuple[Item, ...] = ()
    named_items: NamedItems | None = None
    references: tuple[Text, ...] = Field(min_length=1)
    free_to_use: Text
    minimal_important_change: ImportantChange

    @model_validator(mode="after")
    def _items(self) -> Self:
        if bool(self.items) == (self.named_items is not None):
            raise ValueError(
                "give either items (fixed questions) or named_items (activities the person names)"
            )
        ids = [item.id for item in self.items]
        if len(set(ids)) != len(ids):
            raise ValueError("item ids must be unique")
        if self.named_items is not None and self.scoring == "per_item":
            raise ValueError("named_items are scored with sum or mean")
        return self
