"""Who may see which patients: the one rule every clinic page goes through.

- a clinician or clinic administrator sees the patients of their own clinic, and no others;
- a site administrator (superuser) sees every patient;
- anyone else (a patient, a visitor) sees none on the clinic pages; patients use their own pages.

Staff (:func:`is_clinic_staff`) get the staff menu in ``base.html`` (``{% load staff_menu %}``), which
offers the outcome registry to those who may see it (:func:`may_see_registry`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from sciatrack.accounts.models import Clinician, Patient

from .models import AuditEvent


def clinician_of(user: Any) -> Clinician | None:
    if not user.is_authenticated:
        return None
    try:
        return Clinician.objects.select_related("clinic").get(user=user)
    except Clinician.DoesNotExist:
        return None


def is_clinic_staff(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or clinician_of(user) is not None


# The permission that opens the whole network's figures (the registry app's own, see its migrations).
NETWORK_PERMISSION = "registry.view_network"


@dataclass(frozen=True)
class RegistryScope:
    """What a user may see of the registry: ``clinic_ids`` None for the whole network, else those clinics."""

    clinic_ids: list[int] | None


def registry_scope(user: Any) -> RegistryScope | None:
    """The registry ``user`` may see: a site administrator or anyone with the network permission sees the
    whole network, a clinic administrator their own clinic's figures; None for everyone else."""
    if not user.is_authenticated:
        return None
    if user.is_superuser or user.has_perm(NETWORK_PERMISSION):
        return RegistryScope(None)
    clinician = clinician_of(user)
    if clinician is not None and clinician.role == Clinician.Role.CLINIC_ADMIN:
        return RegistryScope([clinician.clinic_id])
    return None


def may_see_registry(user: Any) -> bool:
    """Whether ``user`` may open the outcome registry at all (the staff menu's link)."""
    return registry_scope(user) is not None


def visible_patients(user: Any) -> QuerySet[Patient]:
    """The patients ``user`` may see on the clinic pages (an empty queryset for everyone else)."""
    if getattr(user, "is_superuser", False):
        return Patient.objects.all()
    clinician = clinician_of(user)
    if clinician is None:
        return Patient.objects.none()
    return Patient.objects.filter(clinic=clinician.clinic)


def patient_for(request: HttpRequest, patient_uuid: str) -> Patient:
    """The patient, if the signed-in user may see them; otherwise 404, so existence is not revealed."""
    patient = visible_patients(request.user).select_related("clinic").filter(uuid=patient_uuid).first()
    if patient is None:
        raise Http404("no such patient")
    return patient


def record(request: HttpRequest, patient: Patient, action: str) -> None:
    """Append who did ``action`` on ``patient``'s record to the audit log."""
    user = request.user
    AuditEvent.objects.create(
        actor=user if user.is_authenticated else None,
        actor_name=user.get_username() if user.is_authenticated else "anonymous",
        patient=patient,
        patient_uuid=patient.uuid,
        clinic=patient.clinic,
        action=action,
        path=request.path[:300],
    )
