"""The person's program page and the guided session page."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from sciatrack.content.loader import load_exercises
from sciatrack.content.version import content_version
from sciatrack.domain.session_log import RESPONSES, SYMPTOM_CHOICES
from sciatrack.domain.sessions import plan_session, step_to_json
from sciatrack.fragment_cache import FragmentCache

from . import checking, programs
from .presentation import result_context


def _current(request: HttpRequest) -> tuple[programs.Current, dict[str, str]]:
    found = programs.current(request)
    stopped = programs.stopped_today(checking.patient_of(request))
    return found, stopped


def _no_program_context(found: programs.Current) -> dict[str, Any]:
    if found.result is None:
        return {"no_check": True}
    return {
        **result_context({}, found.result, {}),
        "emergency_number": settings.SCIATRACK_EMERGENCY_NUMBER,
        "advice_raised": found.check is not None and found.check.advice_raised,
    }


# Each worker keeps the program pages it rendered last; one is about 8 kB.
PROGRAM_PAGES = FragmentCache(2000)
# Stands in for the CSRF token in a stored page; the request's own token replaces it on the way out.
CSRF_PLACEHOLDER = f"csrf{secrets.token_hex(16)}"


def program_page(request: HttpRequest) -> HttpResponse:
    """The person's program: each exercise with its dose, what was left out and why, and take-home links.

    A signed-in patient's page is rendered once per version of what it shows and then kept (see
    :data:`PROGRAM_PAGES`): this is the page people open most. Only the CSRF token of the sign-out form
    changes per request, so it is put in on the way out.
    """
    found, stopped = _current(request)
    context: dict[str, Any] = {"page_title": "Your home program"}
    if not found.has_program:
        context.update(_no_program_context(found))
        return render(request, "care/program.html", context)
    patient = checking.patient_of(request)

    def render_page(csrf_token: str | None = None) -> str:
        program = found.program
        assert program is not None
        library = load_exercises()
        context.update(
            program=program,
            entries=[(item, library[item.id], stopped.get(item.id)) for item in program.exercises],
            stopped=stopped,
            signed_in=patient is not None,
        )
        if csrf_token is not None:
            context["csrf_token"] = csrf_token
        return render_to_string("care/program.html", context, request)

    if found.record is None or patient is None:
        return HttpResponse(render_page())
    # Everything the page shows comes from these: the stored program as last changed, today's stops,
    # who is signed in and under which name (the menu), the language and the exercise library's version.
    # base.html says so too: whatever it comes to show per person must be added here.
    user = request.user
    key = (
        found.record.uuid,  # not the id, which a database may give again after a delete
        found.record.updated,
        tuple(sorted(stopped.items())),
        user.pk,
        user.get_username(),
        patient.display_name,
        get_language(),
        content_version(),
    )
    page = PROGRAM_PAGES.get_or_render(key, lambda: render_page(CSRF_PLACEHOLDER))
    return HttpResponse(page.replace(CSRF_PLACEHOLDER, get_token(request)))


def session_page(request: HttpRequest) -> HttpResponse:
    found, stopped = _current(request)
    context: dict[str, Any] = {"page_title": "Guided session"}
    if found.program is None:
        context.update(_no_program_context(found))
        return render(request, "care/session.html", context)
    program = programs.without(found.program, stopped)
    library = load_exercises()
    plan = plan_session(program) if program.exercises else None
    context.update(
        program=program,
        stopped_names=[item.name for item in program.left_out if item.rule == "stopped-today"],
        signed_in=checking.patient_of(request) is not None,
        session_data={
            "steps": [step_to_json(step) for step in plan.steps] if plan else [],
            "exercises": {
                exercise.id: {
                    "name": exercise.name,
                    "dosage": exercise.dosage_text,
                    "start": library[exercise.id].start_position,
                    "steps": list(library[exercise.id].steps),
                }
                for exercise in program.exercises
            },
            "choices": [{"value": key.value, "label": label} for key, label in SYMPTOM_CHOICES.items()],
            "responses": {
                key.value: {"action": response.action.value, "message": response.message}
                for key, response in RESPONSES.items()
            },
            "program": str(found.record.uuid) if found.record else None,
            "emergency_number": settings.SCIATRACK_EMERGENCY_NUMBER,
            "save": checking.patient_of(request) is not None,
        },
    )
    return render(request, "care/session.html", context)
