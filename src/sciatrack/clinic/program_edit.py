"""A clinician adjusts a patient's program from the patient's page: leave exercises out, change doses.

``POST /clinic/patients/<uuid>/program/`` with ``keep`` (the ids to keep) and, per kept exercise,
``reps-<id>`` and ``times_per_day-<id>`` where its dosage has them, read through two declared forms
(:class:`KeepForm`, then :class:`DosageForm` for the kept ones: whole numbers in the digits 0-9, in range).
Every problem is named by exercise and field, and nothing changes then; a good change is kept with who
made it (:mod:`sciatrack.program.changes`), and the page it leads back to says what was saved
(:func:`saved_message`, through Django's messages, which ``base.html`` shows).
"""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from sciatrack.care.models import ProgramChange
from sciatrack.lib.fields import WholeNumberField
from sciatrack.program.changes import ProgramChangeError, change_program

from . import access
from .models import AuditEvent
from .views import forbidden, patient_page

EDITABLE = {"reps": (1, 100), "times_per_day": (1, 24)}
KEEP_ONE = "Keep at least one exercise; to stop all exercise, tell the patient directly"


class KeepForm(forms.Form):
    """Which of the program's exercises to keep: each at most once, at least one."""

    def __init__(self, current: list[dict[str, Any]], data: QueryDict) -> None:
        super().__init__(data)
        ids = [(item["id"], item["name"]) for item in current]
        self.fields["keep"] = forms.MultipleChoiceField(
            choices=ids,
            required=False,
            validators=[
                MaxLengthValidator(len(ids), f"Keep: tick each exercise at most once ({len(ids)} in all)")
            ],
            error_messages={"invalid_choice": "Keep: %(value)r is not an exercise of this program"},
        )

    def clean_keep(self) -> list[str]:
        kept: list[str] = self.cleaned_data["keep"]
        if not kept:
            raise forms.ValidationError(KEEP_ONE)
        return kept


class DosageForm(forms.Form):
    """The doses of the kept exercises that have them: ``reps-<id>`` and ``times_per_day-<id>``."""

    def __init__(self, kept: list[dict[str, Any]], data: QueryDict) -> None:
        super().__init__(data)
        self.messages: dict[str, str] = {}  # each dose's one sentence, naming the exercise
        for item in kept:
            for field, (low, high) in EDITABLE.items():
                if item["dosage"].get(field) is None:
                    continue
                message = (
                    f"{item['name']}, {field.replace('_', ' ')}: give a whole number from {low} to {high}"
                )
                self.fields[f"{field}-{item['id']}"] = WholeNumberField(
                    min_value=low,
                    max_value=high,
                    error_messages=dict.fromkeys(("required", "min_value", "max_value"), message),
                )
                self.messages[f"{field}-{item['id']}"] = message

    def problems(self) -> list[str]:
        # One sentence per refused dose, whatever was wrong: the field's own words do not name the exercise.
        return [self.messages[name] for name in self.fields if name in self.errors]


def edited_exercises(
    current: list[dict[str, Any]], post: QueryDict
) -> tuple[list[dict[str, Any]], list[str]]:
    """The program's exercises as the form asks for them, and the problems found (empty when none)."""
    keeping = KeepForm(current, post)
    if not keeping.is_valid():
        return [], [str(message) for message in keeping.errors["keep"]]
    kept = [item for item in current if item["id"] in keeping.cleaned_data["keep"]]
    doses = DosageForm(kept, post)
    if not doses.is_valid():
        return [], doses.problems()
    edited = []
    for item in kept:
        dosage = copy.deepcopy(item["dosage"])
        for field in EDITABLE:
            name = f"{field}-{item['id']}"
            if name in doses.cleaned_data:
                dosage[field] = doses.cleaned_data[name]
        edited.append({**item, "dosage": dosage})
    return edited, []


def saved_message(change: ProgramChange, patient_name: str) -> str:
    """The confirmation after a saved change: what changed (the change's own summary, "no change" when
    nothing did), and, when something did, that the patient sees it next time."""
    saved = f"The program is saved: {change.summary}."
    if change.before == change.after:
        return saved
    return f"{saved} {patient_name} sees the new program the next time they open it."


@login_required
@require_POST
def edit_program(request: HttpRequest, patient_uuid: str) -> HttpResponse:
    if not access.is_clinic_staff(request.user):
        return forbidden(request)
    patient = access.patient_for(request, patient_uuid)
    program = patient.programs.first()
    if program is None:
        return redirect("clinic-patient", patient_uuid=patient.uuid)
    exercises, problems = edited_exercises(program.exercises, request.POST)
    change = None
    if not problems:
        user = request.user if isinstance(request.user, User) else None
        try:
            change = change_program(program, exercises, user)
        except ProgramChangeError as error:
            problems = error.problems
    if problems or change is None:
        return patient_page(request, str(patient.uuid), program_problems=problems)
    access.record(request, patient, AuditEvent.Action.CHANGE)
    messages.success(request, saved_message(change, patient.display_name))
    return redirect("clinic-patient", patient_uuid=patient.uuid)
