"""Pydantic models for the triage rules, the conditions to discuss and the questionnaires.

Every model forbids unknown keys, so a misspelt condition (``all_flag:``) is an error instead of a rule
that never matches. The safety invariants of the spec are checked here, not just in tests, because a
deployment may edit the YAML without running the test suite:

- every red-flag key has a rule of its own (that flag alone) at tier ``soon`` or more urgent, so no
  red flag can ever leave exercise allowed, unless the rules file lists it, with its reason, among the
  flags that are not a stop on their own (pregnancy, diabetes);
- every place a person can be sent to has its advice, and the emergency advice tells the person the
  number to call (``{emergency_number}``);
- a rule's id names the tier of its place, and every term and source it uses exists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from sciatrack.domain.vocabulary import (
    AGE_RANGE,
    IMPLIED_FLAGS,
    NO_EXERCISE_TIERS,
    ONSET_WEEKS_RANGE,
    PLACES,
    RED_FLAG_KEYS,
    REGIONS,
    SENSATIONS,
    SIDES,
    TRIGGERS,
    Tier,
    Where,
)

PLACEHOLDER = "{emergency_number}"
# The danger signs in brief (``danger_signs.yaml``), for a line of advice that names them.
DANGER_SIGNS_PLACEHOLDER = "{danger_signs}"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]


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
PlaceName = Annotated[str, _one_of(PLACES, "place (where)")]


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

TermName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z_]*$")]


class RuleCondition(StrictModel):
    """When a rule matches: every test given must hold (AND); ``any_of`` holds when one of its
    conditions does (OR), which is how the spec's brackets are written.

    ``all_flags`` / ``any_flags``: each / at least one red flag is yes (after the intake's safe readings).
    ``terms``: each named term of the rule set holds. ``any_pain_at_least``: leg or back pain now at least
    this. ``onset_weeks_at_least`` / ``onset_weeks_below``: how long the episode has lasted.
    ``sensation_any``, ``region_any``, ``worse_with_any``: at least one of these was chosen.
    ``age_below`` / ``age_above``: strictly younger / older; ``age_at_least``: this age or older.
    """

    all_flags: FlagKeys | None = None
    any_flags: FlagKeys | None = None
    terms: Annotated[tuple[TermName, ...], Field(min_length=1), AfterValidator(_unique)] | None = None
    any_of: Annotated[tuple[RuleCondition, ...], Field(min_length=2)] | None = None
    any_pain_at_least: int | None = Field(default=None, ge=0, le=10)
    onset_weeks_at_least: float | None = Field(default=None, ge=0, le=ONSET_WEEKS_RANGE[1])
    onset_weeks_below: float | None = Field(default=None, gt=0, le=ONSET_WEEKS_RANGE[1])
    sensation_any: Sensations | None = None
    region_any: Regions | None = None
    worse_with_any: Triggers | None = None
    age_below: int | None = Field(default=None, ge=AGE_RANGE[0], le=AGE_RANGE[1] + 1)
    age_above: int | None = Field(default=None, ge=AGE_RANGE[0] - 1, le=AGE_RANGE[1])
    age_at_least: int | None = Field(default=None, ge=AGE_RANGE[0], le=AGE_RANGE[1])

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        _some_test_given(self)
        return self

    def only_flag(self) -> str | None:
        """The one red flag this condition tests, when it tests nothing else; None otherwise."""
        others = [name for name in type(self).model_fields if name != "all_flags" and getattr(self, name)]
        if others or self.all_flags is None or len(self.all_flags) != 1:
            return None
        return self.all_flags[0]

    def term_names(self) -> Iterable[str]:
        """Every term this condition names, its nested conditions' too."""
        yield from self.terms or ()
        for part in self.any_of or ():
            yield from part.term_names()


class Rule(StrictModel):
    id: Annotated[
        str, StringConstraints(pattern=r"^(emergency|urgent|soon|routine)\.[a-z0-9]+(-[a-z0-9]+)*$")
    ]
    where: PlaceName
    when: RuleCondition
    reason: Text
    references: tuple[Slug, ...] = Field(min_length=1)
    # Extra lines for what to do now, shown when this rule decides the result's tier.
    advice: tuple[Text, ...] = ()

    @property
    def tier(self) -> Tier:
        """The tier the rule calls for: the one its place belongs to."""
        return Where(self.where).tier

    @model_validator(mode="after")
    def _id_names_its_tier(self) -> Self:
        # The id prefix is read by people scanning logs and docs; it must never contradict the tier.
        if self.id.split(".", 1)[0] != self.tier.value:
            raise ValueError(
                f"id {self.id!r} must start with its tier, {self.tier.value!r} (from {self.where})"
            )
        return self


def _placeholders(lines: Iterable[str]) -> Iterable[str]:
    for line in lines:
        for placeholder in re.findall(r"\{[^}]*\}", line):
            if placeholder not in (PLACEHOLDER, DANGER_SIGNS_PLACEHOLDER):
                known = f"{PLACEHOLDER} and {DANGER_SIGNS_PLACEHOLDER}"
                yield f"unknown placeholder {placeholder}; only {known} are filled in"


class PlaceAdvice(StrictModel):
    """What a person sent to one place is told: the place in words, a headline and what to do now."""

    label: Text
    headline: Text
    what_to_do_now: tuple[Text, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _only_known_placeholder(self) -> Self:
        problems = list(_placeholders((self.headline, *self.what_to_do_now)))
        if problems:
            raise ValueError(problems[0])
        return self


class Source(StrictModel):
    title: Text
    url: Annotated[str, StringConstraints(pattern=r"^(https://\S+|seed:\S+)$")]


class RuleSet(StrictModel):
    version: Literal[2]
    sources: dict[Slug, Source]
    flags_not_alone_a_stop: dict[FlagKey, Text] = Field(default_factory=dict)
    not_asked_notice: Text
    terms: dict[TermName, RuleCondition] = Field(default_factory=dict)
    places: dict[PlaceName, PlaceAdvice]
    rules: tuple[Rule, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent_and_safe(self) -> Self:
        # One line per problem, each "field: message", so the loader can report them one by one.
        problems = list(self._problems())
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def _problems(self) -> Iterable[str]:
        missing = [place for place in PLACES if place not in self.places]
        if missing:
            yield f"places: advice missing for {', '.join(missing)}"
        urgent_place = Where.EMERGENCY_DEPARTMENT_NOW.value
        if urgent_place in self.places and not any(
            PLACEHOLDER in line for line in self.places[urgent_place].what_to_do_now
        ):
            yield f"places.{urgent_place}.what_to_do_now: must tell the person to call {PLACEHOLDER}"
        defined: list[str] = []
        for name, term in self.terms.items():
            for used in term.term_names():
                if used not in defined:
                    yield f"terms.{name}: uses {used!r}, which is not a term defined above it"
            defined.append(name)
        seen: set[str] = set()
        for index, rule in enumerate(self.rules):
            if rule.id in seen:
                yield f"rules[{index}].id: {rule.id!r} is used twice"
            seen.add(rule.id)
            for key in rule.references:
                if key not in self.sources:
                    yield f"rules[{index}].references: {key!r} is not in sources"
            for used in rule.when.term_names():
                if used not in self.terms:
                    yield f"rules[{index}].when: {used!r} is not a term"
            yield from (f"rules[{index}].advice: {problem}" for problem in _placeholders(rule.advice))
        yield from self._every_flag_stops_alone()

    def _every_flag_stops_alone(self) -> Iterable[str]:
        """Every red flag holds the exercises on its own (directly or through the flag it implies),
        except those listed in ``flags_not_alone_a_stop``, which must then really not."""
        alone = {
            flag
            for rule in self.rules
            if rule.tier.value in NO_EXERCISE_TIERS and (flag := rule.when.only_flag()) is not None
        }
        for key in RED_FLAG_KEYS:
            stops = key in alone or IMPLIED_FLAGS.get(key) in alone
            if key in self.flags_not_alone_a_stop and stops:
                yield f"flags_not_alone_a_stop.{key}: it has a rule of its own at tier soon or above"
            elif key not in self.flags_not_alone_a_stop and not stops:
                yield (
                    f"rules: red flag {key!r} needs a rule of its own at tier soon or more urgent "
                    "(or a reason under flags_not_alone_a_stop)"
                )


# Conditions to discuss ---------------------------------------------------------------------------


class AnswerPattern(StrictModel):
    """Answers that point toward a condition. Every test given must hold (AND); each ``*_any`` list
    holds when at least one of its values was answered. ``age_at_least``: this age or older;
    ``onset_weeks_at_least``: the episode has lasted this many weeks or more; ``began_before_age``: the
    age now minus the years the episode has lasted is below this (the age it began at, as near as whole
    years of age allow)."""

    flags_any: FlagKeys | None = None
    regions_any: Regions | None = None
    sensations_any: Sensations | None = None
    worse_with_any: Triggers | None = None
    better_with_any: Triggers | None = None
    side_any: Sides | None = None
    age_at_least: int | None = Field(default=None, ge=16, le=110)
    onset_weeks_at_least: float | None = Field(default=None, gt=0, le=ONSET_WEEKS_RANGE[1])
    began_before_age: int | None = Field(default=None, gt=AGE_RANGE[0], le=AGE_RANGE[1])

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
    """The smallest change that matters to a person: ``points``, or ``percent`` of the first score.

    With ``percent_when_first_above``, percent counts only when the first score is above it; at or below
    it only ``points`` counts (a pain rating going from 2 to 1 is 50% but not an important change)."""

    points: float | None = Field(default=None, gt=0)
    percent: float | None = Field(default=None, gt=0, le=100)
    percent_when_first_above: float | None = Field(default=None, ge=0)
    note: Text
    references: tuple[Text, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _some_threshold(self) -> Self:
        if self.points is None and self.percent is None:
            raise ValueError("give points, percent or both")
        if self.percent_when_first_above is not None and (self.points is None or self.percent is None):
            raise ValueError("percent_when_first_above needs both points and percent")
        return self


class Recovered(StrictModel):
    """A score at or below ``at_most`` counts as recovered (NPRS: a pain rating of 0 or 1)."""

    at_most: float = Field(ge=0)
    note: Text
    references: tuple[Text, ...] = Field(min_length=1)


class Questionnaire(StrictModel):
    id: Slug
    name: Text  # the instrument's own name, for clinicians (small print, reports)
    short_name: Text
    heading: Text  # the plain question that heads its screen in the check: never the instrument's name
    intro: Text
    scoring: Literal["sum", "mean", "per_item"]
    higher_is: Literal["worse", "better"]
    items: tuple[Item, ...] = ()
    named_items: NamedItems | None = None
    references: tuple[Text, ...] = Field(min_length=1)
    free_to_use: Text
    minimal_important_change: ImportantChange
    recovered: Recovered | None = None

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
        if self.recovered is not None:
            # Recovered is a low score: it only means something where lower is better.
            if self.higher_is != "worse":
                raise ValueError("recovered needs higher_is: worse (a low score is the good one)")
            low, high = self.score_range
            if not low <= self.recovered.at_most <= high:
                raise ValueError(f"recovered.at_most must be a score from {low:g} to {high:g}")
        return self

    @model_validator(mode="after")
    def _plain_heading(self) -> Self:
        if self.name.lower() in self.heading.lower() or self.short_name in self.heading.split():
            raise ValueError("heading is a plain question for the person, not the instrument's name")
        return self

    @property
    def score_range(self) -> tuple[float, float]:
        """The lowest and highest score (of each item, for a per_item questionnaire like NPRS)."""
        if self.named_items is not None:
            return float(self.named_items.min), float(self.named_items.max)
        lows, highs = [item.min for item in self.items], [item.max for item in self.items]
        if self.scoring == "sum":
            return float(sum(lows)), float(sum(highs))
        return float(min(lows)), float(max(highs))
