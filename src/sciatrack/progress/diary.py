"""The pain diary: a short daily check-in, one per day, which the person may change until the day ends.

``/diary/`` shows today's form (filled in when today's entry exists) and the last two weeks. A bad
answer re-shows the form with each problem named by its field and what is allowed; nothing is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from sciatrack.care.forms import (
    DANGER_CHOICES,
    FIELD_LABELS,
    PAIN_SCALE,
    REACH_CHOICES,
    REACH_TEXT,
    SLEEP_CHOICES,
    DiaryForm,
)
from sciatrack.care.models import DiaryEntry
from sciatrack.care.safety_models import SafetyUpdate
from sciatrack.check.checking import patient_of
from sciatrack.lib.query_forms import read_query, refused_query

RECENT_DAYS = 14
FLAG_ERRORS = {"invalid_choice": "leave it out, or give 1"}


class DiaryQuery(forms.Form):
    """The flags the diary's own links carry: ``?saved=1`` after saving, ``?no_danger=1`` after the
    danger questions were all answered no."""

    saved = forms.ChoiceField(required=False, choices=[("1", "saved")], error_messages=FLAG_ERRORS)
    no_danger = forms.ChoiceField(required=False, choices=[("1", "no danger")], error_messages=FLAG_ERRORS)


@dataclass(frozen=True)
class Problem:
    field: str
    label: str
    message: str


def problems_of(form: DiaryForm) -> list[Problem]:
    return [
        Problem(field, FIELD_LABELS[field], " ".join(str(message) for message in messages))
        for field, messages in form.errors.items()
    ]


def _initial(entry: DiaryEntry | None) -> dict[str, Any]:
    if entry is None:
        return {}
    return {name: getattr(entry, name) for name in FIELD_LABELS if name != "danger_signs"}


@login_required
def diary_page(request: HttpRequest) -> HttpResponse:
    """Today's check-in (GET shows it, POST saves it and returns here) and the last two weeks."""
    query = read_query(request, DiaryQuery)
    if not query.is_valid():
        return refused_query(request, query)
    patient = patient_of(request)
    if patient is None:
        return render(request, "care/diary.html", {"no_patient": True})
    today = timezone.localdate()
    entries = list(patient.diary.filter(day__gte=today - timedelta(days=RECENT_DAYS - 1)))
    todays = next((entry for entry in entries if entry.day == today), None)
    if request.method == "POST":
        form = DiaryForm(request.POST)
        if form.is_valid():
            answers = dict(form.cleaned_data)
            danger = answers.pop("danger_signs")
            # Today's entry quarantined (see sciatrack.care.quarantine) is the one the person writes again.
            # Recorded now: a recording of today made earlier offline and arriving later does not
            # overwrite it (the latest recording of a day wins, see DiaryEntry.objects.record_once).
            DiaryEntry.all_objects.update_or_create(
                patient=patient,
                day=today,
                defaults={
                    **answers,
                    "quarantine_reason": "",
                    "idempotency_key": None,
                    "recorded_at": timezone.now(),
                },
            )
            if danger != "none":
                return redirect(f"{reverse('safety')}?from={SafetyUpdate.Source.DIARY}")
            return redirect(f"{request.path}?saved=1")
        status = 422
    else:
        form = DiaryForm(initial=_initial(todays))
        status = 200
    values = form.data if form.is_bound else form.initial
    context = {
        "form": form,
        "patient_uuid": str(patient.uuid),
        "today": today,
        "todays": todays,
        "saved": query.cleaned_data["saved"] == "1" and todays is not None,
        "problems": problems_of(form) if form.is_bound else [],
        "problem_fields": set(form.errors) if form.is_bound else set(),
        "values": {name: str(values.get(name, "")) for name in FIELD_LABELS},
        "scale": [str(n) for n in PAIN_SCALE],
        "reach_choices": [(value.value, text) for value, text in REACH_CHOICES.items()],
        "danger_choices": list(DANGER_CHOICES.items()),
        "sleep_choices": list(SLEEP_CHOICES.items()),
        "entries": [
            (entry, REACH_TEXT.get(entry.reach, entry.reach), SLEEP_CHOICES.get(entry.sleep, entry.sleep))
            for entry in entries
        ],
    }
    return render(request, "care/diary.html", context, status=status)
