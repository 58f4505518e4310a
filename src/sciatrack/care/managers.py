"""The door to the care tables: storing a finished check or a session log, and the reads every program,
session and handout page makes (plain statements from :mod:`sciatrack.db`, as they run on each request)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, models

from sciatrack.content.version import content_version as current_content_version
from sciatrack.db import hot_reads
from sciatrack.db.plain_sql import fetch, insert

from .retriage import place_of

if TYPE_CHECKING:
    from sciatrack.accounts.models import Patient

    from .models import Intake, Program, ResumeClearance, SessionLog


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
        # Asked of Django's registry rather than imported: the models' module imports this one.
        records = self.model._meta.apps
        program, clearance, safety_update = (
            records.get_model("care", name) for name in ("Program", "Clearance", "SafetyUpdate")
        )
        return hot_reads.newest_check_and_program(patient_id, self.model, program, clearance, safety_update)


class SessionLogManager(models.Manager["SessionLog"]):
    def store_once(self, record: SessionLog) -> tuple[SessionLog, bool]:
        """Store the new ``record`` unless a log with its key is stored for its patient already; the
        stored one, and whether it is new.

        The insert comes first, with one plain INSERT (:func:`sciatrack.db.plain_sql.insert`, which
        still sends ``post_save``), and the unique key on (patient, idempotency key) refuses a repeat,
        rather than a look before it: a new log, the usual case, then costs one statement, and two
        copies sent at once cannot both get in.
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
            return found, False
        return record, True

    def flagged_for_review(self, patient_id: int, started_since: datetime | None) -> list[SessionLog]:
        """The patient's shown logs flagged for review (every stop because the pain spread is), started
        at ``started_since`` or later when given; one plain statement, as this runs on every program page."""
        flagged: dict[str, Any] = {"patient": patient_id, "needs_review": True}
        if started_since is not None:
            flagged["started_at__gte"] = started_since
        return fetch(self.model, flagged)


class ResumeClearanceManager(models.Manager["ResumeClearance"]):
    def of_patient(self, patient_id: int) -> list[ResumeClearance]:
        """Every clearance to resume an exercise given for the patient, with one plain statement."""
        return fetch(self.model, {"patient": patient_id})
