"""Take-home pages: the printable handout (HTML and PDF) and the .ics reminders of the current program.

All three follow the person's newest check, as the program page does; without a program they show the
program page's no-program message (with status 404 for the downloads, since there is nothing to download).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sciatrack import handout, reminders

from . import programs
from .program_views import _no_program_context


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
    """``?wake=HH:MM&sleep=HH:MM&days=N`` -> the program's reminders as an .ics download.

    Missing values take the defaults 07:00, 22:00 and 28 days; a bad value gives a 400 page naming the
    field and what it accepts. Times are floating (the device's local time).
    """
    wake, sleep, days, problems = reminders.parse_settings(
        request.GET.get("wake", "07:00"),
        request.GET.get("sleep", "22:00"),
        request.GET.get("days", str(reminders.DEFAULT_DAYS)),
    )
    if problems:
        context = {"page_title": "Reminders", "problems": problems}
        return render(request, "care/reminders_error.html", context, status=400)
    found = programs.current(request)
    if found.program is None:
        return _no_program(request, found, status=404)
    calendar = reminders.build_reminders(found.program, wake, sleep, timezone.localdate(), days)
    response = HttpResponse(calendar, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sciatrack-reminders.ics"'
    return response
