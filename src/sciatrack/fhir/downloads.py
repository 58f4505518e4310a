""" "Download my record (FHIR)": a person's whole record as one FHIR R4 Bundle (type collection) file.

A person downloads their own from the account page; clinic staff download a patient's from the clinic's
record page, and that export is written to the audit log (as the PDF report is). The addresses live
with the pages they belong to (``/accounts/``, ``/clinic/patients/<uuid>/``), so the clinic's two-step
sign-in guards the staff one; this module holds their ``urlpatterns``.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_safe

from sciatrack.accounts.models import Patient
from sciatrack.clinic import access
from sciatrack.clinic.models import AuditEvent
from sciatrack.clinic.views import forbidden

from .api import fhir_base
from .outcome import fhir_response
from .record import collection_bundle

OWN_FILENAME = "sciatrack-record-fhir.json"


def record_file(request: HttpRequest, patient: Patient, filename: str) -> HttpResponse:
    response = fhir_response(collection_bundle(patient, fhir_base(request)))
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_safe
def my_record(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own record."""
    patient: Patient | None = getattr(request.user, "patient", None)
    if patient is None:
        raise Http404("no record of your own")
    return record_file(request, patient, OWN_FILENAME)


@login_required
@require_safe
def patient_record(request: HttpRequest, patient_uuid: uuid.UUID) -> HttpResponse:
    """A patient's record, for their clinic's staff; audited as an export."""
    if not access.is_clinic_staff(request.user):
        return forbidden(request)
    patient = access.patient_for(request, str(patient_uuid))
    access.record(request, patient, AuditEvent.Action.EXPORT)
    return record_file(request, patient, f"sciatrack-record-fhir-{patient.uuid}.json")


urlpatterns = [
    path("accounts/my-record-fhir.json", my_record, name="my-record-fhir"),
    path(
        "clinic/patients/<uuid:patient_uuid>/record-fhir.json",
        patient_record,
        name="clinic-patient-record-fhir",
    ),
]
