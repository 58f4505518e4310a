"""``POST /api/diary``: store one day of the pain diary sent by the page's outbox, once per key.

The answers are the diary form's (:class:`sciatrack.care.forms.DiaryForm` checks them, the one rule the
diary page uses too), with the entry's own fields around them: the ``idempotency_key`` the page made
when the entry was recorded, the ``patient`` it was recorded for, the local ``day`` it is for (today or
up to :data:`OLDEST_DAY` days back) and the moment it was ``recorded_at``.

- The first arrival of a key answers 201; the same key with the same entry again answers 200 and the
  stored entry; the same key with a different entry answers 422 naming ``idempotency_key``.
- The latest recording of a day wins: an older recording arriving late is not stored, and the answer
  says so (``kept`` is ``"newer"``, with the stored one's ``recorded_at``).
- ``danger_signs`` "some" is handled as the diary page handles it: the day is stored, and the answer's
  ``next`` is the danger-sign questions (``/safety/?from=diary``), which the page must open. The API
  cannot ask each sign itself: a safety update needs an answer for each one.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Schema, Status

from sciatrack.accounts.models import Patient
from sciatrack.care.forms import DiaryForm
from sciatrack.care.managers import KeyReusedError
from sciatrack.care.models import DiaryEntry
from sciatrack.care.safety_models import SafetyUpdate
from sciatrack.check.checking import patient_of
from sciatrack.domain.plain_input import FUTURE_SLACK, moment_problem

from .auth import PersonalKeyAuth, SignedInBrowserAuth
from .body import read_json
from .body_schemas import DIARY_ENTRY_SCHEMA, json_body, responses
from .errors import ErrorOut, ProblemsOut, invalid
from .sessions import KEY_REUSED, OTHER_PERSON, PATIENT_PROBLEM, whose_entry

router = Router(tags=["diary"])

OLDEST_DAY = 7  # days back a diary entry may still be sent for
DAY_RANGE = f"must be today (where you are) or one of the {OLDEST_DAY} days before it, as YYYY-MM-DD"
MOMENT = "give the moment it was recorded as ISO 8601 with its time zone"
ENVELOPE_KEYS = ("idempotency_key", "patient", "day", "recorded_at")


class DiaryKeptOut(Schema):
    day: str
    idempotency_key: str
    kept: str
    recorded_at: str | None
    created: bool
    next: str | None


ANSWERS = {
    200: DiaryKeptOut,
    201: DiaryKeptOut,
    400: ProblemsOut,
    401: ErrorOut,
    403: ErrorOut,
    413: ProblemsOut,
    422: ProblemsOut,
}
STORED = {
    201: "The entry arrived for the first time. `kept` says whether it is the day's entry (`this`) or a "
    "newer recording of the day was kept (`newer`).",
    200: "An entry with this idempotency_key was already stored; nothing new.",
}


class EntryFields(forms.Form):
    """The entry's own fields around the diary's answers."""

    idempotency_key = forms.UUIDField(error_messages={"required": "give the uuid made when it was recorded"})
    day = forms.DateField(
        input_formats=["%Y-%m-%d"], error_messages={"required": DAY_RANGE, "invalid": DAY_RANGE}
    )
    recorded_at = forms.CharField(
        max_length=40, error_messages={"required": "give the moment it was recorded"}
    )

    def clean_day(self) -> Any:
        day = self.cleaned_data["day"]
        now = timezone.now()
        # The day is the person's own: one a day ahead of the server's is still today for someone east of it.
        latest = timezone.localdate(now + FUTURE_SLACK)
        if not timezone.localdate(now) - timedelta(days=OLDEST_DAY) <= day <= latest:
            raise forms.ValidationError(DAY_RANGE)
        return day

    def clean_recorded_at(self) -> datetime:
        try:
            moment = datetime.fromisoformat(self.cleaned_data["recorded_at"])
        except ValueError:
            raise forms.ValidationError(MOMENT) from None
        if moment.tzinfo is None:
            raise forms.ValidationError(MOMENT)
        problem = moment_problem(moment, timezone.now())
        if problem is not None:
            raise forms.ValidationError(problem)
        return moment


def _as_form_data(data: dict[str, Any], names: Any) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The JSON values of ``names`` as the text a form reads; a value of the wrong kind is a problem."""
    found: dict[str, str] = {}
    problems: list[dict[str, str]] = []
    for name in names:
        value = data.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, str | int):
            problems.append({"field": name, "message": "must be text or a whole number"})
        else:
            found[name] = str(value)
    return found, problems


@router.post(
    "",
    auth=[PersonalKeyAuth(), SignedInBrowserAuth()],
    summary="Store a diary entry",
    description="Stores one day of the pain diary, once per idempotency_key; the latest recording of a "
    "day wins. An entry with `danger_signs` `some` is stored and answers `next`: the danger-sign "
    "questions, to be opened at once.",
    response=ANSWERS,
    openapi_extra={**json_body(DIARY_ENTRY_SCHEMA), "responses": responses(ANSWERS, STORED)},
)
def store_diary_entry(request: HttpRequest) -> Status[dict[str, Any]] | JsonResponse:
    data = read_json(request)
    patient = patient_of(request)
    if patient is None:
        return Status(403, {"detail": "Only a person with a patient record can keep a diary."})
    if not isinstance(data, dict):
        return invalid(
            "The body must be a JSON object; nothing was stored.",
            [{"field": "body", "message": "must be an object"}],
        )
    whose = whose_entry(patient, data.get("patient"))
    if whose == "other":
        return Status(403, {"detail": OTHER_PERSON})
    answers, problems = _as_form_data(data, DiaryForm.base_fields)
    fields, envelope_problems = _as_form_data(data, ENVELOPE_KEYS)
    problems += envelope_problems
    if whose == "unreadable":
        problems.append(PATIENT_PROBLEM)
    unknown = sorted(set(data) - set(DiaryForm.base_fields) - set(ENVELOPE_KEYS))
    problems += [{"field": name, "message": "is not a field of a diary entry"} for name in unknown]
    form, entry_fields = DiaryForm(answers), EntryFields(fields)
    for checked in (form, entry_fields):
        if not checked.is_valid():
            problems += [
                {"field": name, "message": " ".join(str(m) for m in messages)}
                for name, messages in checked.errors.items()
                if not any(p["field"] == name for p in problems)
            ]
    if problems:
        return invalid(f"The entry has {len(problems)} problem(s); nothing was stored.", problems)
    return _store(patient, dict(form.cleaned_data), entry_fields.cleaned_data)


def _store(
    patient: Patient, answers: dict[str, Any], fields: dict[str, Any]
) -> JsonResponse | Status[dict[str, Any]]:
    danger = answers.pop("danger_signs")
    entry = DiaryEntry(
        patient=patient,
        day=fields["day"],
        idempotency_key=fields["idempotency_key"],
        recorded_at=fields["recorded_at"],
        **answers,
    )
    try:
        kept = DiaryEntry.objects.record_once(entry)
    except KeyReusedError:
        return invalid("Nothing was stored.", [KEY_REUSED])
    stored = kept.entry
    body = {
        "day": stored.day.isoformat(),
        "idempotency_key": str(fields["idempotency_key"]),
        "kept": "this" if kept.kept else "newer",
        "recorded_at": stored.recorded_at.isoformat() if stored.recorded_at else None,
        "created": kept.created,
        # As the diary page does: any danger sign, or not sure, goes on to each sign's own question.
        "next": f"{reverse('safety')}?from={SafetyUpdate.Source.DIARY}" if danger != "none" else None,
    }
    return JsonResponse(body, status=201 if kept.created else 200)
