"""A clinician adjusts a patient's program from the patient's page: leave exercises out, change doses.

``POST /clinic/patients/<uuid>/program/`` with ``keep`` (the ids to keep) and, per kept exercise,
``reps-<id>`` and ``times_per_day-<id>`` where its dosage has them. Every problem is named by exercise
and field, and nothing changes then; a good change is kept with who made it
(:mod:`sciatrack.care.program_changes`).
"""

from __future__ import annotations

import copy
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from sciatrack.care.program_changes import ProgramChangeError, change_program

from . import access
from .models import AuditEvent
from .views import forbidden, patient_page

EDITABLE = {"reps": (1, 100), "times_per_day": (1, 24)}


def edited_exercises(
    current: list[dict[str, Any]], post: QueryDict
) -> tuple[list[dict[str, Any]], list[str]]:
    """The program's exercises as the form asks for them, and the problems found (empty when none)."""
    keep = set(post.getlist("keep"))
    problems: list[str] = []
    edited = []
    for item in current:
        if item["id"] not in keep:
            continue
        dosage = copy.deepcopy(item["dosage"])
        for field, (low, high) in EDITABLE.items():
            raw = post.get(f"{field}-{item['id']}")
            if raw is None or dosage.get(field) is None:
                continue
            if not raw.strip().isdigit() or not low <= int(raw) <= high:
                problems.append(
                    f"{item['name']}, {field.replace('_', ' ')}: give a whole number from {low} to {high}"
                )
                continue
            dosage[field] = int(raw)
        edited.append({**item, "dosage": dosage})
    if not edited:
        problems.append("Keep at least one exercise; to stop all exercise, tell the patient directly")
    return edited, problems


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
    if not problems:
        user = request.user if isinstance(request.user, User) else None
        try:
            change_program(program, exercises, user)
        except ProgramChangeError as error:
            problems = error.problems
    if problems:
        return patient_page(request, str(patient.uuid), program_problems=problems)
    access.record(request, patient, AuditEvent.Action.CHANGE)
    return redirect("clinic-patient", patient_uuid=patient.uuid)
