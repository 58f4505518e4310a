"""The audit log: who looked at or changed which patient's record, and when.

Events are append-only: saving an existing event or deleting one raises, so the log cannot be edited
from the application. The patient's UUID is copied into each event, so the trail outlives the record.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        EXPORT = "export", "Exported"
        CHANGE = "change", "Changed"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="audit_events"
    )
    actor_name = models.CharField(max_length=150)
    patient = models.ForeignKey(
        "accounts.Patient", null=True, on_delete=models.SET_NULL, related_name="audit_events"
    )
    patient_uuid = models.UUIDField(db_index=True)
    clinic = models.ForeignKey("accounts.Clinic", null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    path = models.CharField(max_length=300)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["clinic", "-created"])]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action} {self.patient_uuid} at {self.created:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit events are append-only")
