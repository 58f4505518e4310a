"""A person's current program and session logs: the Django side of ``domain.programs`` and sessions.

The current program always follows the person's newest safety check: if that check rules out exercise,
there is no program, whatever older programs exist. Signed-in patients get their program stored (so a
clinician can change it later); anyone else gets the program of the check in their browser session.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import Any

from django.db import IntegrityError, connection
from django.http import HttpRequest
from django.utils import timezone

from sciatrack.accounts.models import Patient
from sciatrack.content.loader import load_exercises
from sciatrack.content.schema import Dosage
from sciatrack.content.version import content_version
from sciatrack.domain import programs as domain
from sciatrack.domain.differential import Pattern
from sciatrack.domain.intake import IntakeError, parse_intake
from sciatrack.domain.session_log import ExerciseStatus, SessionLog, session_log_to_json
from sciatrack.plain_sql import columns, fetch, insert, instance

from . import checking, steps
from .models import Intake, Program
from .models import SessionLog as SessionLogRecord


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
        return self.check.triage_result if self.check is not None else self.session_result

    @cached_property
    def program(self) -> domain.Program | None:
        """The program to follow: the stored one (built from its record when first asked for) or the
        one of the browser session's check; None when there is none."""
        if self.record is None:
            return self.built
        pregnant = self.check is not None and domain.is_pregnant(parse_intake(self.check.answers))
        return from_record(self.record, pregnant)


def create_program(intake: Intake) -> Program | None:
    """Store the program for a saved check; None when its tier does not allow exercise."""
    answers = parse_intake(intake.answers)
    program = domain.build_program(answers)
    document = domain.program_to_json(program)
    if document is None:
        return None
    return Program.objects.create(
        patient=intake.patient,
        intake=intake,
        exercises=document["exercises"],
        left_out=document["left_out"],
        pattern=document["pattern"],
        content_version=content_version(),
    )


def from_record(record: Program, pregnant: bool = False) -> domain.Program:
    """The domain program of a stored one, with its stored (possibly clinician-changed) dosages.

    ``pregnant``: the check it follows says pregnant or recently gave birth, so the program carries the
    side-lying notes and the pregnancy warning signs (which are not stored with it).
    """
    library = load_exercises()
    exercises = tuple(
        domain.program_exercise(library[item["id"]], Dosage.model_validate(item["dosage"]))
        for item in record.exercises
        if item["id"] in library
    )
    left_out = tuple(
        domain.LeftOut(item["id"], item["name"], item["rule"], item["reason"]) for item in record.left_out
    )
    program = domain.Program(exercises, left_out, Pattern(record.pattern))
    return domain.for_pregnancy(program, library) if pregnant else program


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

    A patient's newest check and its program are read with plain statements (see :mod:`sciatrack.plain_sql`),
    as this runs on every program, session and handout page; the program itself is built only when
    asked for (:attr:`Current.program`).
    """
    patient = checking.patient_of(request)
    intake, record = newest_check_and_program(patient.pk) if patient else (None, None)
    if intake is None:
        return _from_session(request)
    if not intake.exercise_allowed:
        return Current(check=intake)
    record = record or create_program(intake)
    return Current(record, intake)


def newest_check_and_program(patient_id: int) -> tuple[Intake | None, Program | None]:
    """The patient's newest check and the newest program made from it (None where there is none).

    One plain statement: the check comes back with only its id, patient and current tier loaded, and its other
    fields (the answers, the result) load when first used, as with ``.only()``.
    """
    intakes = connection.ops.quote_name(Intake._meta.db_table)
    programs = connection.ops.quote_name(Program._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT i.id, i.patient_id, i.current_tier, {columns(Program, 'p')} FROM {intakes} i "
            f"LEFT JOIN {programs} p ON p.id = (SELECT newest.id FROM {programs} newest "
            f"WHERE newest.intake_id = i.id ORDER BY newest.created DESC LIMIT 1) "
            f"WHERE i.patient_id = %s ORDER BY i.created DESC LIMIT 1",
            [patient_id],
        )
        row = cursor.fetchone()
    if row is None:
        return None, None
    intake = Intake.from_db(connection.alias, ["id", "patient_id", "current_tier"], row[:3])
    record = instance(Program, row[3:]) if row[3] is not None else None
    return intake, record


def stopped_today(patient: Patient | None, today: date | None = None) -> dict[str, str]:
    """Exercises a session stopped today for spreading symptoms: {exercise id: why}."""
    if patient is None:
        return {}
    day = today or timezone.localdate()
    # Today is from midnight to midnight where the person is (the active time zone), as ``__date`` means.
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    that_day = {"patient": patient.pk, "started_at__gte": start, "started_at__lt": end}
    stopped: dict[str, str] = {}
    for log in fetch(SessionLogRecord, that_day, order_by="started_at"):  # the latest reason wins
        for item in log.exercises:
            if item.get("status") == ExerciseStatus.STOPPED.value:
                stopped[item["id"]] = item.get("stop_reason", "")
    return stopped


def without(program: domain.Program, stopped: dict[str, str]) -> domain.Program:
    """``program`` minus the exercises stopped today, which are listed as left out with the reason."""
    kept = tuple(exercise for exercise in program.exercises if exercise.id not in stopped)
    paused = tuple(
        domain.LeftOut(exercise.id, exercise.name, "stopped-today", stopped[exercise.id])
        for exercise in program.exercises
        if exercise.id in stopped
    )
    return replace(program, exercises=kept, left_out=program.left_out + paused)


def log_record(patient: Patient, log: SessionLog, program: Program | None) -> SessionLogRecord:
    """An unsaved record of ``log``, flagged for review when symptoms spread or a red flag came up."""
    return SessionLogRecord(
        patient=patient,
        program=program,
        idempotency_key=log.idempotency_key,
        started_at=log.started_at,
        finished_at=log.finished_at,
        pain_before=log.pain_before,
        pain_after=log.pain_after,
        exercises=session_log_to_json(log)["exercises"],
        ended_early=log.ended_early,
        end_reason=log.end_reason,
        needs_review=log.red_flag or any(item.needs_review for item in log.exercises),
    )


def store_log(patient: Patient, log: SessionLog, program: Program | None) -> tuple[SessionLogRecord, bool]:
    """Store ``log`` once: a log with a key already stored for this patient returns the stored one.

    The insert comes first and the unique key on (patient, idempotency key) refuses a repeat, rather
    than a look before it: a new log, the usual case, then costs one statement, and two copies sent at
    once cannot both get in.
    """
    record = log_record(patient, log, program)
    try:
        insert(record)
    except IntegrityError:
        return SessionLogRecord.objects.get(patient=patient, idempotency_key=log.idempotency_key), False
    return record, True


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
