"""Clinic pages: the dashboard of a clinic's patients, one patient's record, and the audit log.

Every page checks the signed-in user through :mod:`.access`; a patient outside the user's clinic is a
404, never a 403, so the pages do not reveal who is a patient elsewhere. Viewing or exporting a
patient's record is written to the audit log.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from sciatrack.accounts.models import Patient
from sciatrack.care.models import Clearance
from sciatrack.check import clearances
from sciatrack.content.loader import exercise_names
from sciatrack.domain.clearance import ClearedBy
from sciatrack.domain.outcomes import LABEL, leg_pain_now
from sciatrack.domain.signal_words import clinician_sentence, leg_pain_line
from sciatrack.lib.query_forms import read_query, refused_query
from sciatrack.program.programs import kept_out_of
from sciatrack.progress.history import Progress, progress_of
from sciatrack.progress.report import report_pdf_bytes
from sciatrack.progress.views import progress_charts, stopped_with_names

from . import access, dashboard
from .forms import CLEARANCE_LABELS, ClinicianClearanceForm, DashboardQuery, NoteForm, PageQuery
from .models import AuditEvent, ClinicianNote

PAGE_SIZE = 50


def forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "clinic/not_staff.html", status=403)


@login_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    if not access.is_clinic_staff(request.user):
        return forbidden(request)
    asked = read_query(request, DashboardQuery)
    if not asked.is_valid():
        return refused_query(request, asked)
    now = timezone.now()
    patients = access.visible_patients(request.user)
    query: str = asked.cleaned_data["q"]
    attention = asked.cleaned_data["attention"] == "1"
    if query:
        patients = patients.filter(display_name__icontains=query)
    ordered = dashboard.annotated(patients, now, attention_only=attention)
    page = Paginator(ordered, PAGE_SIZE).get_page(asked.cleaned_data["page"])
    page_patients = dashboard.with_history(ordered.filter(pk__in=[p.pk for p in page.object_list]), now)
    context = {
        "page": page,
        "rows": dashboard.rows(page_patients, now),
        "query": query,
        "attention": attention,
        "clinician": access.clinician_of(request.user),
        "may_see_registry": access.may_see_registry(request.user),
    }
    return render(request, "clinic/dashboard.html", context)


@login_required
def patient_page(
    request: HttpRequest, patient_uuid: str, program_problems: list[str] | None = None
) -> HttpResponse:
    """The record (GET), or a new clinician note on it (POST: 1 to 2,000 characters).

    ``program_problems`` re-shows the page after a program change that was refused (status 422)."""
    if not access.is_clinic_staff(request.user):
        return forbidden(request)
    patient = access.patient_for(request, patient_uuid)
    note_problem = ""
    if request.method == "POST" and program_problems is None:  # a new note
        form = NoteForm(request.POST)
        if not form.is_valid():
            reasons = " ".join(str(message) for message in form.errors["note"])
            note_problem = f"Note: {reasons}; nothing was saved"
        else:
            author = request.user
            assert isinstance(author, User)  # login_required and is_clinic_staff let only users through
            ClinicianNote.objects.create(
                patient=patient,
                author=author,
                author_name=author.get_username(),
                text=form.cleaned_data["note"],
            )
            access.record(request, patient, AuditEvent.Action.CHANGE)
            return redirect("clinic-patient", patient_uuid=patient.uuid)
    status = 422 if note_problem or program_problems else 200
    return record_page(
        request, patient, program_problems=program_problems or [], note_problem=note_problem, status=status
    )


def progress_words(progress: Progress) -> dict[str, Any]:
    """What the record says about progress, to the clinician: leg pain from the first check to now, from
    the one source the signals read (:func:`sciatrack.domain.outcomes.leg_pain_now`), named; and each
    signal with its numbers and what the person was told."""
    baseline, today = progress.baseline, progress.today
    now = leg_pain_now(progress.diary, progress.follow_ups, today)
    first, first_day = (baseline.leg_pain, baseline.day) if baseline is not None else (None, None)
    return {
        "leg_pain_line": leg_pain_line(first, first_day, now, today),
        "signal_sentences": [clinician_sentence(signal, today) for signal in progress.signals],
    }


def record_page(
    request: HttpRequest,
    patient: Patient,
    *,
    program_problems: list[str] | None = None,
    note_problem: str = "",
    clearance_form: ClinicianClearanceForm | None = None,
    clearance_problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The record as the clinic sees it, with any refused change's problems; the look is audited."""
    access.record(request, patient, AuditEvent.Action.VIEW)
    progress = progress_of(patient)
    latest = patient.intakes.first()
    program = patient.programs.first()
    clinician = access.clinician_of(request.user)
    may_clear = clinician is not None and clinician.clinic_id == patient.clinic_id
    kept_out = kept_out_of(patient)
    names = exercise_names()
    context: dict[str, Any] = {
        "patient": patient,
        "progress": progress,
        "latest": latest,
        "program": program,
        "program_exercises": [
            (item["name"], item["dosage_text"], item["id"] in kept_out)
            for item in (program.exercises if program else [])
        ],
        "changes": [(LABEL[c.measure], c) for c in progress.changes if c.baseline is not None],
        "charts": progress_charts(progress) if progress.has_data else [],
        "sessions": list(patient.session_logs.all()[:20]),
        "notes": list(patient.clinician_notes.all()[:50]),
        "program_problems": program_problems or [],
        "clearable": may_clear and latest is not None and clearances.may_clear(latest, ClearedBy.CLINICIAN),
        "clearance_form": clearance_form
        or (ClinicianClearanceForm(check_day=clearances.check_day(latest)) if latest else None),
        "clearance_problems": clearance_problems or [],
        "clearance_errors": [
            f"{CLEARANCE_LABELS.get(field, field)}: {' '.join(str(m) for m in messages)}"
            for field, messages in (clearance_form.errors.items() if clearance_form is not None else [])
        ],
        "check_clearances": list(
            Clearance.objects.filter(intake__patient=patient).select_related("intake").order_by("created")
        ),
        "kept_out": [(kept, names.get(kept.exercise_id, kept.exercise_id)) for kept in kept_out.values()],
        "may_clear_to_resume": may_clear and program is not None,
        "program_changes": list(program.changes.all()[:20]) if program else [],
        "editable": [
            (item, item["dosage"].get("reps"), item["dosage"].get("times_per_day"))
            for item in (program.exercises if program else [])
        ],
        "note_problem": note_problem,
        "stopped": stopped_with_names(progress),
        **progress_words(progress),
    }
    return render(request, "clinic/patient.html", context, status=status)


@login_required
def patient_report(request: HttpRequest, patient_uuid: str) -> HttpResponse:
    if not access.is_clinic_staff(request.user):
        return forbidden(request)
    patient = access.patient_for(request, patient_uuid)
    access.record(request, patient, AuditEvent.Action.EXPORT)
    response = HttpResponse(report_pdf_bytes(patient), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sciatrack-report-{patient.uuid}.pdf"'
    return response


@login_required
def audit_page(request: HttpRequest) -> HttpResponse:
    """The clinic's audit log, for clinic administrators (and site administrators: every clinic)."""
    clinician = access.clinician_of(request.user)
    if request.user.is_superuser:
        events = AuditEvent.objects.all()
    elif clinician is not None and clinician.role == clinician.Role.CLINIC_ADMIN:
        events = AuditEvent.objects.filter(clinic=clinician.clinic)
    else:
        return forbidden(request)
    asked = read_query(request, PageQuery)
    if not asked.is_valid():
        return refused_query(request, asked)
    page = Paginator(events.order_by("-created", "-pk"), 100).get_page(asked.cleaned_data["page"])
    return render(request, "clinic/audit.html", {"page": page})
