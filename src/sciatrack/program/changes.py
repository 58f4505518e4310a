"""Clinicians' changes to a stored program, each kept with who made it, when, and what changed.

:func:`change_program` is the one way a program's exercises change after it was built: it checks the new
list (:func:`.programs.exercise_problems`), rewrites each entry's dosage text from its dosage so no stale
wording survives, saves, and records a :class:`.models.ProgramChange` with a plain summary of the differences.
:func:`clear_to_resume` lets an exercise kept out after a stop because the pain spread come back; it is
kept in the same history.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from sciatrack.accounts.models import Clinician
from sciatrack.care.models import Program, ProgramChange, ResumeClearance
from sciatrack.content.loader import exercise_names, load_exercises
from sciatrack.content.schema import Dosage
from sciatrack.domain.programs import program_exercise
from sciatrack.domain.stops import KeptOut

from .programs import exercise_problems


class ProgramChangeError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def with_dosage_text(exercises: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``exercises`` with each name and dosage text made again from the library and its dosage."""
    library = load_exercises()
    fresh = []
    for item in exercises:
        built = program_exercise(library[item["id"]], Dosage.model_validate(item["dosage"]))
        fresh.append({**item, "name": built.name, "dosage_text": built.dosage_text})
    return fresh


def summarise(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> str:
    """What changed, in words: exercises removed, added, and doses changed."""
    old = {item["id"]: item for item in before}
    new = {item["id"]: item for item in after}
    parts = [f"removed {old[i]['name']}" for i in old if i not in new]
    parts += [f"added {new[i]['name']}" for i in new if i not in old]
    parts += [
        f"{new[i]['name']}: {old[i].get('dosage_text', '')} → {new[i]['dosage_text']}"
        for i in new
        if i in old and old[i]["dosage"] != new[i]["dosage"]
    ]
    return "; ".join(parts) or "no change"


@transaction.atomic
def change_program(program: Program, exercises: list[dict[str, Any]], user: User | None) -> ProgramChange:
    """Replace the program's exercises with ``exercises`` and keep the change; raises on a bad list."""
    problems = exercise_problems(exercises)
    if problems:
        raise ProgramChangeError(problems)
    before = program.exercises
    after = with_dosage_text(exercises)
    program.exercises = after
    program.save(update_fields=["exercises", "updated"])
    return ProgramChange.objects.create(
        program=program,
        changed_by=user,
        author_name=user.get_username() if user else "system",
        summary=summarise(before, after),
        before=before,
        after=after,
    )


@transaction.atomic
def clear_to_resume(
    program: Program, kept: KeptOut, clinician: Clinician, user: User | None
) -> ProgramChange:
    """A clinician clears an exercise kept out after a stop (``kept``) to come back into ``program``.

    The program's exercises do not change (the exercise was only left out while the stop stuck); the
    clearance is kept in the program's change history and as a :class:`.models.ResumeClearance`.
    """
    name = exercise_names().get(kept.exercise_id, kept.exercise_id)
    author = user.get_username() if user else "system"
    change = ProgramChange.objects.create(
        program=program,
        changed_by=user,
        author_name=author,
        summary=f"cleared {name} to resume ({kept.for_clinician})",
        before=program.exercises,
        after=program.exercises,
    )
    ResumeClearance.objects.create(
        patient_id=program.patient_id,
        exercise_id=kept.exercise_id,
        by_clinician=clinician,
        by_name=author,
        stopped_at=kept.stopped_at,
        change=change,
    )
    return change
