"""A person's current program and session logs: the Django side of ``domain.programs`` and sessions.

The current program always follows the person's newest safety check: if that check rules out exercise,
there is no program, whatever older programs exist, unless a clearance covers that check's result
(:mod:`sciatrack.domain.clearance`). Signed-in patients get their program stored (so a clinician can
change it later); anyone else gets the program of the check in their browser session. An exercise a
session stopped because the pain spread stays out of the program until a clinician clears it to resume
or a new full check at least 7 days later allows it (:mod:`sciatrack.domain.stops`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum
from functools import cached_property
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from sciatrack.accounts.models import Patient
from sciatrack.care.models import Intake, Program, ResumeClearance
from sciatrack.care.models import SessionLog as SessionLogRecord
from sciatrack.check import checking, steps
from sciatrack.content.loader import load_exercises
from sciatrack.content.schema import Dosage
from sciatrack.content.version import content_version
from sciatrack.domain import programs as domain
from sciatrack.domain import stops
from sciatrack.domain.intake import IntakeError, parse_intake
from sciatrack.domain.session_log import ExerciseStatus, SessionLog, SymptomMovement

E = TypeVar("E", bound=Enum)


@dataclass(frozen=True)
class Current:
    """What the program page shows: a program, or the result that rules one out, or nothing yet.

    Its parts are read when first asked for, so a page that needs only some of them (a kept program page
    needs neither the built program nor the check's result) does not pay for the others.
    """

    record: Program | None = None  # the stored program, for a signed-in patient
    check: Intake | None = None  # the patient's newest stored check
    session_result: dict[str, Any] | None = None  # the result of a check kept in the browser session
    built: domain.Program | None = None  # the program of that check

    @property
    def has_program(self) -> bool:
        """Whether there is a program, without building it."""
        return self.record is not None or self.built is not None

    @cached_property
    def result(self) -> dict[str, Any] | None:
        """result_to_json of the check the program follows; None before any check."""
        return self.check.advice if self.check is not None else self.session_result

    @cached_property
    def kept_out(self) -> dict[str, stops.KeptOut]:
        """The exercises of a stored program kept out after a stop because the pain spread, by id."""
        if self.record is None or self.check is None or not self.check.patient_has_flagged_sessions:
            return {}
        return sticking_stops(self.check.patient_id, self.check.created)

    @cached_property
    def program(self) -> domain.Program | None:
        """The program to follow: the stored one (built from its record when first asked for, without
        the exercises :attr:`kept_out`) or the one of the browser session's check; None when there is none."""
        if self.record is None:
            return self.built
        pregnant = self.check is not None and domain.is_pregnant(self.check.to_domain())
        return without(self.record.to_domain(pregnant), self.kept_out)


def create_program(intake: Intake) -> Program | None:
    """The stored program of a saved check, stored now if it has none yet; None when its tier does not
    allow exercise and no clearance covers it.

    The insert comes first and the database's one program per check refuses a second, rather than a
    look before it: two first visits at once to the program page (each a GET that writes) then both
    get the one program.
    """
    answers = intake.to_domain()
    clearance = intake.clearance
    program = domain.build_program(answers, clearance=clearance.as_rule if clearance is not None else None)
    document = domain.program_to_json(program)
    if document is None:
        return None
    try:
        with transaction.atomic():
            return Program.objects.create(
                patient=intake.patient,
                intake=intake,
                exercises=document["exercises"],
                left_out=document["left_out"],
                pattern=document["pattern"],
                content_version=content_version(),
            )
    except IntegrityError:
        stored = Program.objects.filter(intake=intake).first()
        if stored is None:
            raise  # refused by another rule, not because the check has its program already
        return stored


def _from_session(request: HttpRequest) -> Current:
    state = checking.load(request)
    if steps.first_unanswered(state) is not None:
        return Current()
    try:
        outcome = checking.evaluate(state)
        program = domain.build_program(parse_intake(outcome.answers))
    except (IntakeError, ValueError):
        return Current()
    return Current(session_result=outcome.result, built=program)


def current(request: HttpRequest) -> Current:
    """The program of the person's newest check (stored for a patient, else from the session).

    A patient's record, newest check and its program are read with one plain statement
    (:meth:`Patient.objects.of_user_with_newest_check
    <sciatrack.accounts.managers.PatientManager.of_user_with_newest_check>`), as this runs on every
    program, session and handout page; the program itself is built only when asked for
    (:attr:`Current.program`).
    """
    _, intake, record = Patient.objects.of_user_with_newest_check(request.user)
    if intake is None:
        return _from_session(request)
    if not intake.allows_exercise:
        return Current(check=intake)
    record = record or create_program(intake)
    return Current(record, intake)


def sticking_stops(patient_id: int, newest_check: datetime | None) -> dict[str, stops.KeptOut]:
    """The exercises kept out now after a stop because the pain spread (:func:`.stops.kept_out`), by id.

    ``newest_check``: when the person's newest check that allows exercise was made (None if none).
    Read through the managers' plain statements, as this runs on every program page: the logs flagged
    for review (every stop because the pain spread is), and only from the days a check that new has not
    already released; the clinicians' clearances only when some stop sticks.
    """
    since = None
    if newest_check is not None:
        # A stop more than RECHECK_AFTER_DAYS days before the check is released by it; a day more for
        # the time zones and a day for a session that ran past midnight.
        since = newest_check - timedelta(days=stops.RECHECK_AFTER_DAYS + 2)
    found = [
        stops.Stop(item["id"], timezone.localtime(log.finished_at), status, symptoms)
        for log in SessionLogRecord.objects.flagged_for_review(patient_id, since)
        for item in log.exercises
        if (status := _member(ExerciseStatus, item.get("status"))) is not None
        and (symptoms := _member(SymptomMovement, item.get("symptoms"))) is not None
    ]
    if not any(stops.sticks(stop) for stop in found):
        return {}
    clearances = [
        stops.ResumeClearance(record.exercise_id, timezone.localtime(record.created))
        for record in ResumeClearance.objects.of_patient(patient_id)
    ]
    checks = [timezone.localdate(newest_check)] if newest_check is not None else []
    return stops.kept_out(found, clearances, checks)


def _member(kind: type[E], value: object) -> E | None:
    """The member of ``kind`` with this value, or None (for an odd value in a stored log)."""
    try:
        return kind(value)
    except ValueError:
        return None


def without(program: domain.Program, kept_out: Mapping[str, stops.KeptOut]) -> domain.Program:
    """``program`` minus the exercises kept out, which are listed as left out with the reason."""
    kept = tuple(exercise for exercise in program.exercises if exercise.id not in kept_out)
    paused = tuple(
        domain.LeftOut(exercise.id, exercise.name, stops.STOP_RULE, kept_out[exercise.id].reason)
        for exercise in program.exercises
        if exercise.id in kept_out
    )
    return replace(program, exercises=kept, left_out=program.left_out + paused)


def store_log(patient: Patient, log: SessionLog, program: Program | None) -> tuple[SessionLogRecord, bool]:
    """Store ``log`` once: a log with a key already stored for this patient returns the stored one (see
    :meth:`SessionLog.objects.store_once <.managers.SessionLogManager.store_once>`), and whether it is new."""
    return SessionLogRecord.objects.store_once(SessionLogRecord.from_domain(patient, log, program))


def exercise_problems(exercises: object) -> list[str]:
    """Why a stored program's ``exercises`` list cannot be used, one line per problem; [] when it can.

    Each entry needs an ``id`` of the library and a ``dosage`` the content schema accepts, so a
    clinician's edit can never leave a program the guide cannot play.
    """
    from pydantic import ValidationError

    if not isinstance(exercises, list) or not exercises:
        return ["exercises: give a list with at least one exercise"]
    library = load_exercises()
    problems: list[str] = []
    seen: set[str] = set()
    for index, item in enumerate(exercises):
        where = f"exercises[{index}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: each exercise is an object with id and dosage")
            continue
        exercise_id = item.get("id")
        if exercise_id not in library:
            problems.append(f"{where}.id: {exercise_id!r} is not an exercise; allowed: {', '.join(library)}")
        elif exercise_id in seen:
            problems.append(f"{where}.id: {exercise_id!r} appears twice")
        seen.add(str(exercise_id))
        try:
            Dosage.model_validate(item.get("dosage"))
        except ValidationError as error:
            for detail in error.errors():
                field = ".".join(str(part) for part in detail["loc"])
                problems.append(f"{where}.dosage{'.' + field if field else ''}: {detail['msg']}")
    return problems


def kept_out_of(patient: Patient) -> dict[str, stops.KeptOut]:
    """The exercises kept out now for ``patient`` (for the clinic's record and the report), by id.

    Only the newest check need be asked: any older one at least 7 days after a stop is older than it.
    When the newest check does not allow exercise there is no program to follow, and every stop not
    cleared to resume is listed.
    """
    latest = patient.intakes.first()
    newest = latest.created if latest is not None and latest.allows_exercise else None
    return sticking_stops(patient.pk, newest)
