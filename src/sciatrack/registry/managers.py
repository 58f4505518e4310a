"""The door to the registry's tables for the reads on the care app's hot paths."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from sciatrack.db import hot_reads

if TYPE_CHECKING:
    from .models import RegistryCase  # noqa: F401  (named as a string in the base class below)


class RegistryCaseManager(models.Manager["RegistryCase"]):
    def has_clinic_or_case(self, patient_id: int) -> bool:
        """Whether the patient exists and has a clinic or a registry case, in one plain SQL statement.

        Most people have no clinic and so no case: this read, and no write transaction, is all they
        cost, and it runs after every session log and diary entry they save.
        """
        from sciatrack.accounts.models import Patient  # accounts' models load before the registry's

        return hot_reads.patient_has_clinic_or_case(patient_id, Patient, self.model)
