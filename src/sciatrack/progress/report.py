"""The report for a clinician (HTML, made into a PDF by WeasyPrint) and the person's raw data as CSV.

Both are built from :func:`.progress.progress_of` and the stored records, so they say exactly what the
progress page says. The report loads nothing from elsewhere: CSS inline, charts as inline SVG.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from sciatrack.accounts.models import Patient
from sciatrack.care.models import Clearance
from sciatrack.check.checking import patient_of
from sciatrack.content.loader import exercise_names
from sciatrack.domain.outcomes import LABEL, rule_words
from sciatrack.program.programs import kept_out_of

from .history import progress_of
from .views import progress_charts, stopped_with_names

REPORT_FILENAME = "sciatrack-progress-report.pdf"
CSV_FILENAME = "sciatrack-my-data.csv"
CSV_HEADER = ("record", "date", "field", "value")


def report_context(patient: Patient) -> dict[str, Any]:
    """What the report prints: the person, their checks and clearances, program, changes, adherence,
    charts, and stops (those that keep an exercise out now too)."""
    progress = progress_of(patient)
    intakes = list(patient.intakes.order_by("created"))
    program = patient.programs.first()
    names = exercise_names()
    return {
        "patient": patient,
        "today": progress.today,
        "progress": progress,
        "first_check": intakes[0] if intakes else None,
        "latest_check": intakes[-1] if intakes else None,
        "check_count": len(intakes),
        "program": program,
        "program_changed": program is not None and (program.updated - program.created).total_seconds() > 1,
        "program_exercises": [
            (item["name"], item["dosage_text"]) for item in (program.exercises if program else [])
        ],
        "changes": [(LABEL[change.measure], change) for change in progress.changes],
        # What "responder" means for each measure; each row says which of these rules it met.
        "responder_rules": [
            (LABEL[change.measure], rule_words(change.measure)) for change in progress.changes
        ],
        "program_changes": list(program.changes.order_by("created")) if program else [],
        "charts": progress_charts(progress) if progress.has_data else [],
        "stopped": stopped_with_names(progress),
        "check_clearances": list(
            Clearance.objects.filter(intake__patient=patient).select_related("intake").order_by("created")
        ),
        "kept_out": [
            (kept, names.get(kept.exercise_id, kept.exercise_id)) for kept in kept_out_of(patient).values()
        ],
        "adherence_done": sum(week.done for week in progress.adherence),
        "adherence_prescribed": sum(week.prescribed for week in progress.adherence),
    }


def render_report_html(patient: Patient) -> str:
    return render_to_string("care/progress_report.html", report_context(patient))


def report_pdf_bytes(patient: Patient) -> bytes:
    """The report as PDF bytes (WeasyPrint is imported here: it is slow to load and rarely needed)."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=render_report_html(patient)).write_pdf()
    return pdf


def data_rows(patient: Patient) -> Iterator[tuple[str, str, str, str]]:
    """Every value the person gave, one per row: (record, date, field, value), oldest first per record."""
    for intake in patient.intakes.order_by("created").prefetch_related("clearances"):
        day = timezone.localdate(intake.created).isoformat()
        yield ("check", day, "tier", intake.current_tier)
        yield ("check", day, "where", intake.where)
        if intake.current_result is not None:
            yield ("check", day, "tier_when_made", intake.tier)
        for clearance in intake.clearances.all():
            yield ("check", day, "cleared_by", f"{clearance.by}: {clearance.by_name}")
            yield ("check", day, "cleared_on", timezone.localdate(clearance.created).isoformat())
            yield ("check", day, "cleared_seen_on", clearance.seen_on.isoformat())
            yield ("check", day, "cleared_note", clearance.note)
        for questionnaire, entry in sorted((intake.measures or {}).items()):
            if questionnaire == "nprs":
                for item, value in sorted(entry.items()):
                    yield ("check", day, f"nprs.{item}", str(value))
            elif not entry.get("skipped"):
                yield ("check", day, f"{questionnaire}.score", str(entry.get("score")))
    for entry in patient.diary.order_by("day"):
        for field in ("leg_pain", "back_pain", "reach", "sleep", "note"):
            yield ("diary", entry.day.isoformat(), field, str(getattr(entry, field)))
    for log in patient.session_logs.order_by("started_at"):
        day = timezone.localdate(log.started_at).isoformat()
        yield ("session", day, "pain_before", str(log.pain_before))
        yield ("session", day, "pain_after", "" if log.pain_after is None else str(log.pain_after))
        for item in log.exercises:
            yield ("session", day, f"{item['id']}.status", item.get("status", ""))


def data_csv_text(patient: Patient) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    writer.writerows(data_rows(patient))
    return out.getvalue()


def _no_patient(request: HttpRequest) -> HttpResponse:
    return render(request, "care/progress.html", {"no_patient": True}, status=404)


@login_required
def report_pdf(request: HttpRequest) -> HttpResponse:
    patient = patient_of(request)
    if patient is None:
        return _no_patient(request)
    response = HttpResponse(report_pdf_bytes(patient), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{REPORT_FILENAME}"'
    return response


@login_required
def data_csv(request: HttpRequest) -> HttpResponse:
    patient = patient_of(request)
    if patient is None:
        return _no_patient(request)
    response = HttpResponse(data_csv_text(patient), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{CSV_FILENAME}"'
    return response
