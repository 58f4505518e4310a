"""A clinician clears from the patient's record: a held check to exercise, or an exercise to resume.

``POST /clinic/patients/<uuid>/clear/`` with ``check`` (the newest check's UUID), ``seen_on`` and
``note``: "Clear to exercise" (see :mod:`sciatrack.check.clearances`).
``POST /clinic/patients/<uuid>/resume/<exercise id>/``: "Clear to resume" an exercise kept out after a stop
because the pain spread; kept in the program's change history.

Only a clinician of the person's clinic (a site administrator without a clinic is refused, 403); a patient
of another clinic is a 404 as on every clinic page. A bad date or note is named and nothing is stored
(422); a result nobody may clear is refused (403). Each stored clearance is audited as a change.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from sciatrack.accounts.models import Clinician, Patient
from sciatrack.check import clearances
from sciatrack.domain.clearance import ClearedBy
from sciatrack.program.changes import clear_to_resume
from sciatrack.program.programs import kept_out_of

from . import access
from .forms import ClinicianClearanceForm
from .models import AuditEvent
from .views import forbidden, record_page


def _clinician_for(request: HttpRequest, patient_uuid: str) -> tuple[Clinician | None, Patient]:
    """The signed-in clinician if they belong to the patient's clinic (else None), and the patient
    (a 404 for a patient the user may not see)."""
    patient = access.patient_for(request, patient_uuid)
    clinician = access.clinician_of(request.user)
    if clinician is None or patient.clinic_id is None or clinician.clinic_id != patient.clinic_id:
        return None, patient
    return clinician, patient


NOT_THEIR_CLINICIAN = (
    "Only a clinician of the person's clinic can clear, after seeing them. Nothing was changed."
)


@login_required
@require_POST
def clear_check(request: HttpRequest, patient_uuid: str) -> HttpResponse:
    if not access.is_clinic_staff(request.user):
        return forbidden(request)
    clinician, patient = _clinician_for(request, patient_uuid)
    if clinician is None:
        return record_page(request, patient, clearance_problems=[NOT_THEIR_CLINICIAN], status=403)
    latest = patient.intakes.first()
    if latest is None or clearances.posted_check(request) != latest.uuid:
        problem = "Check: the person has a newer check; look at its result first. Nothing was changed."
        return record_page(request, patient, clearance_problems=[problem], status=409)
    if not clearances.may_clear(latest, ClearedBy.CLINICIAN):
        where, _ = clearances.held_result(latest)
        refused = (
            "This check has been cleared already."
            if latest.clearance is not None
            else clearances.refusal(where, ClearedBy.CLINICIAN)
        )
        return record_page(
            request, patient, clearance_problems=[f"{refused} Nothing was changed."], status=403
        )
    form = ClinicianClearanceForm(request.POST, check_day=clearances.check_day(latest))
    if not form.is_valid():
        return record_page(request, patient, clearance_form=form, status=422)
    user = request.user
    assert isinstance(user, User)  # login_required and is_clinic_staff let only users through
    try:
        clearances.clear_check(
            latest,
            ClearedBy.CLINICIAN,
            form.cleaned_data["seen_on"],
            form.cleaned_data["note"].strip(),
            clinician=clinician,
            name=user.get_username(),
        )
    except clearances.ClearanceRefused as refused:
        return record_page(request, patient, clearance_problems=[refused.message], status=409)
    access.record(request, patient, AuditEvent.Action.CHANGE)
    return redirect("clinic-patient", patient_uuid=patient.uuid)


@login_required
@require_POST
def resume_exercise(request: HttpRequest, patient_uuid: str, exercise_id: str) -> HttpResponse:
    if not access.is_clinic_staff(request.user):
        return forbidden(request)
    clinician, patient = _clinician_for(request, patient_uuid)
    if clinician is None:
        return record_page(request, patient, clearance_problems=[NOT_THEIR_CLINICIAN], status=403)
    program = patient.programs.first()
    kept = kept_out_of(patient).get(exercise_id)
    if program is None or kept is None:
        problem = "That exercise is not kept out of the program now: there is nothing to clear."
        return record_page(request, patient, clearance_problems=[problem], status=409)
    user = request.user
    clear_to_resume(program, kept, clinician, user if isinstance(user, User) else None)
    access.record(request, patient, AuditEvent.Action.CHANGE)
    return redirect("clinic-patient", patient_uuid=patient.uuid)
