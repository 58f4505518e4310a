"""A person's own data: all of it as one JSON download, and deleting the account with everything in it.

The export holds every record Sciatrack keeps about the signed-in person and nothing about anyone else.
Deleting asks for the password again; it removes the patient record (and with it, by cascade, checks,
programs, session logs and diary entries) and then the account itself, in one transaction.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from .models import Patient

EXPORT_SCHEMA = "sciatrack.export/1"
EXPORT_FILENAME = "sciatrack-my-data.json"


def export_document(user: User) -> dict[str, Any]:
    """Everything kept about ``user``, JSON-ready, newest records last within each list."""
    patient: Patient | None = getattr(user, "patient", None)
    document: dict[str, Any] = {
        "schema": EXPORT_SCHEMA,
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
        },
        "patient": None,
    }
    if patient is None:
        return document
    document["patient"] = {
        "uuid": str(patient.uuid),
        "display_name": patient.display_name,
        "clinic": patient.clinic.name if patient.clinic else None,
        "created": patient.created.isoformat(),
        "checks": [
            {
                "uuid": str(intake.uuid),
                "created": intake.created.isoformat(),
                "tier": intake.tier,
                "answers": intake.answers,
                "result": intake.result,
                # The result of the current rules on the same answers, when they changed since.
                "current_tier": intake.current_tier,
                "where": intake.where,
                "current_result": intake.current_result,
                "measures": intake.measures,
                # Who let this check start the program although its result held the exercises, if anyone.
                "clearances": [
                    {
                        "by": clearance.by,
                        "by_name": clearance.by_name,
                        "seen_on": clearance.seen_on.isoformat(),
                        "note": clearance.note,
                        "where": clearance.where,
                        "rules": clearance.rules,
                        "created": clearance.created.isoformat(),
                    }
                    for clearance in intake.clearances.all()
                ],
            }
            for intake in patient.intakes.order_by("created").prefetch_related("clearances")
        ],
        "programs": [
            {
                "uuid": str(program.uuid),
                "created": program.created.isoformat(),
                "updated": program.updated.isoformat(),
                "exercises": program.exercises,
                "left_out": program.left_out,
            }
            for program in patient.programs.order_by("created")
        ],
        "sessions": [
            {
                "uuid": str(log.uuid),
                "started_at": log.started_at.isoformat(),
                "finished_at": log.finished_at.isoformat(),
                "pain_before": log.pain_before,
                "pain_after": log.pain_after,
                "exercises": log.exercises,
                "ended_early": log.ended_early,
                "end_reason": log.end_reason,
            }
            for log in patient.session_logs.order_by("started_at")
        ],
        "exercises_cleared_to_resume": [
            {
                "exercise": clearance.exercise_id,
                "stopped_at": clearance.stopped_at.isoformat(),
                "by_name": clearance.by_name,
                "created": clearance.created.isoformat(),
            }
            for clearance in patient.resume_clearances.order_by("created")
        ],
        "diary": [
            {
                "day": entry.day.isoformat(),
                "leg_pain": entry.leg_pain,
                "back_pain": entry.back_pain,
                "reach": entry.reach,
                "sleep": entry.sleep,
                "note": entry.note,
            }
            for entry in patient.diary.order_by("day")
        ],
        "clinician_notes": [
            {"created": note.created.isoformat(), "author": note.author_name, "text": note.text}
            for note in patient.clinician_notes.order_by("created")
        ],
    }
    return document


class ConfirmDeletionForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput,
        strip=False,
        error_messages={"required": "type your password to confirm"},
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("that is not your password; nothing was deleted")
        return password


@transaction.atomic
def delete_account(user: User) -> None:
    """Remove the person's patient record with everything hanging from it, then the account."""
    Patient.objects.filter(user=user).delete()
    user.delete()


@login_required
def account_page(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    return render(request, "registration/account.html", {"form": ConfirmDeletionForm(request.user)})


@login_required
def my_data(request: HttpRequest) -> JsonResponse:
    assert isinstance(request.user, User)
    response = JsonResponse(
        export_document(request.user), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    response["Content-Disposition"] = f'attachment; filename="{EXPORT_FILENAME}"'
    return response


@login_required
@require_http_methods(["POST"])
def delete_my_account(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    form = ConfirmDeletionForm(request.user, request.POST)
    if not form.is_valid():
        return render(request, "registration/account.html", {"form": form}, status=422)
    user = request.user
    logout(request)
    delete_account(user)
    return redirect("/?deleted=1")
