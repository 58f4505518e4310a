"""Clearances kept on the record: a held check cleared for exercise, and an exercise cleared to resume.

A :class:`Clearance` lets a check whose result holds the exercises start the program (the contract,
section 3, version 2): who gave it, the day the person was seen, a note, and the place and rules of the
result it covers. The check itself is never edited; its result and the clearance both stay on the record.
Who may clear which result is :func:`sciatrack.domain.clearance.who_may_clear`; the database refuses a
row that breaks it too.

A :class:`ResumeClearance` is a clinician's "clear to resume" of an exercise that a session stopped
because the pain spread (:mod:`sciatrack.domain.stops`); it is also kept in the program's change history.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from functools import reduce
from typing import Any
from uuid import uuid4

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length

from sciatrack.content.schema import EXERCISE_IDS
from sciatrack.domain import clearance as rule
from sciatrack.domain.vocabulary import PLACES, Where

from .managers import ResumeClearanceManager

NOTE_MAX = 500


def _who_may_clear_where() -> Q:
    """The rows the clearance rule allows: per giver, only the places they may clear."""
    return reduce(
        operator.or_,
        (
            Q(by=by.value, where__in=[where.value for where in rule.places_cleared_by(by)])
            for by in rule.ClearedBy
        ),
    )


class Clearance(models.Model):
    class By(models.TextChoices):
        CLINICIAN = rule.ClearedBy.CLINICIAN.value, "A clinician of the person's clinic"
        PERSON = rule.ClearedBy.PERSON.value, "The person, after a doctor checked them"

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    intake = models.ForeignKey("care.Intake", on_delete=models.CASCADE, related_name="clearances")
    by = models.CharField(max_length=20, choices=By.choices)
    # The clinician who cleared it (empty when the person did, or after that clinician's record went);
    # their name stays in ``by_name``.
    by_clinician = models.ForeignKey(
        "accounts.Clinician", null=True, blank=True, on_delete=models.SET_NULL, related_name="clearances"
    )
    by_name = models.CharField(max_length=150)
    # The place the result sent the person to and the rules it matched, when cleared: all it covers.
    where = models.CharField(max_length=40)
    rules = models.JSONField()
    seen_on = models.DateField()  # the day the clinician saw the person, or the doctor checked them
    note = models.CharField(max_length=NOTE_MAX, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["intake"], name="one_clearance_per_check"),
            models.CheckConstraint(condition=_who_may_clear_where(), name="clearance_by_who_may_clear"),
            models.CheckConstraint(
                condition=Q(by=rule.ClearedBy.PERSON.value, by_clinician__isnull=True)
                | Q(by=rule.ClearedBy.CLINICIAN.value),
                name="clearance_by_person_names_no_clinician",
            ),
            models.CheckConstraint(condition=~Q(by_name=""), name="clearance_names_who"),
            models.CheckConstraint(
                condition=models.lookups.LessThanOrEqual(Length("note"), NOTE_MAX),
                name="clearance_note_length",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.intake_id} cleared by {self.by_name} ({self.by}) on {self.created:%Y-%m-%d}"

    @property
    def as_rule(self) -> rule.Clearance:
        return rule.Clearance(rule.ClearedBy(self.by), Where(self.where), frozenset(self.rules))

    def covers(self, where: str, result: Mapping[str, Any]) -> bool:
        """Whether this clearance covers a result (``result_to_json``) that sends the person to ``where``."""
        if where not in PLACES:
            return False
        rules = (str(reason.get("rule", "")) for reason in result.get("reasons", []))
        return rule.covers(self.as_rule, Where(where), rules)


class ResumeClearance(models.Model):
    """A clinician's "clear to resume" of one exercise that stopped because the pain spread."""

    patient = models.ForeignKey(
        "accounts.Patient", on_delete=models.CASCADE, related_name="resume_clearances"
    )
    exercise_id = models.CharField(max_length=40)
    by_clinician = models.ForeignKey(
        "accounts.Clinician", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_name = models.CharField(max_length=150)
    # The stop it cleared (when its session ended), and its entry in the program's change history.
    stopped_at = models.DateTimeField()
    change = models.ForeignKey(
        "care.ProgramChange", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = ResumeClearanceManager()

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["patient", "-created"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(exercise_id__in=EXERCISE_IDS), name="resume_clearance_exercise_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} · {self.exercise_id} cleared to resume by {self.by_name}"
