"""The door to the patients table for the reads every signed-in page and API call makes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from sciatrack.db import hot_reads
from sciatrack.db.plain_sql import fetch_one

if TYPE_CHECKING:
    from sciatrack.care.models import Program

    from .models import Patient


class PatientManager(models.Manager["Patient"]):
    def of_user(self, user: Any) -> Patient | None:
        """The signed-in ``user``'s patient record; None for visitors and for staff without one.

        The first call reads it with one plain statement and keeps it on the user, where ``user.patient``
        finds it as if the ORM had loaded it: the pages ask several times per request.
        """
        if not user.is_authenticated:
            return None
        link = self.model.user.field  # the patient's side of the one-to-one link to the user
        if not link.remote_field.is_cached(user):
            patient = fetch_one(self.model, "user", user.pk)
            link.remote_field.set_cached_value(user, patient)
            if patient is not None:
                link.set_cached_value(patient, user)
        try:
            found: Patient = user.patient
        except self.model.DoesNotExist:
            return None
        return found

    def with_program(self, user_id: Any, program_uuid: str | None) -> tuple[Patient | None, Program | None]:
        """The patient record of the user ``user_id`` and their program ``program_uuid`` (None when it
        is not theirs), in one plain statement; both come back with only their id loaded, which is all
        a new session log refers to (any other field loads on use)."""
        from sciatrack.care.models import Program  # the care app's models load after this one's

        return hot_reads.patient_and_program(user_id, program_uuid, self.model, Program)
