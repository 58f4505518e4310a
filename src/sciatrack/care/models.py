"""What a person's care leaves behind: for now, each completed safety check.

An :class:`Intake` keeps the answers exactly as the ``sciatrack.intake/1`` JSON the triage saw, the
result exactly as ``result_to_json`` gave it, the baseline questionnaires, and the content version the
decision was made with, so an old record can always be explained later, even after the rules change.
"""

from __future__ import annotations

import uuid

from django.db import models


class Intake(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey("accounts.Patient", on_delete=models.CASCADE, related_name="intakes")
    # The sciatrack.intake/1 answers, as parsed by the domain.
    answers = models.JSONField()
    # result_to_json() of the triage, reasons and all.
    result = models.JSONField()
    tier = models.CharField(max_length=20, db_index=True)
    # Baseline questionnaires: {questionnaire id: {"responses": ..., "score": ...}}.
    measures = models.JSONField(default=dict, blank=True)
    content_version = models.CharField(max_length=40)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["patient", "-created"])]

    def __str__(self) -> str:
        return f"{self.patient} · {self.tier} · {self.created:%Y-%m-%d %H:%M}"
