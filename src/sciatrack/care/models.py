"""What a person's care leaves behind: each completed safety check, program, session and diary day.

An :class:`Intake` keeps the answers exactly as the intake JSON the triage saw, the result exactly as
``result_to_json`` gave it, the baseline questionnaires, and the content version the decision was made
with, so an old record can always be explained later, even after the rules change. A stored check is
never edited: when the clinical contract changes (version 2), the check gets the result of the new rules
*beside* its original (``current_result``), and everything that acts on the advice reads
:attr:`Intake.triage_result` and ``current_tier``.
"""

from __future__ import annotations

import uuid
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q

from sciatrack.content.loader import load_exercises
from sciatrack.content.schema import Dosage
from sciatrack.domain import programs as domain_programs
from sciatrack.domain import session_log as domain_log
from sciatrack.domain.intake import IntakeAnswers, parse_intake
from sciatrack.domain.vocabulary import PLACES, TIER_CHOICES, TIERS, Pattern, Tier, Where

from .clearance_models import (  # kept in their own module, as SafetyUpdate
    Clearance,
    ResumeClearance,
)
from .managers import DiaryEntryManager, IntakeManager, SessionLogManager
from .quarantine import HidesQuarantined
from .safety_models import (
    SafetyUpdate,  # kept in its own module; imported so Django finds it here
)

if TYPE_CHECKING:
    from sciatrack.accounts.models import Patient

SESSION_KIND_CHOICES = [(kind.value, kind.value.capitalize()) for kind in domain_log.SessionKind]

__all__ = [
    "Clearance",
    "DiaryEntry",
    "Intake",
    "Program",
    "ProgramChange",
    "ResumeClearance",
    "SafetyUpdate",
    "SessionLog",
]


class ShownIntakes(HidesQuarantined["Intake"], IntakeManager):
    """``Intake.objects``: the checks pages read (quarantined ones left out), and the door storing one."""


class ShownSessionLogs(HidesQuarantined["SessionLog"], SessionLogManager):
    """``SessionLog.objects``: the logs pages read (quarantined ones left out), and the door storing one."""


class ShownDiaryEntries(HidesQuarantined["DiaryEntry"], DiaryEntryManager):
    """``DiaryEntry.objects``: the days pages read (quarantined ones left out), and the door storing one
    sent with a key (:meth:`~.managers.DiaryEntryManager.record_once`)."""


class Intake(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey("accounts.Patient", on_delete=models.CASCADE, related_name="intakes")
    # The sciatrack.intake/1 answers, as parsed by the domain.
    answers = models.JSONField()
    # result_to_json() of the triage, reasons and all, as the person saw it when the check was made.
    result = models.JSONField()
    tier = models.CharField(max_length=20, db_index=True, choices=TIER_CHOICES)
    # The result of the current rules on the same answers, when they were re-run after a contract change
    # (a version-1 check under the version-2 rules); null when ``result`` is already current.
    current_result = models.JSONField(null=True, blank=True)
    # The tier and place of whichever result is current: what the pages, the program and the dashboard act on.
    current_tier = models.CharField(max_length=20, db_index=True, choices=TIER_CHOICES)
    where = models.CharField(max_length=40)
    # The current advice is more pressing than the one the person was first given: say so, list them first.
    advice_raised = models.BooleanField(default=False)
    # Baseline questionnaires: {questionnaire id: {"responses": ..., "score": ...}}.
    measures = models.JSONField(default=dict, blank=True)
    content_version = models.CharField(max_length=40)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    # One finished check as the person submitted it (their answers in one check, once): a double click or
    # a resent last step finds this key taken and gets the stored check back instead of a second one.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Why today's input rules would refuse this row, when it was stored before they existed; such a row
    # is kept as it was, left out of pages and the registry, and listed for the site admin.
    quarantine_reason = models.CharField(max_length=500, blank=True, default="")

    objects = ShownIntakes()
    # Every check, quarantined ones too: for the site admin (see sciatrack.care.quarantine).
    all_objects = models.Manager["Intake"]()

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["patient", "-created"])]
        constraints = [
            # A check the pages cannot act on must never be stored: its tier and place name real ones.
            models.CheckConstraint(condition=Q(current_tier__in=TIERS), name="intake_current_tier_known"),
            models.CheckConstraint(condition=Q(where__in=PLACES), name="intake_where_known"),
        ]

    def __str__(self) -> str:
        return f"{self.patient} · {self.current_tier} · {self.created:%Y-%m-%d %H:%M}"

    @property
    def triage_result(self) -> dict[str, Any]:
        """The result to act on: the current rules' result when the check was re-run, else the original."""
        chosen: dict[str, Any] = self.current_result if self.current_result is not None else self.result
        return chosen

    @property
    def triage_tier(self) -> Tier:
        """The tier of :attr:`triage_result` (``current_tier``); the database allows only known tiers."""
        return Tier(self.current_tier)

    @property
    def place(self) -> Where:
        """Where :attr:`triage_result` sends the person (``where``); the database allows only known places."""
        return Where(self.where)

    @property
    def is_alert(self) -> bool:
        """Whether this check sends the person to the emergency department or a doctor today
        (:attr:`Tier.is_alert` of :attr:`triage_tier`). Danger signs reported since are not counted here:
        see :attr:`advice_tier`."""
        return self.triage_tier.is_alert

    def to_domain(self) -> IntakeAnswers:
        """The stored answers as the domain reads them (they parsed when stored; see ``parse_intake``)."""
        return parse_intake(self.answers)

    @cached_property
    def safety_update(self) -> SafetyUpdate | None:
        """The newest danger signs reported since this check (a safety update), or None."""
        return self.safety_updates.order_by("-created").first()

    @property
    def advice(self) -> dict[str, Any]:
        """The result to act on now: a safety update's, when danger signs were reported since, else the
        check's (:attr:`triage_result`)."""
        update = self.safety_update
        return update.result if update is not None else self.triage_result

    @cached_property
    def patient_has_flagged_sessions(self) -> bool:
        """Whether any of the patient's shown session logs is flagged for review (a stop may keep an
        exercise out); when none is, no stop need be looked at."""
        return SessionLog.objects.filter(patient_id=self.patient_id, needs_review=True).exists()

    @cached_property
    def clearance(self) -> Clearance | None:
        """The clearance of this check, if it has one (there is at most one)."""
        return self.clearances.first()

    @property
    def advice_tier(self) -> Tier | None:
        """The tier of :attr:`advice`: a safety update's when there is one, else :attr:`triage_tier`;
        None for a tier no rule names (never stored by the app; read as the safe side by callers)."""
        update = self.safety_update
        tier = update.tier if update is not None else self.current_tier
        return Tier(tier) if tier in TIERS else None

    @property
    def allows_exercise(self) -> bool:
        """Whether this check lets the person exercise now. The result acted on (:attr:`advice`: a safety
        update's when there is one, since it adds to the check's answers) must allow it, or a clearance
        must cover that result (see :mod:`sciatrack.domain.clearance`); after a safety update, only a
        clearance given since counts. A danger sign reported never allows it (a doctor today at least)."""
        tier = self.advice_tier
        if tier is not None and tier.exercise_allowed:
            return True
        update = self.safety_update
        clearance = self.clearance
        if clearance is None:
            return False
        if update is None:
            return clearance.covers(self.where, self.triage_result)
        return clearance.created > update.created and clearance.covers(update.where, update.result)


class Program(models.Model):
    """A person's home exercise program, as built from an intake and then editable by a clinician.

    ``exercises`` holds ``program_to_json(...)["exercises"]`` (id, dosage, ...); a clinician's change
    replaces the dosage of one entry. The newest program of a patient is the current one.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey("accounts.Patient", on_delete=models.CASCADE, related_name="programs")
    intake = models.ForeignKey(
        Intake, null=True, blank=True, on_delete=models.SET_NULL, related_name="programs"
    )
    exercises = models.JSONField()
    left_out = models.JSONField(default=list, blank=True)
    pattern = models.CharField(max_length=20)
    content_version = models.CharField(max_length=40)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["patient", "-created"])]
        constraints = [
            # A check has one program: two first visits at once find the other's program, never make two.
            models.UniqueConstraint(
                fields=["intake"], condition=Q(intake__isnull=False), name="one_program_per_check"
            )
        ]

    def __str__(self) -> str:
        return f"{self.patient} · program of {self.created:%Y-%m-%d}"

    def to_domain(self, pregnant: bool = False) -> domain_programs.Program:
        """The domain program of this record, with its stored (possibly clinician-changed) dosages;
        exercises since dropped from the library are skipped.

        ``pregnant``: the check it follows says pregnant or recently gave birth, so the program carries the
        side-lying notes and the pregnancy warning signs (which are not stored with it).
        """
        library = load_exercises()
        exercises = tuple(
            domain_programs.program_exercise(library[item["id"]], Dosage.model_validate(item["dosage"]))
            for item in self.exercises
            if item["id"] in library
        )
        left_out = tuple(
            domain_programs.LeftOut(item["id"], item["name"], item["rule"], item["reason"])
            for item in self.left_out
        )
        program = domain_programs.Program(exercises, left_out, Pattern(self.pattern))
        return domain_programs.for_pregnancy(program, library) if pregnant else program


class SessionLog(models.Model):
    """One guided session as the browser or the terminal reported it; stored once per idempotency key."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # No index of its own: the unique key and the index below both start with the patient and serve
    # every lookup by patient, and each index is one more page written per stored session.
    patient = models.ForeignKey(
        "accounts.Patient", on_delete=models.CASCADE, related_name="session_logs", db_index=False
    )
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.SET_NULL, related_name="session_logs"
    )
    idempotency_key = models.UUIDField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    pain_before = models.PositiveSmallIntegerField()
    pain_after = models.PositiveSmallIntegerField(null=True, blank=True)
    # session_log_to_json(...)["exercises"]: id, status, reps/holds done, seconds, symptoms, stop_reason.
    exercises = models.JSONField()
    ended_early = models.BooleanField(default=False)
    end_reason = models.CharField(max_length=500, blank=True)
    # A full session, or a short one for a bad day (sciatrack.domain.sessions.SHORT); both count as a session.
    kind = models.CharField(
        max_length=10, choices=SESSION_KIND_CHOICES, default=domain_log.SessionKind.FULL.value
    )
    # Some exercise spread the symptoms or a danger sign appeared: a clinician should look. Indexed only
    # where true (see Meta), so that the usual session, with nothing to review, adds no index entry.
    needs_review = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
    # See Intake.quarantine_reason.
    quarantine_reason = models.CharField(max_length=500, blank=True, default="")

    objects = ShownSessionLogs()
    # Every log, quarantined ones too: for the site admin, and to find a log sent again by its key.
    all_objects = models.Manager["SessionLog"]()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "idempotency_key"], name="one_log_per_idempotency_key")
        ]
        indexes = [
            models.Index(fields=["patient", "-started_at"]),
            models.Index(
                fields=["started_at"], condition=Q(needs_review=True), name="care_sessionlog_flagged"
            ),
        ]

    def __str__(self) -> str:
        if self.quarantine_reason:
            # Its times may be ones no page can read (see sciatrack.care.quarantine): not read here.
            return f"{self.patient} · quarantined session {self.uuid}"
        return f"{self.patient} · session {self.started_at:%Y-%m-%d %H:%M}"

    @classmethod
    def from_domain(cls, patient: Patient, log: domain_log.SessionLog, program: Program | None) -> SessionLog:
        """An unsaved record of ``log``, flagged for review when symptoms spread or a red flag came up."""
        return cls(
            patient=patient,
            program=program,
            idempotency_key=log.idempotency_key,
            started_at=log.started_at,
            finished_at=log.finished_at,
            pain_before=log.pain_before,
            pain_after=log.pain_after,
            exercises=domain_log.session_log_to_json(log)["exercises"],
            ended_early=log.ended_early,
            end_reason=log.end_reason,
            kind=log.kind.value,
            needs_review=log.red_flag or any(item.needs_review for item in log.exercises),
        )

    def to_domain(self) -> domain_log.SessionLog:
        """The stored log as the domain reads it, checked by ``parse_session_log`` as when it came in;
        raises :class:`~sciatrack.domain.session_log.SessionLogError` for a row today's rules refuse
        (a quarantined one: see :mod:`sciatrack.care.quarantine`)."""
        return domain_log.parse_session_log(
            {
                "idempotency_key": str(self.idempotency_key),
                "started_at": self.started_at.isoformat(),
                "finished_at": self.finished_at.isoformat(),
                "pain_before": self.pain_before,
                "pain_after": self.pain_after,
                "ended_early": self.ended_early,
                "end_reason": self.end_reason,
                "kind": self.kind,
                "exercises": self.exercises,
            }
        )

    @property
    def is_short(self) -> bool:
        return self.kind == domain_log.SessionKind.SHORT.value

    @property
    def exercises_done(self) -> int:
        """How many of the session's exercises were done in full (not skipped, stopped or not reached)."""
        return sum(item.get("status") == domain_log.ExerciseStatus.DONE.value for item in self.exercises)


class DiaryEntry(models.Model):
    """One day's check-in: leg and back pain, how far down the leg symptoms reach, sleep and a note.

    One entry per patient and calendar day (in the site's time zone); the person can change it until
    the day is over. ``reach`` holds a :class:`sciatrack.domain.outcomes.SymptomReach` value.

    An entry sent by the page's outbox (``POST /api/diary``) carries the key the page made when it was
    recorded, and the moment it was recorded: the latest recording of a day wins, whatever order they
    arrive in. Days written by the diary page online have no key; days stored before both have neither.
    """

    patient = models.ForeignKey("accounts.Patient", on_delete=models.CASCADE, related_name="diary")
    day = models.DateField()
    leg_pain = models.PositiveSmallIntegerField()
    back_pain = models.PositiveSmallIntegerField()
    reach = models.CharField(max_length=20)
    sleep = models.CharField(max_length=20)
    note = models.TextField(blank=True, max_length=500)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # See Intake.quarantine_reason.
    quarantine_reason = models.CharField(max_length=500, blank=True, default="")
    # Made once by the page when the entry was recorded; a resent entry finds its key taken.
    idempotency_key = models.UUIDField(null=True, blank=True, editable=False)
    # When the person recorded this version of the day (their device's clock, checked on arrival).
    recorded_at = models.DateTimeField(null=True, blank=True)

    objects = ShownDiaryEntries()
    # Every day, quarantined ones too: for the site admin, and for today's entry written again.
    all_objects = models.Manager["DiaryEntry"]()

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "day"], name="one_diary_entry_per_day"),
            models.UniqueConstraint(
                fields=["patient", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="one_diary_entry_per_idempotency_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} · diary {self.day:%Y-%m-%d}"


class ProgramChange(models.Model):
    """One change to a program's exercises: who, when, a plain summary, and the lists before and after."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        "auth.User", null=True, on_delete=models.SET_NULL, related_name="program_changes"
    )
    author_name = models.CharField(max_length=150)
    summary = models.TextField()
    before = models.JSONField()
    after = models.JSONField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.summary}"
