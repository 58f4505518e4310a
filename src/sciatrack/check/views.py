"""The safety check's pages: intro, one URL per question, the emergency advice, the result, history.

Every form works without JavaScript (POST, then redirect to the next page). Answers are kept in the
session after each step, so a reload or the back button never loses them; a refused answer changes
nothing. Nobody has to sign in: a signed-in person's finished check is also saved to their history.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from sciatrack.care.models import Intake
from sciatrack.domain.vocabulary import Tier
from sciatrack.lib.query_forms import read_query, refused_query

from . import checking, steps, wording
from .bodymap import VIEWS, drawn_shapes
from .presentation import result_context
from .stepbase import Problem, State, Step


def step_url(step: Step | None) -> str:
    return reverse("check-step", args=[step.slug]) if step else reverse("check-result")


def common(request: HttpRequest, state: State) -> dict[str, Any]:
    return {
        "emergency_number": settings.SCIATRACK_EMERGENCY_NUMBER,
        "alert_tier": checking.alert_tier(state),
    }


def intro(request: HttpRequest) -> HttpResponse:
    state = checking.load(request)
    resume = steps.first_unanswered(state)
    started = bool(steps.answered(state))
    return render(
        request,
        "care/intro.html",
        {
            **common(request, state),
            "page_title": "Safety check",
            "started": started,
            "resume_url": step_url(resume) if started else None,
            "first_url": step_url(steps.STEPS[0]),
        },
    )


@require_POST
def restart(request: HttpRequest) -> HttpResponse:
    checking.clear(request)
    return redirect(step_url(steps.STEPS[0]))


def step_context(request: HttpRequest, step: Step, state: State, problems: list[Problem]) -> dict[str, Any]:
    saved = steps.answered(state).get(step.slug)
    previous, _ = steps.neighbours(step, state)
    screens = steps.asked(state)
    context: dict[str, Any] = {
        **common(request, state),
        **step.context(saved, request.POST if problems else None),
        "step": step,
        "page_title": step.section,
        "problems": problems,
        "problem_fields": {problem.field for problem in problems},
        "section_number": steps.section_number(step),
        "section_count": len(steps.SECTIONS),
        "section_title": step.section,
        "screen_number": screens.index(step) + 1 if step in screens else 1,
        "screen_count": len(screens),
        "previous_url": step_url(previous) if previous else None,
        "can_finish": steps.first_unanswered(state) is None,
    }
    if isinstance(step, steps.YesNoStep):
        context["page_title"] = step.question.question
    if isinstance(step, steps.YesNoStep) and step in steps.RED_FLAG_STEPS:
        context.update(
            red_flag_number=step.number,
            red_flag_count=steps.RED_FLAG_COUNT,
            red_flag_first_in_group=step.group.questions[0] == step.question,
        )
    if step.slug == "where":
        chosen = {value for value, _, ticked in context["choices"] if ticked}
        context.update(
            views=[
                {
                    "slug": v.slug,
                    "title": v.title,
                    "view_box": v.view_box,
                    "outline": v.outline,
                    "shapes": drawn_shapes(v, wording.REGION_LABELS),
                }
                for v in VIEWS
            ],
            chosen=chosen,
        )
    return context


@require_http_methods(["GET", "POST"])
def step_view(request: HttpRequest, slug: str) -> HttpResponse:
    step = steps.BY_SLUG.get(slug)
    if step is None:
        raise Http404("There is no such question in the safety check.")
    state = checking.load(request)
    if not step.applies(state):  # its answer follows from earlier ones: go on to the next question
        return redirect(step_url(steps.neighbours(step, state)[1]))
    if request.method == "POST":
        data, problems = step.clean(request.POST)
        if problems:
            context = step_context(request, step, state, problems)
            return render(request, step.template, context, status=400)
        was_emergency = checking.alert_tier(state) is Tier.EMERGENCY
        steps.answered(state)[step.slug] = data
        checking.store_state(request, state)
        _, following = steps.neighbours(step, state)
        if following is None:
            checking.finish(request, state)
        if not was_emergency and checking.alert_tier(state) is Tier.EMERGENCY:
            return redirect(f"{reverse('check-act-now')}?next={following.slug if following else ''}")
        return redirect(step_url(following))
    return render(request, step.template, step_context(request, step, state, []))


class NextQuestion(forms.Form):
    """``?next=``: the question to go on to after the emergency advice (empty: the result)."""

    next = forms.ChoiceField(
        required=False,
        choices=[("", "the result"), *((step.slug, step.slug) for step in steps.STEPS)],
        error_messages={"invalid_choice": "this is not a question of the check"},
    )


def act_now(request: HttpRequest) -> HttpResponse:
    """The emergency advice, shown the moment an answer points to an emergency."""
    query = read_query(request, NextQuestion)
    if not query.is_valid():
        return refused_query(request, query)
    state = checking.load(request)
    following = steps.BY_SLUG.get(query.cleaned_data["next"])
    if checking.alert_tier(state) is not Tier.EMERGENCY:
        return redirect(step_url(following) if following else reverse("check-intro"))
    return render(
        request,
        "care/act_now.html",
        {
            **common(request, state),
            "page_title": "Go to an emergency department now",
            "reasons": checking.provisional_reasons(state),
            "next_url": step_url(following),
        },
    )


@require_http_methods(["GET", "POST"])
def result(request: HttpRequest) -> HttpResponse:
    state = checking.load(request)
    missing = steps.first_unanswered(state)
    if missing is not None:
        return redirect(step_url(missing))
    outcome = checking.evaluate(state)
    patient = checking.patient_of(request)
    if request.method == "POST":
        if patient is None:
            return redirect(f"{reverse('login')}?next={reverse('check-result')}")
        checking.save(request, state, outcome, patient)
        return redirect("check-result")
    saved = checking.saved_intake(state, outcome, patient)
    return render(
        request,
        "care/result.html",
        {
            **common(request, state),
            **result_context(outcome.answers, outcome.result, outcome.measures),
            "where": outcome.result.get("where"),
            "page_title": "Your result",
            "saved": saved,
            "can_save": patient is not None and saved is None,
            "signed_in_without_patient": request.user.is_authenticated and patient is None,
            "fresh": True,
            "last_step_url": step_url(steps.STEPS[-1]),
        },
    )


@login_required
def history(request: HttpRequest) -> HttpResponse:
    patient = checking.patient_of(request)
    intakes = Intake.objects.filter(patient=patient) if patient else Intake.objects.none()
    return render(
        request,
        "care/history.html",
        {"page_title": "Your safety checks", "intakes": intakes, "has_patient": patient is not None},
    )


@login_required
def history_detail(request: HttpRequest, intake_uuid: str) -> HttpResponse:
    patient = checking.patient_of(request)
    if patient is None:
        raise Http404("No such check.")
    intake = get_object_or_404(Intake, uuid=intake_uuid, patient=patient)
    return render(
        request,
        "care/result.html",
        {
            "emergency_number": settings.SCIATRACK_EMERGENCY_NUMBER,
            **result_context(intake.answers, intake.triage_result, intake.measures),
            "page_title": f"Safety check of {intake.created:%d %B %Y}",
            "stored": intake,
            "fresh": False,
        },
    )
