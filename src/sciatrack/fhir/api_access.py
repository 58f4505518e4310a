"""Who is asking the FHIR API, whose records they may read, and the audit of each read.

The caller is a personal key's owner (``Authorization: Bearer <key>``), or else the signed-in browser's
person. A request that sends a key is that key's owner or nobody (401): it never falls back to the
session. Staff signed in by a session must have confirmed their code this session, as on the clinic
pages; a staff key can only be made in such a session (:mod:`sciatrack.accounts.tokens`).

What a caller may read is the rule of the web pages (:mod:`sciatrack.clinic.access`): their own record,
and as clinic staff their clinic's patients (a site administrator: everyone). Every read of someone
else's record is appended to the audit log, as the clinic's record page does.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest

from sciatrack.accounts.models import Patient
from sciatrack.accounts.tokens import keys_wait_for_second_factor, user_for_key
from sciatrack.care.models import Clearance, Intake, Program, SafetyUpdate, SessionLog
from sciatrack.clinic import access
from sciatrack.clinic.models import AuditEvent

from .api_search import patient_uuid
from .ids import row_uuid
from .outcome import TOO_COSTLY, FhirRefusalError, not_signed_in
from .record import patient_resources

# Longer than any key Sciatrack makes (``sct_`` and 43 characters); a longer one is not a key.
KEY_MAX = 200
# How many patients a scan reads at a time.
SCAN_CHUNK = 50
# How many resource ids the hints below remember (a few megabytes at most).
HINTS_MAX = 20_000
# The most records a search naming no patient reads; a caller who may read more names a patient.
SEARCH_ALL_MAX = 200
NAME_A_PATIENT = (
    "patient: you may read more than {limit} records; name one (patient=<id> or subject=Patient/<id>), "
    "or use Patient/<id>/$everything"
)

BAD_HEADER = "Authorization: send your personal key as Bearer <key>."
BAD_KEY = (
    "Authorization: this key does not work; it may have been revoked. Make a new one on your account page."
)
CONFIRM_CODE = (
    "Confirm your sign-in code first (your account's two-step sign-in), or send a personal key made "
    "after confirming it."
)


def caller(request: HttpRequest) -> User:
    """The person asking; 401 for nobody, a bad key, or staff whose session has not confirmed a code."""
    header = request.META.get("HTTP_AUTHORIZATION")
    if header is not None:
        scheme, _, key = header.strip().partition(" ")
        key = key.strip()
        if scheme.lower() != "bearer" or not key or len(key) > KEY_MAX:
            raise not_signed_in(BAD_HEADER)
        user = user_for_key(key)
        if user is None:
            raise not_signed_in(BAD_KEY)
        request.user = user  # the audit log names the key's owner
        return user
    person: Any = request.user
    if not person.is_authenticated:
        raise not_signed_in()
    # The same check that guards making a key: staff confirm a code before reading others' records.
    if keys_wait_for_second_factor(person):
        raise not_signed_in(CONFIRM_CODE)
    assert isinstance(person, User)
    return person


class _Hints:
    """Which patient's record a resource id was last seen in, so a read by id (often right after a search
    that listed it) reads that one record first. Only a hint: whether the caller may see that record,
    and whether the resource is still in it, is checked on every read."""

    def __init__(self) -> None:
        self._seen: OrderedDict[tuple[str, str], int] = OrderedDict()
        self._lock = threading.Lock()

    def remember(self, resource: dict[str, Any], patient_pk: int) -> None:
        with self._lock:
            key = (resource["resourceType"], resource["id"])
            self._seen[key] = patient_pk
            self._seen.move_to_end(key)
            while len(self._seen) > HINTS_MAX:
                self._seen.popitem(last=False)

    def patient_of(self, resource_type: str, resource_id: str) -> int | None:
        with self._lock:
            return self._seen.get((resource_type, resource_id))


HINTS = _Hints()


class Reader:
    """A caller's view of the records: whom they may read, and the audit of what they read."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.user = caller(request)

    def patients(self) -> QuerySet[Patient]:
        """Every patient whose record the caller may read, in a stable order."""
        own = Patient.objects.filter(user=self.user)
        return (access.visible_patients(self.user) | own).select_related("clinic").order_by("created", "pk")

    def patient(self, patient_id: str) -> Patient | None:
        wanted = patient_uuid(patient_id)
        return None if wanted is None else self.patients().filter(uuid=wanted).first()

    def looked_at(self, patient: Patient, action: str = AuditEvent.Action.VIEW) -> None:
        """Audit a read of ``patient``'s record, unless it is the caller's own."""
        if patient.user_id != self.user.pk:
            access.record(self.request, patient, action)

    def resources_of(self, patient: Patient) -> Iterator[dict[str, Any]]:
        for resource in patient_resources(patient):
            HINTS.remember(resource, patient.pk)
            yield resource

    def records(self, first_pk: int | None = None) -> Iterator[Patient]:
        """The readable patients, the one with ``first_pk`` first (when readable), a chunk at a time."""
        readable = self.patients()
        if first_pk is not None:
            hinted = readable.filter(pk=first_pk).first()
            if hinted is not None:
                yield hinted
                readable = readable.exclude(pk=first_pk)
        pks = list(readable.values_list("pk", flat=True))
        for start in range(0, len(pks), SCAN_CHUNK):
            yield from self.patients().filter(pk__in=pks[start : start + SCAN_CHUNK])

    def holder(self, resource_id: str) -> Patient | None:
        """The readable patient whose row the id names (see :func:`sciatrack.fhir.ids.row_uuid`): the
        patient, or the check, program, session, danger-sign report or clearance it was made from."""
        row = row_uuid(resource_id)
        if row is None:
            return None
        own = OuterRef("pk")
        return (
            self.patients()
            .filter(
                Q(uuid=row)
                | Exists(Intake.objects.filter(patient=own, uuid=row))
                | Exists(Program.objects.filter(patient=own, uuid=row))
                | Exists(SessionLog.objects.filter(patient=own, uuid=row))
                | Exists(SafetyUpdate.objects.filter(patient=own, uuid=row))
                | Exists(Clearance.objects.filter(intake__patient=own, uuid=row))
            )
            .first()
        )

    def find(self, resource_type: str, resource_id: str) -> tuple[Patient, dict[str, Any]] | None:
        """The readable record holding ``resource_type/resource_id``, and the resource; None if none.

        The id names its row, and so its record, for everything but a Practitioner (a clinician who
        changed programs, in as many records): only then are the readable records searched, the one
        that last showed it first."""
        holder = self.holder(resource_id)
        if holder is not None:
            candidates: Iterator[Patient] = iter([holder])
        elif resource_type == "Practitioner":
            candidates = self.records(HINTS.patient_of(resource_type, resource_id))
        else:
            return None
        for patient in candidates:
            for resource in self.resources_of(patient):
                if resource["resourceType"] == resource_type and resource["id"] == resource_id:
                    return patient, resource
        return None

    def matching(
        self, resource_type: str, resource_id: str | None
    ) -> tuple[list[dict[str, Any]], list[Patient]]:
        """Every readable resource of the type (with that id, if given), each once, and the patients whose
        records held one. Without an id, a caller who may read more than :data:`SEARCH_ALL_MAX` records
        is asked to name a patient (400 too-costly) rather than have every record built."""
        if resource_id is not None:
            found_one = self.find(resource_type, resource_id)
            return ([], []) if found_one is None else ([found_one[1]], [found_one[0]])
        if self.patients()[: SEARCH_ALL_MAX + 1].count() > SEARCH_ALL_MAX:
            raise FhirRefusalError(400, TOO_COSTLY, NAME_A_PATIENT.format(limit=SEARCH_ALL_MAX))
        found: dict[str, dict[str, Any]] = {}
        holders: list[Patient] = []
        for patient in self.records():
            held = False
            for resource in self.resources_of(patient):
                if resource["resourceType"] == resource_type and resource_id in (None, resource["id"]):
                    # A Practitioner who changed two people's programs is one resource, listed once.
                    found.setdefault(resource["id"], resource)
                    held = True
            if held:
                holders.append(patient)
        return list(found.values()), holders
