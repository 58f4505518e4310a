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


class Invitation(models.Model):
    """A single-use link that makes a patient or a clinician account at one clinic, valid for a week.

    Only a hash of the link's key is stored; the link is shown to the inviter once (and e-mailed when an
    address is given). Accepting it sets ``accepted``, after which the link no longer works.
    """

    class Kind(models.TextChoices):
        PATIENT = "patient", "Patient"
        CLINICIAN = "clinician", "Clinician"
        CLINIC_ADMIN = "clinic_admin", "Clinic administrator"

    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    display_name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField()
    accepted = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} invitation for {self.display_name} ({self.clinic})"


class ClinicianNote(models.Model):
    """A clinician's note on a patient's record; kept with who wrote it and when, never edited."""

    patient = models.ForeignKey("accounts.Patient", on_delete=models.CASCADE, related_name="clinician_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=150)
    text = models.TextField(max_length=2000)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"Note by {self.author_name} on {self.created:%Y-%m-%d}"
