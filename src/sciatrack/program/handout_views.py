"""Take-home pages: the printable handout (HTML and PDF) and the .ics reminders of the current program.

All three follow the person's newest check, as the program page does; without a program they show the
program page's no-program message (with status 404 for the downloads, since there is nothing to download).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from sciatrack.lib.query_forms import read_query
from sciatrack.outputs import handout, reminders

from . import programs
from .reminder_form import ReminderForm
from .views import _no_program_context


def _no_program(request: HttpRequest, found: programs.Current, status: int = 200) -> HttpResponse:
    context = {"page_title": "Your home program", **_no_program_context(found)}
    return render(request, "care/program.html", context, status=status)


def handout_page(request: HttpRequest) -> HttpResponse:
    """The handout as a standalone, print-friendly page."""
    found = programs.current(request)
    if found.program is None or found.result is None:
        return _no_program(request, found)
    html = handout.render_handout_html(found.program, found.result, timezone.localdate(), web=True)
    return HttpResponse(html)


def handout_pdf(request: HttpRequest) -> HttpResponse:
    """The handout as a PDF download named ``sciatrack-handout.pdf``."""
    found = programs.current(request)
    if found.program is None or found.result is None:
        return _no_program(request, found, status=404)
    pdf = handout.render_handout_pdf(found.program, found.result, timezone.localdate())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{handout.PDF_FILENAME}"'
    return response


def reminders_ics(request: HttpRequest) -> HttpResponse:
    """``?first=HH:MM&second=HH:MM&days=N`` -> one or two daily reminders of the program as an .ics download.

    A missing first time takes 08:00, a missing second means one reminder a day, ``days`` takes 12 weeks
    (see :mod:`sciatrack.program.reminder_form`). A bad value gives a 400 page naming the field, with the
    form as sent to put it right. Times are floating (the device's local time).
    """
    form = read_query(request, ReminderForm)
    problems = form.problems()
    if problems:
        context = {"page_title": "Reminders", "problems": problems, "reminders_form": form}
        return render(request, "care/reminders_error.html", context, status=400)
    found = programs.current(request)
    if found.program is None:
        return _no_program(request, found, status=404)
    if not found.program.exercises:  # every exercise kept out after a stop, until a clinician clears one
        context = {"page_title": "Reminders", "nothing_due": True}
        return render(request, "care/reminders_error.html", context, status=404)
    link = request.build_absolute_uri(reverse("session"))
    days: int = form.cleaned_data["days"]
    calendar = reminders.build_reminders(found.program, form.times, timezone.localdate(), days, link=link)
    response = HttpResponse(calendar, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sciatrack-reminders.ics"'
    return response
