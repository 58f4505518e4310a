"""Intake + exercise library -> a personal home program, and what was left out and why.

Only intakes the triage clears for exercise (``routine`` and ``self_care``) get a program, or a held
result that a clearance covers (:mod:`.clearance`); for any other :func:`build_program` returns ``None``
and the triage advice says what to do instead. Which exercises
are given, in which order, and when one is left out is data (``content/program_rules.yaml``); this module
only applies it. Leave-out rules win over inclusion, so a safety exclusion can never be overridden by a
pattern that also asks for the exercise.

In pregnancy (the red flag named in ``content/pregnancy.yaml``) the rules leave out the face-down
exercises, and :func:`for_pregnancy` adds the rest: each exercise done lying on the back says how to do
it lying on the side, and the program carries the warning signs that mean "call your maternity unit".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sciatrack.content.dosage_text import describe_dosage
from sciatrack.content.loader import load_exercises, load_pregnancy_advice
from sciatrack.content.program_loader import load_program_rules
from sciatrack.content.program_schema import AnswerTest, ProgramRules
from sciatrack.content.safety_schema import PregnancyAdvice, PregnancyWarning
from sciatrack.content.schema import Dosage, Exercise

from .clearance import Clearance, covers
from .differential import mckenzie_pattern
from .intake import IntakeAnswers
from .triage import TriageResult, triage
from .vocabulary import Pattern

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
    pregnancy_note: str | None = None  # how to do it lying on the side, in pregnancy (see for_pregnancy)


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
    pregnancy_warning: PregnancyWarning | None = None  # shown with the program in pregnancy

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
            test.flags_any is None or bool(set(test.flags_any) & answers.effective_flags),
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


def is_pregnant(answers: IntakeAnswers, advice: PregnancyAdvice | None = None) -> bool:
    """Whether the answers say pregnant or recently gave birth (the flag of ``pregnancy.yaml``)."""
    return (advice or load_pregnancy_advice()).flag in answers.effective_flags


def for_pregnancy(
    program: Program,
    library: Mapping[str, Exercise] | None = None,
    advice: PregnancyAdvice | None = None,
) -> Program:
    """``program`` as given in pregnancy: the side-lying notes and the warning signs added.

    Which exercises are left out is the program rules' job; this only adds what the person is told, so
    it can also be applied to a stored (possibly clinician-changed) program.
    """
    library = library or load_exercises()
    advice = advice or load_pregnancy_advice()
    exercises = tuple(
        replace(exercise, pregnancy_note=f"{advice.side_lying_intro} {side_lying}")
        if exercise.id in library and (side_lying := library[exercise.id].side_lying) is not None
        else exercise
        for exercise in program.exercises
    )
    return replace(program, exercises=exercises, pregnancy_warning=advice.warning)


def build_program(
    answers: IntakeAnswers,
    result: TriageResult | None = None,
    rules: ProgramRules | None = None,
    library: Mapping[str, Exercise] | None = None,
    clearance: Clearance | None = None,
) -> Program | None:
    """The program for ``answers``, or ``None`` when the triage does not allow exercise.

    ``clearance``: the result was cleared (see :mod:`.clearance`); the program is built as for a
    result that allows exercise when, and only when, the clearance covers the result.
    """
    result = result if result is not None else triage(answers)
    cleared = clearance is not None and covers(clearance, result.where, (rule.id for rule in result.matched))
    if not (result.exercise_allowed or cleared):
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
    program = Program(tuple(given), tuple(left_out), pattern)
    return for_pregnancy(program, library) if is_pregnant(answers) else program


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
                "pregnancy_note": exercise.pregnancy_note,
            }
            for exercise in program.exercises
        ],
        "left_out": [
            {"id": item.id, "name": item.name, "rule": item.rule, "reason": item.reason}
            for item in program.left_out
        ],
        "pregnancy_warning": pregnancy_warning_to_json(program.pregnancy_warning),
    }


def pregnancy_warning_to_json(warning: PregnancyWarning | None) -> dict[str, Any] | None:
    """The warning signs of pregnancy with what to do and the source, or None when not pregnant."""
    return warning.model_dump(mode="json") if warning is not None else None
