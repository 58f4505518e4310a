"""A safety update: danger signs a person reported after a check, and what the rules said then.

It is linked to the check whose answers it adds to, and never edits it; it is never a registry
baseline or follow-up (the registry reads checks only). While the newest check has a safety update,
the program is paused until a new full check, or a clearance given after the update, allows it.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from sciatrack.domain.vocabulary import PLACES, TIERS


class SafetyUpdate(models.Model):
    class Source(models.TextChoices):
        SESSION_START = "session_start", "At the start of a session"
        IN_SESSION = "in_session", "During a session"
        DIARY = "diary", "In the diary"
        # The questions added in contract version 2, asked of a person whose check is of version 1.
        TOP_UP = "top_up", "New safety questions after a version-1 check"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey("accounts.Patient", on_delete=models.CASCADE, related_name="safety_updates")
    intake = models.ForeignKey("care.Intake", on_delete=models.CASCADE, related_name="safety_updates")
    source = models.CharField(max_length=20, choices=Source.choices)
    # The danger signs answered yes (red-flag keys), and result_to_json of the whole table run again.
    signs = models.JSONField()
    result = models.JSONField()
    tier = models.CharField(max_length=20)
    where = models.CharField(max_length=40)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["intake", "-created"])]
        constraints = [
            models.CheckConstraint(condition=Q(tier__in=TIERS), name="safety_update_tier_known"),
            models.CheckConstraint(condition=Q(where__in=PLACES), name="safety_update_where_known"),
        ]

    def __str__(self) -> str:
        return f"{self.patient} · safety update · {self.where} · {self.created:%Y-%m-%d %H:%M}"
