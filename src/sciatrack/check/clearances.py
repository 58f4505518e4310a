"""Clearing a held check for exercise (the contract, section 3, version 2): the forms, and how it is stored.

Who may clear which result is :func:`sciatrack.domain.clearance.who_may_clear`; :func:`clear_check`
asks it before storing, and the database refuses a row that breaks it. Each form checks the day the
person was seen with :func:`sciatrack.domain.clearance.seen_on_problem`, so a bad date is named and
nothing is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django import forms
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from sciatrack.accounts.models import Clinician
from sciatrack.care.clearance_models import NOTE_MAX, Clearance
from sciatrack.care.models import Intake
from sciatrack.domain.clearance import ClearedBy, seen_on_problem, who_may_clear
from sciatrack.domain.vocabulary import PLACES, Where
from sciatrack.lib.fields import SafeCharField

PERSON_STATEMENT = "A doctor checked me for these since this check and said exercise is fine"


class ClearanceRefused(Exception):  # noqa: N818 - a refusal the clinician reads, not a fault
    """A clearance that must not be stored; ``message`` says why, in words."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def held_result(intake: Intake) -> tuple[Where | None, dict[str, Any]]:
    """The place and result that hold the exercises now: a safety update's, when danger signs were
    reported since the check, else the check's own."""
    update = intake.safety_update
    where, result = (
        (update.where, update.result) if update is not None else (intake.where, intake.triage_result)
    )
    return (Where(where) if where in PLACES else None), result


def may_clear(intake: Intake, by: ClearedBy) -> bool:
    """Whether ``by`` may clear ``intake`` now: its held result is one they may clear, and no clearance
    is stored for it yet (one per check)."""
    where, _ = held_result(intake)
    return where is not None and by in who_may_clear(where) and intake.clearance is None


def held_reasons(result: dict[str, Any]) -> list[str]:
    """The reasons of a result that hold the exercises (its rules above the exercise tiers), in words."""
    return [
        str(reason.get("text", ""))
        for reason in result.get("reasons", [])
        if reason.get("where") in PLACES and not Where(reason["where"]).tier.exercise_allowed
    ]


def clear_check(
    intake: Intake,
    by: ClearedBy,
    seen_on: date,
    note: str,
    clinician: Clinician | None = None,
    name: str = "",
) -> Clearance:
    """Store the clearance of ``intake``'s held result; raises :class:`ClearanceRefused` when ``by`` may
    not clear it or it is cleared already. It covers the place and the rules of that result only."""
    where, result = held_result(intake)
    if where is None or by not in who_may_clear(where):
        raise ClearanceRefused(refusal(where, by))
    rules = sorted({str(reason.get("rule", "")) for reason in result.get("reasons", [])})
    try:
        with transaction.atomic():
            clearance = Clearance.objects.create(
                intake=intake,
                by=by.value,
                by_clinician=clinician if by is ClearedBy.CLINICIAN else None,
                by_name=name or by.value,
                where=where.value,
                rules=rules,
                seen_on=seen_on,
                note=note,
            )
    except IntegrityError as error:
        raise ClearanceRefused("This check has been cleared already.") from error
    intake.__dict__["clearance"] = clearance
    return clearance


def refusal(where: Where | None, by: ClearedBy) -> str:
    """Why ``by`` may not clear a result that sends the person to ``where``, in words."""
    if where is not None and where.tier.exercise_allowed:
        return "This check already allows the exercises: there is nothing to clear."
    if where is not None and who_may_clear(where):
        return "Only a clinician of the person's clinic can clear this result, after seeing them."
    return (
        "A result that sends the person to an emergency department is never cleared: "
        "they do a new check once they have been seen."
    )


class CheckOfForm(forms.Form):
    """Which check a clearance form was shown for: a form for an older check must change nothing."""

    check = forms.UUIDField()


def posted_check(request: HttpRequest) -> UUID | None:
    """The check a clearance form was shown for, or None when it names none."""
    form = CheckOfForm(request.POST)
    return form.cleaned_data["check"] if form.is_valid() else None


class SeenOnForm(forms.Form):
    """The day the person was seen about the check: not before the check, not after today."""

    seen_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date", "class": "input input--date"}),
        error_messages={
            "required": "give the date (day, month and year)",
            "invalid": "give a real date, such as 2026-05-04",
        },
    )

    def __init__(self, *args: Any, check_day: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.check_day = check_day

    def clean_seen_on(self) -> date:
        seen_on: date = self.cleaned_data["seen_on"]
        problem = seen_on_problem(seen_on, self.check_day, timezone.localdate())
        if problem is not None:
            raise forms.ValidationError(problem)
        return seen_on


UNSTORABLE_NOTE = "the note has hidden characters that cannot be saved; please type it again"
NOTE_ERRORS = {
    "max_length": f"keep the note to {NOTE_MAX} characters (it has %(show_value)d)",
    "null_characters_not_allowed": UNSTORABLE_NOTE,
    "unstorable": UNSTORABLE_NOTE,
}


class OwnClearanceForm(SeenOnForm):
    """The person's own clearance of a ``soon`` result: the statement, the date and an optional note."""

    field_order = ["confirm", "seen_on", "note"]

    confirm = forms.BooleanField(
        error_messages={"required": "tick this only if a doctor did check you and said exercise is fine"}
    )
    note = SafeCharField(required=False, max_length=NOTE_MAX, error_messages=NOTE_ERRORS)


@dataclass(frozen=True)
class Problem:
    """One bad answer of a form, as ``care/_problems.html`` lists it."""

    field: str
    label: str
    message: str


def problems_of(form: forms.Form, labels: dict[str, str]) -> list[Problem]:
    return [
        Problem(field, labels.get(field, field), " ".join(str(message) for message in messages))
        for field, messages in form.errors.items()
    ]


def check_day(intake: Intake) -> date:
    """The day the check was made, where the person is."""
    return timezone.localdate(intake.created)
