"""The person's program page and the guided session page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
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
    return {**result_context({}, found.result, {}), "emergency_number": settings.SCIATRACK_EMERGENCY_NUMBER}


# Each worker keeps the program bodies it rendered last; one is about 6 kB.
PROGRAM_BODIES = FragmentCache(2000)


def program_page(request: HttpRequest) -> HttpResponse:
    """The person's program: each exercise with its dose, what was left out and why, and take-home links.

    The body is rendered once per stored program version and day's stops (see :data:`PROGRAM_BODIES`);
    the page around it (menu, sign-out form) is rendered on every request.
    """
    found, stopped = _current(request)
    context: dict[str, Any] = {"page_title": "Your home program"}
    if not found.has_program:
        context.update(_no_program_context(found))
        return render(request, "care/program.html", context)
    signed_in = checking.patient_of(request) is not None

    def render_body() -> str:
        program = found.program
        assert program is not None
        library = load_exercises()
        entries = [
            (exercise, library[exercise.id], stopped.get(exercise.id)) for exercise in program.exercises
        ]
        body = {"program": program, "entries": entries, "stopped": stopped, "signed_in": signed_in}
        return render_to_string("care/_program_body.html", body)

    if found.record is None:
        context["program_body"] = render_body()
    else:
        # Everything the body shows comes from these: the stored program as last changed, today's
        # stops, whether the person is signed in, the language and the exercise library's version.
        key = (
            found.record.uuid,  # not the id, which a database may give again after a delete
            found.record.updated,
            tuple(sorted(stopped.items())),
            signed_in,
            get_language(),
            content_version(),
        )
        context["program_body"] = PROGRAM_BODIES.get_or_render(key, render_body)
    return render(request, "care/program.html", context)


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
