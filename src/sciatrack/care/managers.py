"""The door to the care tables: storing a finished check or a session log, and the reads every program,
session and handout page makes (plain statements from :mod:`sciatrack.db`, as they run on each request)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, models, transaction

from sciatrack.content.version import content_version as current_content_version
from sciatrack.db import hot_reads
from sciatrack.db.plain_sql import fetch, insert

from .retriage import place_of

if TYPE_CHECKING:
    from sciatrack.accounts.models import Patient

    from .models import DiaryEntry, Intake, Program, ResumeClearance, SessionLog


class KeyReusedError(Exception):
    """An idempotency key already stored for this person with a different entry: nothing was stored."""

    def __init__(self, stored: models.Model) -> None:
        super().__init__("this idempotency_key was already used for a different entry")
        self.stored = stored


# What a session log says, column by column: a replay must say the same to be the same log.
SESSION_LOG_COLUMNS = (
    "program_id",
    "started_at",
    "finished_at",
    "pain_before",
    "pain_after",
    "exercises",
    "ended_early",
    "end_reason",
    "kind",
)
# What a diary entry says; ``recorded_at`` is part of it (the moment the person recorded it).
DIARY_COLUMNS = ("day", "leg_pain", "back_pain", "reach", "sleep", "note", "recorded_at")


def canonical(record: models.Model, columns: tuple[str, ...]) -> dict[str, Any]:
    """``record``'s ``columns`` as comparable values (moments compare as instants, whatever their zone)."""
    return {name: getattr(record, name) for name in columns}


class IntakeManager(models.Manager["Intake"]):
    def record(
        self,
        patient: Patient,
        answers: Mapping[str, Any],
        result: Mapping[str, Any],
        measures: Mapping[str, Any] | None = None,
        content_version: str | None = None,
        submission: uuid.UUID | None = None,
    ) -> Intake:
        """Store a finished check: its answers and result as the triage gave them, current as made.

        The tier and place the pages act on are read from the result, so a stored check can never
        disagree with its own advice. ``submission``: the key of the person's submission it came from
        (see :func:`sciatrack.check.checking.submission_key`), which the database lets in only once.
        """
        tier = str(result.get("tier", ""))
        where = place_of(result)
        return self.create(
            patient=patient,
            answers=dict(answers),
            result=dict(result),
            tier=tier,
            current_tier=tier,
            where=where.value if where is not None else "",
            measures=dict(measures or {}),
            content_version=content_version or current_content_version(),
            submission=submission,
        )

    def newest_with_program(self, patient_id: int) -> tuple[Intake | None, Program | None]:
        """The patient's newest shown check and the program made from it (None where there is none), in
        one plain statement (:func:`sciatrack.db.hot_reads.newest_check_and_program`).

        The check comes with only its id, patient, current tier, place and time loaded (its answers and
        result load when first used), and with its clearance and whether danger signs were reported
        since it already known, so the usual program page asks nothing more about it.
        """
        return hot_reads.newest_check_and_program(patient_id, self.check_models())

    def check_models(self) -> hot_reads.CheckModels:
        """The care models the newest-check statement reads (:class:`sciatrack.db.hot_reads.CheckModels`)."""
        # Asked of Django's registry rather than imported: the models' module imports this one.
        records = self.model._meta.apps
        program, clearance, safety_update, session_log = (
            records.get_model("care", name) for name in ("Program", "Clearance", "SafetyUpdate", "SessionLog")
        )
        return hot_reads.CheckModels(self.model, program, clearance, safety_update, session_log)


class SessionLogManager(models.Manager["SessionLog"]):
    def store_once(self, record: SessionLog) -> tuple[SessionLog, bool]:
        """Store the new ``record`` unless a log with its key is stored for its patient already; the
        stored one, and whether it is new.

        The insert comes first, with one plain INSERT (:func:`sciatrack.db.plain_sql.insert`, which
        still sends ``post_save``), and the unique key on (patient, idempotency key) refuses a repeat,
        rather than a look before it: a new log, the usual case, then costs one statement, and two
        copies sent at once cannot both get in (the second waits for the first's commit, then finds it).

        A replay must say what the stored log says (:data:`SESSION_LOG_COLUMNS`, compared as values):
        the same key with a different log raises :class:`KeyReusedError` and stores nothing.
        """
        try:
            insert(record)
        except IntegrityError:
            # Quarantined logs too (their times may be unreadable, so those are left unloaded): a key
            # stored is found again, whatever became of its log (see sciatrack.care.quarantine).
            stored = self.model.all_objects.defer("started_at", "finished_at")
            found: SessionLog = stored.get(
                patient_id=record.patient_id, idempotency_key=record.idempotency_key
            )
            if not found.quarantine_reason and canonical(found, SESSION_LOG_COLUMNS) != canonical(
                record, SESSION_LOG_COLUMNS
            ):
                raise KeyReusedError(found) from None
            return found, False
        return record, True

    def flagged_for_review(self, patient_id: int, started_since: datetime | None) -> list[SessionLog]:
        """The patient's shown logs flagged for review (every stop because the pain spread is), started
        at ``started_since`` or later when given; one plain statement, as this runs on every program page."""
        flagged: dict[str, Any] = {"patient": patient_id, "needs_review": True}
        if started_since is not None:
            flagged["started_at__gte"] = started_since
        return fetch(self.model, flagged)


class DiaryKept:
    """What became of a diary entry sent with a key: the day's stored entry, whether this key's entry is
    the one kept (``kept``: False when a newer recording of the day was kept), and whether it is new."""

    def __init__(self, entry: DiaryEntry, kept: bool, created: bool) -> None:
        self.entry, self.kept, self.created = entry, kept, created


class DiaryEntryManager(models.Manager["DiaryEntry"]):
    def record_once(self, entry: DiaryEntry) -> DiaryKept:
        """Store the unsaved ``entry`` (with its ``idempotency_key`` and ``recorded_at``) for its day,
        once per key, the latest recording of a day winning; in one transaction.

        - The key already stored for the patient: the stored entry if it says the same
          (:data:`DIARY_COLUMNS`), else :class:`KeyReusedError` and nothing stored.
        - The day has an entry recorded later than this one: it stays; this one is not stored.
        - Otherwise this entry is the day's (a quarantined one of the day is written over too).

        The day's row is locked while deciding; two first arrivals at once both try to insert the day,
        and the loser of the unique (patient, day) key starts again and finds the winner's row.
        """
        for _attempt in range(3):
            try:
                with transaction.atomic():
                    return self._record(entry)
            except IntegrityError:
                continue
        raise IntegrityError("the diary day kept changing while it was stored")

    def _record(self, entry: DiaryEntry) -> DiaryKept:
        every = self.model.all_objects
        by_key = every.filter(patient_id=entry.patient_id, idempotency_key=entry.idempotency_key).first()
        if by_key is not None:
            if canonical(by_key, DIARY_COLUMNS) != canonical(entry, DIARY_COLUMNS):
                raise KeyReusedError(by_key)
            return DiaryKept(by_key, kept=True, created=False)
        day = every.select_for_update().filter(patient_id=entry.patient_id, day=entry.day).first()
        if day is None:
            insert(entry)
            return DiaryKept(entry, kept=True, created=True)
        if (
            day.recorded_at is not None
            and entry.recorded_at is not None
            and day.recorded_at > entry.recorded_at
        ):
            return DiaryKept(day, kept=False, created=True)
        for name in (*DIARY_COLUMNS, "idempotency_key"):
            setattr(day, name, getattr(entry, name))
        day.quarantine_reason = ""
        day.save()
        return DiaryKept(day, kept=True, created=True)


class ResumeClearanceManager(models.Manager["ResumeClearance"]):
    def of_patient(self, patient_id: int) -> list[ResumeClearance]:
        """Every clearance to resume an exercise given for the patient, with one plain statement."""
        return fetch(self.model, {"patient": patient_id})
