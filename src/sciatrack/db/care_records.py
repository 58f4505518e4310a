"""A clinic full of generated patients with their care records, for the bulk export's tests and bench.

``generate_clinic(slug, patients, seed)`` makes the clinic ``slug`` (two clinicians with accounts) and
``patients`` pseudonymous patients, each with a first safety check, follow-up checks at about 2 and 6
weeks, the program of each check that allows exercise (one in ten changed by a clinician), diary days
and guided-session logs over 2 to 8 weeks from an enrolment day in the year after ``start``. What the
records say comes from :mod:`.care_shapes`: the real triage, program builder and scoring, run once per
answer shape.

- The same slug, seed and ``start`` give the same rows (uuids, keys, moments and values; the database
  ids depend on what the tables already hold): every random choice comes from ``random.Random`` seeded
  with both, and nothing reads the clock.
- Rows are written as plain multi-row INSERTs in batches of :data:`BATCH` (``executemany``) with ids
  allocated here, all in one transaction, so a failed run leaves nothing behind and memory stays flat:
  the rows of :data:`PATIENTS_PER_FLUSH` patients at a time. The ORM's ``bulk_create`` would stamp every
  row's ``created`` with the moment of the load (``auto_now_add``), and a follow-up check is told from the
  first one by that moment. No signal is sent: the registry syncs nothing of a generated clinic.
- The care and accounts models are asked of Django's app registry, as this room imports no app.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, models, transaction

from sciatrack.content.version import content_version

from .care_shapes import SHAPES_PER_RATING, CheckShape, ShapePool, reach_for, sleep_for

BATCH = 5_000
PATIENTS_PER_FLUSH = 1_000
DEFAULT_START = date(2025, 6, 2)
EMERGENCY_NUMBER = "911"
FIRST_NAMES = ("Ada", "Ben", "Chloe", "Dev", "Elif", "Femi", "Gus", "Hana", "Ivan", "Jo", "Kemal", "Lena")
LAST_NAMES = ("Abbott", "Baptiste", "Castro", "Dahl", "Eze", "Fischer", "Gupta", "Horvat", "Ito", "Jensen")
DIARY_NOTES = ("A better day.", "Sat too long at work.", "Tingling in the foot this evening.")

PATIENT_COLUMNS = ("id", "uuid", "user_id", "clinic_id", "display_name", "created")
INTAKE_COLUMNS = (
    "id", "uuid", "patient_id", "answers", "result", "tier", "current_result", "current_tier", "where",
    "advice_raised", "measures", "content_version", "created", "submission", "quarantine_reason",
)  # fmt: skip
PROGRAM_COLUMNS = (
    "id", "uuid", "patient_id", "intake_id", "exercises", "left_out", "pattern", "content_version",
    "created", "updated",
)  # fmt: skip
CHANGE_COLUMNS = ("id", "program_id", "changed_by_id", "author_name", "summary", "before", "after", "created")
SESSION_COLUMNS = (
    "id", "uuid", "patient_id", "program_id", "idempotency_key", "started_at", "finished_at", "pain_before",
    "pain_after", "exercises", "ended_early", "end_reason", "kind", "needs_review", "created",
    "quarantine_reason",
)  # fmt: skip
DIARY_COLUMNS = (
    "id", "patient_id", "day", "leg_pain", "back_pain", "reach", "sleep", "note", "created", "updated",
    "quarantine_reason", "idempotency_key", "recorded_at",
)  # fmt: skip


def record_model(label: str) -> type[models.Model]:
    """A care or accounts model (``"care.Intake"``), from Django's registry."""
    return apps.get_model(label)


@dataclass
class GeneratedClinic:
    """The clinic made and how many rows of each kind it got."""

    clinic: Any
    patients: int = 0
    intakes: int = 0
    programs: int = 0
    program_changes: int = 0
    sessions: int = 0
    diary_days: int = 0
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return (
            self.patients
            + self.intakes
            + self.programs
            + self.program_changes
            + self.sessions
            + self.diary_days
        )


class RowWriter:
    """New rows of one table with ids given here, inserted ``BATCH`` at a time with ``executemany``.

    Values are stored as the ORM's insert would store them (see :meth:`_preparer`; numbers, text and
    flags as given). A JSON value seen before (the shapes' shared
    answers, results and programs) is prepared once: the cache keeps the object, so its ``id`` stays its own.
    """

    def __init__(self, label: str, columns: Sequence[str]) -> None:
        self.model = record_model(label)
        meta = self.model._meta
        fields = {field.attname: field for field in meta.concrete_fields}
        self.columns = tuple(columns)
        self.prepare: list[Callable[[Any], Any] | None] = [self._preparer(fields[name]) for name in columns]
        self.json_columns = [isinstance(fields[name], models.JSONField) for name in columns]
        # (column index, preparer, whether JSON) of the columns whose values are converted.
        self.converted = [
            (index, prepare, self.json_columns[index])
            for index, prepare in enumerate(self.prepare)
            if prepare is not None
        ]
        self.prepared_json: dict[int, tuple[Any, Any]] = {}
        quote = connection.ops.quote_name
        names = ", ".join(quote(str(fields[name].column)) for name in columns)
        marks = ", ".join(["%s"] * len(columns))
        self.table = quote(meta.db_table)
        self.sql = f"INSERT INTO {self.table} ({names}) VALUES ({marks})"
        top = self.model._base_manager.aggregate(top=models.Max("id"))["top"]
        self.next_id = (top or 0) + 1
        self.rows: list[list[Any]] = []
        self.written = 0

    @staticmethod
    def _preparer(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
        """How a value of ``field`` is stored. Moments, days and uuids are converted here as Django's
        SQLite backend would (UTC text, ISO days, hex), at a tenth of the cost of the field's own
        conversion, which dominated the load; PostgreSQL's driver takes the Python values as they are."""
        if isinstance(field, models.JSONField):
            return lambda value: field.get_db_prep_save(value, connection)
        if connection.vendor != "sqlite":
            return None
        if isinstance(field, models.DateTimeField):
            return lambda value: str(value.astimezone(UTC).replace(tzinfo=None))
        if isinstance(field, models.DateField):
            return lambda value: value.isoformat()
        if isinstance(field, models.UUIDField):
            return lambda value: value.hex
        return None

    def add(self, *values: Any) -> int:
        """Queue one row (``values`` in column order, without the id); its new id."""
        row_id = self.next_id
        self.next_id += 1
        row = [row_id, *values]
        for index, prepare, is_json in self.converted:
            value = row[index]
            if value is None:
                continue
            if is_json:
                cached = self.prepared_json.get(id(value))
                if cached is None:
                    cached = self.prepared_json[id(value)] = (value, prepare(value))
                row[index] = cached[1]
            else:
                row[index] = prepare(value)
        self.rows.append(row)
        return row_id

    def flush(self) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(self.rows), BATCH):
                cursor.executemany(self.sql, self.rows[start : start + BATCH])
        self.written += len(self.rows)
        self.rows = []

    def move_sequence(self) -> None:
        """PostgreSQL: move the id sequence past the ids given here (SQLite needs nothing)."""
        if connection.vendor == "postgresql" and self.written:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM {self.table}))",
                    [self.table],
                )


def moment(day: date, minutes: int) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(minutes=minutes)


def key(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


class ClinicGenerator:
    """Writes one patient's story at a time into the row writers."""

    def __init__(self, clinic: Any, seed: int, start: date, clinicians: list[Any]) -> None:
        self.clinic = clinic
        self.rng = random.Random(f"{seed}:{clinic.slug}")  # noqa: S311 (made-up records, seeded on purpose)
        self.start = start
        self.clinicians = clinicians
        self.pool = ShapePool(seed, EMERGENCY_NUMBER)
        self.version = content_version()
        self.patients = RowWriter("accounts.Patient", PATIENT_COLUMNS)
        self.intakes = RowWriter("care.Intake", INTAKE_COLUMNS)
        self.programs = RowWriter("care.Program", PROGRAM_COLUMNS)
        self.changes = RowWriter("care.ProgramChange", CHANGE_COLUMNS)
        self.sessions = RowWriter("care.SessionLog", SESSION_COLUMNS)
        self.diary = RowWriter("care.DiaryEntry", DIARY_COLUMNS)
        self.writers = (self.patients, self.intakes, self.programs, self.changes, self.sessions, self.diary)

    def flush(self) -> None:
        for writer in self.writers:  # parents before the rows that point at them
            writer.flush()

    def patient(self, number: int) -> None:
        rng = self.rng
        enrolled = self.start + timedelta(days=rng.randrange(365))
        days = rng.randint(14, 56)
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {number:06d}"
        patient_id = self.patients.add(key(rng), None, self.clinic.id, name, moment(enrolled, 8 * 60))
        baseline = rng.randint(3, 9)
        final = max(0, min(10, baseline - rng.randint(-1, 6)))

        def leg_on(day: int) -> float:
            return baseline + (final - baseline) * day / days

        check_days = [0] + [d for d in (14, 42) if d <= days and rng.random() < 0.6]
        # (from day, program id, program exercises' session variants) for each check with a program
        programs: list[tuple[int, int, CheckShape]] = []
        for day in check_days:
            leg = round(leg_on(day))
            shape = self.pool.shape(leg, rng.randrange(SHAPES_PER_RATING))
            made = moment(enrolled + timedelta(days=day), 9 * 60 + rng.randrange(600))
            pain = shape.answers["pain"]
            measures = self.pool.measures_for(pain["leg_now"], pain["back_now"], rng.randrange(3))
            intake_id = self.intakes.add(
                key(rng), patient_id, shape.answers, shape.result, shape.tier, None, shape.tier, shape.where,
                False, measures, self.version, made, None, "",
            )  # fmt: skip
            if shape.program is None:
                if day == 0:
                    return  # sent to a doctor: no program, no sessions; the diary waits too
                continue
            changed = shape.change is not None and rng.random() < 0.1
            exercises = shape.change[0] if changed and shape.change else shape.program["exercises"]
            program_id = self.programs.add(
                key(rng), patient_id, intake_id, exercises, shape.program["left_out"],
                shape.program["pattern"], self.version, made, made + timedelta(days=2 if changed else 0),
            )  # fmt: skip
            if changed and shape.change:
                clinician = rng.choice(self.clinicians)
                self.changes.add(
                    program_id, clinician.id, clinician.get_username(), shape.change[1],
                    shape.program["exercises"], shape.change[0], made + timedelta(days=2),
                )  # fmt: skip
            programs.append((day, program_id, shape))
        self._days(rng, patient_id, enrolled, days, leg_on, programs)

    def _days(
        self,
        rng: random.Random,
        patient_id: int,
        enrolled: date,
        days: int,
        leg_on: Callable[[int], float],
        programs: list[tuple[int, int, CheckShape]],
    ) -> None:
        diary_chance = rng.uniform(0.15, 0.55)
        session_chance = rng.uniform(0.1, 0.4)
        for day in range(days + 1):
            date_of = enrolled + timedelta(days=day)
            leg = max(0, min(10, round(leg_on(day)) + rng.choice((-1, 0, 0, 1))))
            if rng.random() < diary_chance:
                written = moment(date_of, 20 * 60 + rng.randrange(180))
                reach = reach_for(leg).value
                note = rng.choice(DIARY_NOTES) if rng.random() < 0.1 else ""
                back = max(0, min(10, leg + rng.randint(-2, 1)))
                self.diary.add(
                    patient_id, date_of, leg, back, reach, sleep_for(leg, rng), note, written, written, "",
                    None, None,
                )  # fmt: skip
            current = [entry for entry in programs if entry[0] <= day]
            if current and current[-1][2].sessions and rng.random() < session_chance:
                _, program_id, shape = current[-1]
                roll = rng.random()
                exercises, seconds, review = shape.sessions[2 if roll < 0.03 else 1 if roll < 0.35 else 0]
                began = moment(date_of, 7 * 60 + rng.randrange(720))
                finished = began + timedelta(seconds=seconds + 60 * rng.randint(4, 9))
                after = min(10, leg + 1) if review else max(0, leg - rng.choice((0, 0, 1)))
                self.sessions.add(
                    key(rng), patient_id, program_id, key(rng), began, finished, leg, after, exercises, False,
                    "", "full", review, finished, "",
                )  # fmt: skip


def make_clinicians(clinic: Any, rng: random.Random) -> list[Any]:
    """Two clinicians of the clinic, each with an account (who changed a program)."""
    user_model = get_user_model()
    clinician_model = record_model("accounts.Clinician")
    users = []
    for number, (first, last) in enumerate((("Mira", "Solberg"), ("Tomas", "Reyes")), start=1):
        user = user_model.objects.create(
            username=f"{clinic.slug}-clinician-{number}", first_name=first, last_name=last
        )
        clinician_model._base_manager.create(
            user=user, clinic=clinic, profession=rng.choice(("physical_therapist", "physician"))
        )
        users.append(user)
    return users


def generate_clinic(
    slug: str,
    patients: int,
    seed: int,
    start: date = DEFAULT_START,
    progress: Callable[[int], None] | None = None,
) -> GeneratedClinic:
    """Make the clinic ``slug`` with ``patients`` generated patients and their records (see the module);
    ``progress`` is told how many patients are written after each flush. Raises ``ValueError`` when the
    slug is taken or ``patients`` is below 0."""
    if patients < 0:
        raise ValueError("patients must be 0 or more")
    clinic_model = record_model("accounts.Clinic")
    began = time.perf_counter()
    with transaction.atomic():
        if clinic_model._base_manager.filter(slug=slug).exists():
            raise ValueError(f"a clinic with the slug {slug!r} exists already")
        rng = random.Random(f"{seed}:{slug}:clinic")  # noqa: S311 (seeded on purpose)
        clinic = clinic_model._base_manager.create(name=f"Generated clinic {slug}", slug=slug, uuid=key(rng))
        clinicians = make_clinicians(clinic, rng)
        if connection.vendor == "postgresql":
            lock_tables()
        generator = ClinicGenerator(clinic, seed, start, clinicians)
        for number in range(1, patients + 1):
            generator.patient(number)
            if number % PATIENTS_PER_FLUSH == 0 or number == patients:
                generator.flush()
                if progress is not None:
                    progress(number)
        for writer in generator.writers:
            writer.move_sequence()
    made = GeneratedClinic(clinic, seconds=time.perf_counter() - began)
    made.patients, made.intakes, made.programs = (
        generator.patients.written,
        generator.intakes.written,
        generator.programs.written,
    )
    made.program_changes, made.sessions, made.diary_days = (
        generator.changes.written,
        generator.sessions.written,
        generator.diary.written,
    )
    return made


def lock_tables() -> None:
    """PostgreSQL: nobody else adds rows while ids are given from the highest one (until the commit)."""
    labels: tuple[str, ...] = ("accounts.Patient", "care.Intake", "care.Program", "care.ProgramChange")
    labels += ("care.SessionLog", "care.DiaryEntry")
    tables = ", ".join(connection.ops.quote_name(record_model(label)._meta.db_table) for label in labels)
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")
