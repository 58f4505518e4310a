"""The person's program page and the guided session page.

The program page also takes the person's own clearance of a ``soon`` result (POST; see
:mod:`.clearances`): "a doctor checked me for these since this check and said exercise is fine", with
the date. The program then starts.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from sciatrack.accounts.models import Patient
from sciatrack.check import checking, clearances
from sciatrack.check.presentation import result_context
from sciatrack.content.loader import load_exercises
from sciatrack.content.version import content_version
from sciatrack.domain.clearance import ClearedBy, who_may_clear
from sciatrack.domain.sessions import SHORT_SESSION_RULE, player_doses, session_minutes, what_you_need
from sciatrack.domain.stops import STOP_RULE
from sciatrack.lib.page_cache import kept_page

from . import programs
from .session_data import as_script, session_data

OWN_CLEARANCE_LABELS = {
    "confirm": "A doctor checked me",
    "seen_on": "Date the doctor checked you",
    "note": "What the doctor said",
    "check": "Your check",
}


def _no_program_context(
    found: programs.Current, form: clearances.OwnClearanceForm | None = None
) -> dict[str, Any]:
    """The no-program box: the advice that holds the exercises and, where the person may clear it
    themselves, the form to do so (``form``: as posted, with its problems)."""
    if found.result is None:
        return {"no_check": True}
    context = {
        **result_context({}, found.result, {}),
        "emergency_number": settings.SCIATRACK_EMERGENCY_NUMBER,
        "advice_raised": found.check is not None and found.check.advice_raised,
    }
    check = found.check
    if check is None:  # a visitor's check, kept in the browser session: nothing stored to clear
        return context
    where, result = clearances.held_result(check)
    who = who_may_clear(where) if where is not None else frozenset()
    if clearances.may_clear(check, ClearedBy.PERSON):
        context.update(
            own_clearance=form or clearances.OwnClearanceForm(check_day=clearances.check_day(check)),
            own_clearance_reasons=clearances.held_reasons(result),
            own_clearance_statement=clearances.PERSON_STATEMENT,
            own_clearance_check=check.uuid,
            problems=clearances.problems_of(form, OWN_CLEARANCE_LABELS) if form is not None else [],
        )
    elif ClearedBy.CLINICIAN in who and check.clearance is None:
        clinic = Patient.objects.filter(pk=check.patient_id).values_list("clinic_id", flat=True).first()
        context["clinician_may_clear"] = clinic is not None
    return context


def program_page(request: HttpRequest) -> HttpResponse:
    """The person's program: each exercise with its dose, what was left out and why, and take-home links.

    A signed-in patient's page is rendered once per version of what it shows and then kept
    (:func:`sciatrack.lib.page_cache.kept_page`): this is the page people open most. Only the CSRF token
    of the sign-out form changes per request, so it is put in on the way out. A POST is the person's own
    clearance.
    """
    if request.method == "POST":
        return own_clearance(request)
    found = programs.current(request)
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
            entries=[(item, library[item.id]) for item in program.exercises],
            signed_in=patient is not None,
        )
        if csrf_token is not None:
            context["csrf_token"] = csrf_token
            context["messages"] = ()  # a kept page holds no one-off message; the next page shows it
        return render_to_string("care/program.html", context, request)

    if found.record is None or patient is None:
        return HttpResponse(render_page())
    # Everything the page shows comes from these: the stored program as last changed, the exercises kept
    # out after a stop (each with its day, which dates the words), who is signed in and under which name
    # (the menu), the language and the exercise library's version.
    # base.html says so too: whatever it comes to show per person must be added here.
    user = request.user
    parts = (
        found.record.uuid,  # not the id, which a database may give again after a delete
        found.record.updated,
        tuple(sorted((item.exercise_id, item.stopped_on) for item in found.kept_out.values())),
        user.pk,
        user.get_username(),
        patient.display_name,
        get_language(),
        content_version(),
    )
    return HttpResponse(kept_page(request, parts, render_page))


def own_clearance(request: HttpRequest) -> HttpResponse:
    """The person clears their newest check's ``soon`` result themselves; then the program starts.

    Only a signed-in patient, only for their newest check (named in the form, so a check made since in
    another tab is never cleared by mistake), only a result they may clear. A bad answer is named and
    nothing is stored (422).
    """
    context: dict[str, Any] = {"page_title": "Your home program"}
    patient = checking.patient_of(request)
    found = programs.current(request) if patient is not None else None
    check = found.check if found is not None else None
    if found is None or check is None or found.has_program:
        return _refused(request, "There is no check of yours waiting to be cleared.", 403)
    if clearances.posted_check(request) != check.uuid:
        return _refused(request, "You have a newer check: look at its advice first.", 409)
    if not clearances.may_clear(check, ClearedBy.PERSON):
        where, _ = clearances.held_result(check)
        return _refused(request, clearances.refusal(where, ClearedBy.PERSON), 403)
    form = clearances.OwnClearanceForm(request.POST, check_day=clearances.check_day(check))
    if not form.is_valid():
        context.update(_no_program_context(found, form))
        return render(request, "care/program.html", context, status=422)
    try:
        clearances.clear_check(
            check,
            ClearedBy.PERSON,
            form.cleaned_data["seen_on"],
            form.cleaned_data["note"].strip(),
            name=patient.display_name if patient is not None else "",
        )
    except clearances.ClearanceRefused as refused:
        return _refused(request, refused.message, 409)
    return redirect("program")


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    context = {"page_title": "Your home program", "refused": message}
    return render(request, "care/program.html", context, status=status)


def session_page(request: HttpRequest) -> HttpResponse:
    """The guided session: before it starts, what you need, how long it takes (full or short) and the
    exercises; then the player, which lays out the steps itself from each exercise's coached numbers
    (:func:`sciatrack.domain.sessions.player_plan`), so the page stays small."""
    found = programs.current(request)
    context: dict[str, Any] = {"page_title": "Guided session"}
    program = found.program
    if program is None:
        context.update(_no_program_context(found))
        return render(request, "care/session.html", context)
    library = load_exercises()
    signed_in = checking.patient_of(request) is not None
    context.update(
        program=program,
        stopped_names=[item.name for item in program.left_out if item.rule == STOP_RULE],
        signed_in=signed_in,
        emergency_number=settings.SCIATRACK_EMERGENCY_NUMBER,
        short_rule=SHORT_SESSION_RULE,
    )
    if program.exercises:
        doses = {exercise.id: player_doses(exercise) for exercise in program.exercises}
        data = session_data(program, library, str(found.record.uuid) if found.record else None, signed_in)
        context.update(
            minutes=session_minutes(program),
            needs=what_you_need(library[exercise.id] for exercise in program.exercises),
            entries=[(exercise, doses[exercise.id]) for exercise in program.exercises],
            session_data=data,
            session_json=as_script(data),
        )
    return render(request, "care/session.html", context)
