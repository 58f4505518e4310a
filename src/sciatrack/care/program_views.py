"""The person's program page and the guided session page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sciatrack.content.loader import load_exercises
from sciatrack.domain.session_log import RESPONSES, SYMPTOM_CHOICES
from sciatrack.domain.sessions import plan_session, step_to_json

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


def program_page(request: HttpRequest) -> HttpResponse:
    found, stopped = _current(request)
    context: dict[str, Any] = {"page_title": "Your home program"}
    if found.program is None:
        context.update(_no_program_context(found))
        return render(request, "care/program.html", context)
    library = load_exercises()
    context.update(
        program=found.program,
        record=found.record,
        entries=[
            (exercise, library[exercise.id], stopped.get(exercise.id)) for exercise in found.program.exercises
        ],
        stopped=stopped,
        signed_in=checking.patient_of(request) is not None,
    )
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
