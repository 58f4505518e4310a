"""Pydantic models for ``registry_outcomes.yaml``: the registry's outcome definitions, adherence and age
bands, and the bit each exercise has in a stored program mask.

Checks across the file: ids are unique, windows contain their target day, bands are ordered from the top
down and end at zero (adherence) or at the youngest age the check accepts, and every exercise of the
library has a bit, no two the same.

An ``improved`` rule holds no numbers of its own: it names the questionnaire whose
``minimal_important_change`` it uses (``nprs`` for leg and back pain), so "responder" means the same in the
registry as on the progress pages and in the clinician's report. A ``recovered`` rule likewise names the
questionnaire whose ``recovered`` score it uses. The name must be the measure's own questionnaire, the
questionnaire must exist in the same content folder (and give ``recovered`` for a ``recovered`` rule), and
the definition printed beside the figure must state the questionnaire's numbers, so the words cannot drift
from the rule when a number changes.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from sciatrack.domain.vocabulary import AGE_RANGE

from .reading import Problem, read_model
from .rules_loader import CONTENT_DIR, RulesContentError, load_questionnaires
from .rules_schema import Questionnaire, Slug, StrictModel, Text, _one_of
from .schema import EXERCISE_IDS, SourceReference

REGISTRY_FILE = "registry_outcomes.yaml"
MEASURES = ("leg_pain", "back_pain", "sbi")
MEASURE_RANGE = {"leg_pain": (0, 10), "back_pain": (0, 10), "sbi": (0, 24)}
# The questionnaire each measure comes from: leg and back pain are the two NPRS items.
MEASURE_QUESTIONNAIRE = {"leg_pain": "nprs", "back_pain": "nprs", "sbi": "sbi"}

MeasureName = Annotated[str, _one_of(MEASURES, "registry measure")]


class ImprovedRule(StrictModel):
    """Met when the measure improved by at least the minimal important change of the questionnaire named
    (:func:`sciatrack.domain.scoring.rules_reached` decides)."""

    kind: Literal["improved"]
    minimal_important_change_of: Slug


class RecoveredRule(StrictModel):
    """Met when the measure at the follow-up is at or below the ``recovered.at_most`` of the questionnaire
    named (for NPRS, a rating of 0 or 1): the same "recovered" as on the progress pages."""

    kind: Literal["recovered"]
    recovered_of: Slug


class AtMostRule(StrictModel):
    """Met when the measure at the follow-up is at or below ``value``."""

    kind: Literal["at_most"]
    value: Annotated[float, Field(ge=0)]


class Window(StrictModel):
    before: Annotated[int, Field(ge=0, le=365)]
    after: Annotated[int, Field(ge=0, le=365)]


class OutcomeDefinition(StrictModel):
    id: Slug
    name: Text
    definition: Text
    measure: MeasureName
    rule: Annotated[ImprovedRule | RecoveredRule | AtMostRule, Field(discriminator="kind")]
    target_day: Annotated[int, Field(ge=1, le=3650)]
    window_days: Window
    missing: Literal["shown_apart", "counted_as_not_met"]
    time_to_event: bool
    references: Annotated[tuple[Text, ...], Field(min_length=1)]

    @property
    def first_day(self) -> int:
        return self.target_day - self.window_days.before

    @property
    def last_day(self) -> int:
        return self.target_day + self.window_days.after

    @property
    def questionnaire_named(self) -> tuple[str, str] | None:
        """(field, questionnaire id) when the rule takes its number from a questionnaire, else None."""
        if isinstance(self.rule, ImprovedRule):
            return "minimal_important_change_of", self.rule.minimal_important_change_of
        if isinstance(self.rule, RecoveredRule):
            return "recovered_of", self.rule.recovered_of
        return None

    @model_validator(mode="after")
    def _window_after_baseline(self) -> Self:
        if self.first_day < 1:
            raise ValueError("window_days.before reaches back to the first check; follow-ups start at day 1")
        if isinstance(self.rule, AtMostRule):
            low, high = MEASURE_RANGE[self.measure]
            if not low <= self.rule.value <= high:
                raise ValueError(f"rule.value must be within {self.measure}'s range, {low} to {high}")
        named = self.questionnaire_named
        if named is not None and named[1] != MEASURE_QUESTIONNAIRE[self.measure]:
            raise ValueError(
                f"rule.{named[0]} must be {MEASURE_QUESTIONNAIRE[self.measure]!r}, "
                f"the questionnaire {self.measure} comes from"
            )
        return self


class AdherenceBand(StrictModel):
    id: Slug
    name: Text
    at_least: Annotated[float, Field(ge=0, le=1)]


class AgeBand(StrictModel):
    id: Annotated[str, Field(pattern=r"^\d+(-\d+|\+)$")]
    from_age: Annotated[int, Field(ge=AGE_RANGE[0], le=AGE_RANGE[1])]


class RegistryContent(StrictModel):
    source: SourceReference
    outcomes: Annotated[tuple[OutcomeDefinition, ...], Field(min_length=1)]
    adherence_bands: Annotated[tuple[AdherenceBand, ...], Field(min_length=1)]
    age_bands: Annotated[tuple[AgeBand, ...], Field(min_length=1)]
    program_bits: dict[str, Annotated[int, Field(ge=0, le=30)]]

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems = []
        ids = [outcome.id for outcome in self.outcomes]
        if len(set(ids)) != len(ids):
            problems.append("outcomes: each id must be used once")
        shares = [band.at_least for band in self.adherence_bands]
        if shares != sorted(shares, reverse=True) or len(set(shares)) != len(shares) or shares[-1] != 0:
            problems.append("adherence_bands: list from the highest at_least down, the last at 0")
        ages = [band.from_age for band in self.age_bands]
        if ages != sorted(set(ages)) or ages[0] != AGE_RANGE[0]:
            problems.append(f"age_bands: list from the youngest up, the first from_age {AGE_RANGE[0]}")
        unknown = sorted(set(self.program_bits) - set(EXERCISE_IDS))
        missing = sorted(set(EXERCISE_IDS) - set(self.program_bits))
        if unknown:
            problems.append(f"program_bits: not exercise ids: {', '.join(unknown)}")
        if missing:
            problems.append(f"program_bits: give a bit to: {', '.join(missing)}")
        if len(set(self.program_bits.values())) != len(self.program_bits):
            problems.append("program_bits: each bit must belong to one exercise")
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def outcome(self, outcome_id: str) -> OutcomeDefinition:
        for outcome in self.outcomes:
            if outcome.id == outcome_id:
                return outcome
        raise KeyError(outcome_id)


def rule_words(outcome: OutcomeDefinition, questionnaire: Questionnaire) -> tuple[str, ...]:
    """The phrases ``outcome.definition`` must contain to state the questionnaire's numbers: for an
    ``improved`` rule "at least 2 points", "at least 30%" and "above 3" (NPRS); for a ``recovered`` rule
    the scores that count, "0 or 1" (NPRS)."""
    if isinstance(outcome.rule, ImprovedRule):
        threshold = questionnaire.minimal_important_change
        words = []
        if threshold.points is not None:
            words.append(f"at least {threshold.points:g} point{'' if threshold.points == 1 else 's'}")
        if threshold.percent is not None:
            words.append(f"at least {threshold.percent:g}%")
        if threshold.percent_when_first_above is not None:
            words.append(f"above {threshold.percent_when_first_above:g}")
        return tuple(words)
    if isinstance(outcome.rule, RecoveredRule) and questionnaire.recovered is not None:
        low, at_most = questionnaire.score_range[0], questionnaire.recovered.at_most
        if at_most != int(at_most):
            return (f"{at_most:g} or less",)
        scores = [f"{score:g}" for score in range(int(low), int(at_most) + 1)]
        return (scores[0] if len(scores) == 1 else ", ".join(scores[:-1]) + " or " + scores[-1],)
    return ()


def _questionnaire_problems(root: Path, content: RegistryContent) -> list[Problem]:
    """Rules naming a questionnaire that is not under ``root`` (or that gives no ``recovered`` for a
    ``recovered`` rule), and definitions whose words do not state the questionnaire's numbers. Broken
    questionnaire files are left to their own check, so each problem is reported once."""
    try:
        found = load_questionnaires(root)
    except RulesContentError:
        return []
    problems = []
    for index, outcome in enumerate(content.outcomes):
        named = outcome.questionnaire_named
        if named is None:
            continue
        field, questionnaire_id = named
        where = f"outcomes[{index}]"
        questionnaire = found.get(questionnaire_id)
        if questionnaire is None:
            message = f"no questionnaire {questionnaire_id!r}; there are " + ", ".join(sorted(found))
            problems.append(Problem(REGISTRY_FILE, f"{where}.rule.{field}", message))
            continue
        if isinstance(outcome.rule, RecoveredRule) and questionnaire.recovered is None:
            message = f"questionnaire {questionnaire_id!r} gives no recovered score"
            problems.append(Problem(REGISTRY_FILE, f"{where}.rule.{field}", message))
            continue
        text = " ".join(outcome.definition.split())
        missing = [words for words in rule_words(outcome, questionnaire) if words not in text]
        if missing:
            message = (
                f"must state the rule of {questionnaire_id}: "
                + ", ".join(repr(words) for words in missing)
                + " (the words are printed beside the figure)"
            )
            problems.append(Problem(REGISTRY_FILE, f"{where}.definition", message))
    return problems


def _read(root: Path) -> tuple[RegistryContent | None, list[Problem]]:
    content, problems = read_model(root, REGISTRY_FILE, RegistryContent)
    if content is not None:
        problems += _questionnaire_problems(root, content)
    return content, problems


def check_registry_content(root: Path) -> list[Problem]:
    """Every problem in ``registry_outcomes.yaml`` under ``root`` (empty if none)."""
    return _read(root)[1]


@cache
def _load(root: Path) -> RegistryContent:
    content, problems = _read(root)
    if problems or content is None:
        raise RulesContentError(problems)
    return content


def load_registry_content(root: Path = CONTENT_DIR) -> RegistryContent:
    """The registry definitions, validated; raises :class:`RulesContentError` listing every problem."""
    return _load(root.resolve())
