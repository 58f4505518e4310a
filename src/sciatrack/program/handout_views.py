"""Take-home pages: the printable handout (HTML and PDF) and the .ics reminders of the current program.

All three follow the person's newest check, as the program page does; without a program they show the
program page's no-program message (with status 404 for the downloads, since there is nothing to download).
"""

from __future__ import annotations

from datetime import time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sciatrack.domain.plain_input import whole_number
from sciatrack.lib.fields import SafeCharField
from sciatrack.lib.query_forms import read_query
from sciatrack.outputs import handout, reminders

from . import programs
from .views import _no_program_context


def _setting(default: str) -> SafeCharField:
    return SafeCharField(required=False, max_length=20, empty_value=default)


def _refused(error: reminders.ReminderError) -> ValidationError:
    return ValidationError(error.message, code="invalid")


class ReminderSettings(forms.Form):
    """``?wake=HH:MM&sleep=HH:MM&days=N``; a missing or empty value takes its default.

    The reminders' own parsers say what is wrong in words; this form also holds them to the digits 0-9
    (their pattern and ``int`` would read other scripts' digits, such as Arabic-Indic, as numbers).
    """

    wake = _setting("07:00")
    sleep = _setting("22:00")
    days = _setting(str(reminders.DEFAULT_DAYS))

    def _clock(self, name: str) -> time:
        text: str = self.cleaned_data[name]
        try:
            moment = reminders.parse_clock(name, text)
        except reminders.ReminderError as error:
            raise _refused(error) from None
        if not text.isascii():
            raise ValidationError(f"{text!r}: write the time in the digits 0-9, as HH:MM", code="invalid")
        return moment

    def clean_wake(self) -> time:
        return self._clock("wake")

    def clean_sleep(self) -> time:
        return self._clock("sleep")

    def clean_days(self) -> int:
        text: str = self.cleaned_data["days"]
        days = whole_number(text, 0, 10**9)
        if days is None:
            message = f"{text!r} is not a whole number; give 1 to {reminders.MAX_DAYS}"
            raise ValidationError(message, code="invalid")
        try:
            reminders.check_days(days)
        except reminders.ReminderError as error:
            raise _refused(error) from None
        return days

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "wake" in cleaned and "sleep" in cleaned:
            try:
                reminders.check_waking_hours(cleaned["wake"], cleaned["sleep"])
            except reminders.ReminderError as error:
                self.add_error(error.field, _refused(error))
        return cleaned

    def problems(self) -> list[reminders.ReminderError]:
        """Every refused value, as the reminders' error page names them (empty when all are good)."""
        if self.is_valid():
            return []
        return [
            reminders.ReminderError(name, " ".join(str(message) for message in messages))
            for name, messages in self.errors.items()
        ]


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
    query = read_query(request, ReminderSettings)
    problems = query.problems()
    if problems:
        context = {"page_title": "Reminders", "problems": problems}
        return render(request, "care/reminders_error.html", context, status=400)
    found = programs.current(request)
    if found.program is None:
        return _no_program(request, found, status=404)
    wake, sleep, days = (query.cleaned_data[name] for name in ("wake", "sleep", "days"))
    calendar = reminders.build_reminders(found.program, wake, sleep, timezone.localdate(), days)
    response = HttpResponse(calendar, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sciatrack-reminders.ics"'
    return response
