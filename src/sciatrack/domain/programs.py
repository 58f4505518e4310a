"""Intake + exercise library -> a personal home program, and what was left out and why.

Only intakes the triage clears for exercise (``routine`` and ``self_care``) get a program; for any other
tier :func:`build_program` returns ``None`` and the triage advice says what to do instead. Which exercises
are given, in which order, and when one is left out is data (``content/program_rules.yaml``); this module
only applies it. Leave-out rules win over inclusion, so a safety exclusion can never be overridden by a
pattern that also asks for the exercise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sciatrack.content.dosage_text import describe_dosage
from sciatrack.content.loader import load_exercises
from sciatrack.content.program_loader import load_program_rules
from sciatrack.content.program_schema import AnswerTest, ProgramRules
from sciatrack.content.schema import Dosage, Exercise

from .differential import Pattern, mckenzie_pattern
from .intake import IntakeAnswers
from .triage import TriageResult, triage

NOT_INDICATED = "not-indicated"  # the rule id of a leave-out that comes from include_only_when


@dataclass(frozen=True)
class ProgramExercise:
    id: str
    uuid: str
    name: str
    dosage: Dosage
    dosage_text: str
    stop_rules: tuple[str, ...]
    cautions: tuple[str, ...]


@dataclass(frozen=True)
class LeftOut:
    id: str
    name: str
    rule: str  # the leave-out rule's id, or NOT_INDICATED
    reason: str


@dataclass(frozen=True)
class Program:
    exercises: tuple[ProgramExercise, ...]
    left_out: tuple[LeftOut, ...]
    pattern: Pattern

    @property
    def exercise_ids(self) -> tuple[str, ...]:
        return tuple(exercise.id for exercise in self.exercises)


def answers_pass(test: AnswerTest, answers: IntakeAnswers, pattern: Pattern) -> bool:
    """Whether every test given in ``test`` holds (tests not given are ignored)."""
    return all(
        (
            test.pattern_any is None or pattern.value in test.pattern_any,
            test.worse_with_any is None or bool(set(test.worse_with_any) & set(answers.worse_with)),
            test.better_with_any is None or bool(set(test.better_with_any) & set(answers.better_with)),
        )
    )


def program_exercise(exercise: Exercise, dosage: Dosage | None = None) -> ProgramExercise:
    """One exercise as prescribed: the library's dosage unless another (a clinician's) is given."""
    dose = dosage or exercise.dosage
    return ProgramExercise(
        id=exercise.id,
        uuid=str(exercise.uuid),
        name=exercise.name,
        dosage=dose,
        dosage_text=describe_dosage(dose),
        stop_rules=tuple(exercise.stop_rules),
        cautions=tuple(exercise.cautions),
    )


def build_program(
    answers: IntakeAnswers,
    result: TriageResult | None = None,
    rules: ProgramRules | None = None,
    library: Mapping[str, Exercise] | None = None,
) -> Program | None:
    """The program for ``answers``, or ``None`` when the triage does not allow exercise."""
    result = result if result is not None else triage(answers)
    if not result.exercise_allowed:
        return None
    rules = rules or load_program_rules()
    library = library or load_exercises()
    pattern = mckenzie_pattern(answers)
    given: list[ProgramExercise] = []
    left_out: list[LeftOut] = []
    for entry in rules.exercises:
        exercise = library[entry.id]
        blocking = next((rule for rule in entry.never_when if answers_pass(rule, answers, pattern)), None)
        if blocking is not None:
            left_out.append(LeftOut(entry.id, exercise.name, blocking.id, blocking.reason))
        elif entry.include_only_when is not None and not answers_pass(
            entry.include_only_when, answers, pattern
        ):
            left_out.append(LeftOut(entry.id, exercise.name, NOT_INDICATED, entry.otherwise or ""))
        else:
            given.append(program_exercise(exercise))
    return Program(tuple(given), tuple(left_out), pattern)


def dosage_to_json(dosage: Dosage) -> dict[str, Any]:
    """The dosage in the fields of the program contract; absent fields are left out, not null."""
    return dosage.model_dump(mode="json", exclude_none=True)


def program_to_json(program: Program | None) -> dict[str, Any] | None:
    """The ``program`` object of ``sciatrack program --json`` (spec section 4), or None."""
    if program is None:
        return None
    return {
        "pattern": program.pattern.value,
        "exercises": [
            {
                "id": exercise.id,
                "uuid": exercise.uuid,
                "name": exercise.name,
                "dosage": dosage_to_json(exercise.dosage),
                "dosage_text": exercise.dosage_text,
                "stop_rules": list(exercise.stop_rules),
                "cautions": list(exercise.cautions),
            }
            for exercise in program.exercises
        ],
        "left_out": [
            {"id": item.id, "name": item.name, "rule": item.rule, "reason": item.reason}
            for item in program.left_out
        ],
    }
