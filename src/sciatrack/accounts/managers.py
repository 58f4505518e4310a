"""The door to the patients table for the reads every signed-in page and API call makes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from sciatrack.db import hot_reads
from sciatrack.db.plain_sql import fetch_one

if TYPE_CHECKING:
    from sciatrack.care.models import Intake, Program

    from .models import Patient


class PatientManager(models.Manager["Patient"]):
    def of_user(self, user: Any) -> Patient | None:
        """The signed-in ``user``'s patient record; None for visitors and for staff without one.

        The first call reads it with one plain statement and keeps it on the user, where ``user.patient``
        finds it as if the ORM had loaded it: the pages ask several times per request.
        """
        if not user.is_authenticated:
            return None
        if not self._kept_on(user):
            self._keep(user, fetch_one(self.model, "user", user.pk))
        try:
            found: Patient = user.patient
        except self.model.DoesNotExist:
            return None
        return found

    def _kept_on(self, user: Any) -> bool:
        return bool(self.model.user.field.remote_field.is_cached(user))

    def _keep(self, user: Any, patient: Patient | None) -> None:
        """Keep ``patient`` (or that there is none) on ``user``, where ``user.patient`` finds it."""
        link = self.model.user.field  # the patient's side of the one-to-one link to the user
        link.remote_field.set_cached_value(user, patient)
        if patient is not None:
            link.set_cached_value(patient, user)

    def of_user_with_newest_check(self, user: Any) -> tuple[Patient | None, Intake | None, Program | None]:
        """The signed-in ``user``'s patient record (as :meth:`of_user`, and kept on the user the same
        way) with their newest shown check and its program (as ``Intake.objects.newest_with_program``),
        in one plain statement when the patient is not known yet: every program page asks for all three."""
        if not user.is_authenticated:
            return None, None, None
        intakes = self.model._meta.apps.get_model("care", "Intake")._default_manager
        if self._kept_on(user):
            patient = self.of_user(user)
            return (patient, *intakes.newest_with_program(patient.pk)) if patient else (None, None, None)
        records = intakes.check_models()
        patient, intake, program = hot_reads.patient_with_newest_check(user.pk, self.model, records)
        self._keep(user, patient)
        return patient, intake, program

    def with_program(self, user_id: Any, program_uuid: str | None) -> tuple[Patient | None, Program | None]:
        """The patient record of the user ``user_id`` and their program ``program_uuid`` (None when it
        is not theirs), in one plain statement; both come back with only their id loaded, which is all
        a new session log refers to (any other field loads on use)."""
        from sciatrack.care.models import Program  # the care app's models load after this one's

        return hot_reads.patient_and_program(user_id, program_uuid, self.model, Program)
