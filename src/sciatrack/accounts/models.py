"""Who uses Sciatrack: clinics, their clinicians, and patients.

Every piece of a person's health data hangs off a :class:`Patient`, never off a login, so that a
clinic can register a patient before they have an account, and a person using Sciatrack alone
(no clinic) is simply a patient whose ``clinic`` is empty. Public ``uuid`` fields are what URLs
and the API expose, so record numbers cannot be guessed.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from .managers import PatientManager


class Clinic(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    # FHIR exports are pseudonymous unless the clinic chooses otherwise (sciatrack.fhir).
    fhir_export_names = models.BooleanField(
        default=False,
        help_text=(
            "Put patients' and clinicians' names in FHIR exports. Off: exports name no one, and people are "
            "known only by Sciatrack's random identifiers."
        ),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Clinician(models.Model):
    class Role(models.TextChoices):
        CLINICIAN = "clinician", "Clinician"
        CLINIC_ADMIN = "clinic_admin", "Clinic administrator"

    class Profession(models.TextChoices):
        PHYSICAL_THERAPIST = "physical_therapist", "Physical therapist"
        PHYSICIAN = "physician", "Physician"
        OTHER = "other", "Other"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinician")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="clinicians")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CLINICIAN)
    profession = models.CharField(max_length=30, choices=Profession.choices, default=Profession.OTHER)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["clinic", "user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.get_username()} ({self.clinic})"


class Patient(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Empty until the person signs up or accepts a clinic's invitation.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="patient"
    )
    # Empty for a person using Sciatrack on their own.
    clinic = models.ForeignKey(
        Clinic, null=True, blank=True, on_delete=models.PROTECT, related_name="patients"
    )
    clinicians = models.ManyToManyField(Clinician, blank=True, related_name="patients")
    display_name = models.CharField(max_length=200)
    created = models.DateTimeField(auto_now_add=True)

    objects = PatientManager()

    class Meta:
        ordering = ["display_name"]
        indexes = [models.Index(fields=["clinic", "display_name"])]

    def __str__(self) -> str:
        return self.display_name


# The longest name a person can give an API key; the key form reads it from here.
API_TOKEN_NAME_MAX = 100


class ApiToken(models.Model):
    """A personal key for scripts using the API (``Authorization: Bearer <key>``).

    Only a SHA-256 hash of the key is stored: the key itself is shown once, when it is made. ``prefix``
    (the key's first characters) lets the person tell their keys apart; a revoked key stops working.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=API_TOKEN_NAME_MAX)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
