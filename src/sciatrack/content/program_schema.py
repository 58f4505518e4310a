"""Pydantic models for ``program_rules.yaml``: which exercises a safe intake gets, and when one is left out.

The file must list every exercise of the library exactly once, so a new exercise cannot silently be
missing from every program, and each leave-out rule must be able to match something.
"""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import AfterValidator, Field, model_validator

from sciatrack.domain.vocabulary import PATTERNS, RED_FLAG_KEYS, TRIGGERS

from .rules_schema import Slug, StrictModel, Text, _one_of, _some_test_given, _unique
from .schema import EXERCISE_IDS, SourceReference

PatternName = Annotated[str, _one_of(PATTERNS, "McKenzie pattern")]
TriggerName = Annotated[str, _one_of(TRIGGERS, "trigger")]
FlagName = Annotated[str, _one_of(RED_FLAG_KEYS, "red-flag key")]
ExerciseName = Annotated[str, _one_of(EXERCISE_IDS, "known exercise id")]
PatternNames = Annotated[tuple[PatternName, ...], Field(min_length=1), AfterValidator(_unique)]
TriggerNames = Annotated[tuple[TriggerName, ...], Field(min_length=1), AfterValidator(_unique)]
FlagNames = Annotated[tuple[FlagName, ...], Field(min_length=1), AfterValidator(_unique)]


class AnswerTest(StrictModel):
    """Holds when every test given holds; each ``*_any`` test holds when one listed value was answered.

    ``flags_any`` tests the red flags with the safe readings added (``IntakeAnswers.effective_flags``).
    """

    pattern_any: PatternNames | None = None
    worse_with_any: TriggerNames | None = None
    better_with_any: TriggerNames | None = None
    flags_any: FlagNames | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        _some_test_given(self)
        return self


class LeaveOutRule(AnswerTest):
    id: Slug
    reason: Text

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        # The id and reason are not tests: at least one answer test must be given.
        tests = ("pattern_any", "worse_with_any", "better_with_any", "flags_any")
        if all(getattr(self, name) is None for name in tests):
            raise ValueError(f"give at least one of: {', '.join(tests)}")
        return self


class ProgramEntry(StrictModel):
    id: ExerciseName
    include_only_when: AnswerTest | None = None
    otherwise: Text | None = None
    never_when: tuple[LeaveOutRule, ...] = ()

    @model_validator(mode="after")
    def _reason_for_every_leave_out(self) -> Self:
        if (self.include_only_when is None) != (self.otherwise is None):
            raise ValueError("include_only_when and otherwise go together: the reason is shown when it fails")
        return self


class ProgramRules(StrictModel):
    exercises: tuple[ProgramEntry, ...]
    reference: SourceReference

    @model_validator(mode="after")
    def _every_exercise_once(self) -> Self:
        listed = [entry.id for entry in self.exercises]
        repeated = sorted({name for name in listed if listed.count(name) > 1})
        if repeated:
            raise ValueError(f"list each exercise once; repeated: {', '.join(repeated)}")
        missing = [name for name in EXERCISE_IDS if name not in listed]
        if missing:
            raise ValueError(f"every exercise of the library must be listed; missing: {', '.join(missing)}")
        rule_ids = [rule.id for entry in self.exercises for rule in entry.never_when]
        if len(set(rule_ids)) != len(rule_ids):
            raise ValueError("leave-out rule ids must be unique")
        return self
