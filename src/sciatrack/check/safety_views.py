"""Danger signs asked again: ``/safety/`` asks each sign as its own yes/no question, ``/safety/<uuid>/``
shows what a "yes" means (the contract, section 3, version 2).

Any "yes" is added to the answers of the person's newest check and the whole tier table runs again
(:func:`sciatrack.domain.safety_update.triage_update`); the result is stored as a safety update linked to
that check, and the program pauses until a new full check or a clearance allows it. Every "no" means
none of these now, and the person goes back to where they were.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from sciatrack.care.models import Intake
from sciatrack.care.safety_models import SafetyUpdate
from sciatrack.domain.safety_update import danger_signs, topped_up, triage_update
from sciatrack.domain.triage import result_to_json, triage

from .checking import patient_of
from .presentation import result_context
from .red_flag_wording import QUESTIONS_BY_KEY
from .safety import answers_so_far, new_questions
from .wording import NOT_SURE

WEEK_SECONDS = 7 * 24 * 3600
# Where a person goes back to after answering "no" to every sign.
BACK_TO = {
    SafetyUpdate.Source.SESSION_START: "session",
    SafetyUpdate.Source.IN_SESSION: "program",
    SafetyUpdate.Source.DIARY: "diary",
}
# The places that ask the danger signs again; a top-up of new questions has its own page.
DANGER_SOURCES = [(value, label) for value, label in SafetyUpdate.Source.choices if value in BACK_TO]
SOURCE_ERRORS = {
    "required": "say where you came from",
    "invalid_choice": f"choose one of: {', '.join(value for value, _ in DANGER_SOURCES)}",
}


def _source_field() -> forms.ChoiceField:
    return forms.ChoiceField(choices=DANGER_SOURCES, error_messages=SOURCE_ERRORS)


class OriginForm(forms.Form):
    """The query of the link that opens the questions: ``?from=`` where the person was."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from"] = _source_field()  # "from" is a Python keyword: declared here


class SourceForm(forms.Form):
    """Where the questions were opened from, carried by the form."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"] = _source_field()


def _yes_no(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "answer Yes or No (not sure? choose Yes)",
            "invalid_choice": "answer Yes or No",
        },
    )


class NewQuestionsForm(forms.Form):
    """The questions a version-1 check never asked, each a required yes/no."""

    def __init__(self, keys: tuple[str, ...], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keys = keys
        for key in keys:
            self.fields[key] = _yes_no(QUESTIONS_BY_KEY[key].question)

    def answered_yes(self) -> list[str]:
        return [key for key in self.keys if self.cleaned_data.get(key) == "yes"]


class DangerSignsForm(SourceForm):
    """One required yes/no answer per danger sign; a missing answer is never read as "no"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for sign in danger_signs():
            self.fields[sign.flag] = _yes_no(sign.label)

    def signs_answered_yes(self) -> list[str]:
        return [sign.flag for sign in danger_signs() if self.cleaned_data.get(sign.flag) == "yes"]


def _question(
    form: forms.Form, key: str, label: str, emergency_alone: bool, explain: str = ""
) -> dict[str, Any]:
    return {
        "key": key,
        "label": label,
        "explain": explain,
        "emergency_alone": emergency_alone,  # this sign alone sends the person to the emergency department
        "value": form.data.get(key, "") if form.is_bound else "",
        "errors": form.errors.get(key, []) if form.is_bound else [],
    }


def _problems(form: forms.Form) -> list[tuple[str, str]]:
    if not form.is_bound:
        return []
    return [
        (str(form.fields[name].label or name), " ".join(str(message) for message in messages))
        for name, messages in form.errors.items()
    ]


@login_required
def danger_questions(request: HttpRequest) -> HttpResponse:
    """GET: each danger sign as its own yes/no question. POST: store what a "yes" means, or go back."""
    patient = patient_of(request)
    check = Intake.objects.filter(patient=patient).order_by("-created").first() if patient else None
    if patient is None or check is None:
        # Without a check there are no answers to add to: the full check asks every sign.
        return redirect("check-intro")
    if request.method == "POST":
        form = DangerSignsForm(request.POST)
        status = 422
        if form.is_valid():
            source = form.cleaned_data["source"]
            yes = form.signs_answered_yes()
            if not yes:
                return redirect(f"{reverse(BACK_TO[source])}?no_danger=1")
            weeks = (timezone.now() - check.created).total_seconds() / WEEK_SECONDS
            result = triage_update(answers_so_far(check), yes, weeks, settings.SCIATRACK_EMERGENCY_NUMBER)
            update = SafetyUpdate.objects.create(
                patient=patient,
                intake=check,
                source=source,
                signs=yes,
                result=result_to_json(result),
                tier=result.tier.value,
                where=result.where.value,
            )
            return redirect("safety-update", update_uuid=update.uuid)
    else:
        origin = OriginForm(request.GET)
        if not origin.is_valid():
            return render(
                request, "care/safety_questions.html", {"bad_source": origin.errors["from"]}, status=400
            )
        form = DangerSignsForm(initial={"source": origin.cleaned_data["from"]})
        status = 200
    source = form.data.get("source") if form.is_bound else form.initial["source"]
    context = {
        "page_title": "Danger signs",
        "form": form,
        "source": source,
        "heading": "Do you have any of these now?",
        "action": reverse("safety"),
        "questions": [
            _question(form, sign.flag, sign.label, sign.emergency_alone) for sign in danger_signs()
        ],
        "not_sure": NOT_SURE,
        "problems": _problems(form),
    }
    return render(request, "care/safety_questions.html", context, status=status)


@login_required
def new_questions_page(request: HttpRequest) -> HttpResponse:
    """GET: the questions added in contract version 2 that the person's check never asked. POST: the
    whole table on the check's answers with them, stored as a safety update linked to the check."""
    found = new_questions(request)
    if found is None:
        return redirect("session")
    check, keys = found
    form = NewQuestionsForm(keys, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        answers = topped_up(answers_so_far(check), form.answered_yes())
        result = triage(answers, emergency_number=settings.SCIATRACK_EMERGENCY_NUMBER)
        update = SafetyUpdate.objects.create(
            patient=check.patient,
            intake=check,
            source=SafetyUpdate.Source.TOP_UP,
            signs=form.answered_yes(),
            result=result_to_json(result),
            tier=result.tier.value,
            where=result.where.value,
        )
        return redirect("safety-update", update_uuid=update.uuid)
    context = {
        "page_title": "New safety questions",
        "heading": f"{len(keys)} new safety questions",
        "intro": "We added these after you did your check. Please answer them before your next session.",
        "action": reverse("safety-new-questions"),
        "source": "",
        "questions": [
            _question(form, key, QUESTIONS_BY_KEY[key].question, False, QUESTIONS_BY_KEY[key].explain)
            for key in keys
        ],
        "not_sure": NOT_SURE,
        "problems": _problems(form),
    }
    return render(request, "care/safety_questions.html", context, status=422 if form.is_bound else 200)


@login_required
def safety_update_page(request: HttpRequest, update_uuid: str) -> HttpResponse:
    """What the signs reported mean: the tier, where to go, why, and that the program is paused."""
    update = get_object_or_404(SafetyUpdate, uuid=update_uuid, patient=patient_of(request))
    labels = {sign.flag: sign.label for sign in danger_signs()}
    return render(
        request,
        "care/safety_update.html",
        {
            **result_context({}, update.result, {}),
            "page_title": "What to do now",
            "update": update,
            "reported": [labels.get(flag, QUESTIONS_BY_KEY[flag].question) for flag in update.signs],
            "top_up": update.source == SafetyUpdate.Source.TOP_UP,
            "emergency_number": settings.SCIATRACK_EMERGENCY_NUMBER,
        },
    )
