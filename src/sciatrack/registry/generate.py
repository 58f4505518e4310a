"""A synthetic outcome registry for trying the registry pages and measuring them at scale.

``sciatrack registry generate --patients N --seed S`` fills the registry with ``N`` de-identified cases
spread over a network of generated clinics (``accounts.Clinic`` rows whose slug starts with
``registry-``), their follow-ups at about 6, 12 and 26 weeks and their weekly activity, and the summary
table the reports read. The same seed (with the same options) gives the same rows. What the cases look like
is decided in :mod:`.synthetic_cases`; this module decides how they are stored.

Rows are written with :func:`.bulk.insert_rows` (COPY on PostgreSQL) in one transaction, never as
model instances, one chunk of generated cases at a time (:func:`.synthetic_cases.generate_chunk`). On
PostgreSQL a large load drops the registry tables' secondary indexes and constraints first and rebuilds
them after, inside the same transaction, then analyses the tables.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Max

from sciatrack.accounts.models import Clinic
from sciatrack.content.registry_schema import load_registry_content

from .bulk import insert_rows
from .models import CaseOutcome, RegistryCase, RegistryFollowUp, RegistryWeek
from .summary import OUTCOME_COLUMNS
from .synthetic_cases import CHUNK, DEFAULT_START, default_clinics, generate_chunk, make_plan

CLINIC_PREFIX = "registry-"
# On PostgreSQL, loads at least this large drop and rebuild the secondary indexes and constraints.
DEFER_INDEXES_FROM = 50_000

CASE_COLUMNS = (
    "id", "clinic_id", "enrolled_on", "age_band", "triage_tier", "pattern", "program_mask",
    "sessions_per_week", "baseline_leg_pain", "baseline_back_pain", "baseline_sbi", "stale",
)  # fmt: skip
FOLLOW_UP_COLUMNS = ("case_id", "day", "leg_pain", "back_pain", "sbi")
WEEK_COLUMNS = ("case_id", "week", "sessions_done", "diary_days", "mean_leg_pain")
TABLES = (RegistryCase, RegistryFollowUp, RegistryWeek, CaseOutcome)


@dataclass
class GenerationSummary:
    """What a generation wrote (rows per table) and how long each phase took (seconds)."""

    patients: int
    seed: int
    clinics: int = 0
    cases: int = 0
    follow_ups: int = 0
    weeks: int = 0
    outcomes: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())

    def add_time(self, phase: str, seconds: float) -> None:
        self.seconds[phase] = self.seconds.get(phase, 0.0) + seconds

    def lines(self) -> list[str]:
        """The summary as printed by the command."""
        rows = (
            ("clinics", self.clinics),
            ("cases", self.cases),
            ("follow-ups", self.follow_ups),
            ("weeks", self.weeks),
            ("summary rows", self.outcomes),
        )
        out = [f"{name:<14}{count:>12,}" for name, count in rows]
        out.append("")
        out.extend(f"{phase:<22}{seconds:>9.1f} s" for phase, seconds in self.seconds.items())
        out.append(f"{'total':<22}{self.total_seconds:>9.1f} s")
        return out


class GenerationError(Exception):
    """The registry cannot be generated as asked (the message says why)."""


# --- PostgreSQL: dropping and rebuilding secondary indexes and constraints around a large load ---------

SECONDARY_CONSTRAINTS = """
    SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint
    WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY conname
"""
SECONDARY_INDEXES = """
    SELECT index_class.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x
    JOIN pg_class index_class ON index_class.oid = x.indexrelid
    WHERE x.indrelid = %s::regclass AND NOT x.indisprimary AND NOT EXISTS (
        SELECT 1 FROM pg_constraint c WHERE c.conrelid = x.indrelid AND c.conindid = x.indexrelid
    )
    ORDER BY index_class.relname
"""


def drop_secondary(cursor: Any) -> list[str]:
    """Drop the registry tables' foreign keys, unique constraints and other non-primary indexes;
    returns the statements that recreate them (indexes and unique constraints first, then foreign keys)."""
    quote = connection.ops.quote_name
    drops: list[str] = []
    creates: list[str] = []
    foreign: list[str] = []
    drop_foreign: list[str] = []
    for model in TABLES:
        table = model._meta.db_table
        cursor.execute(SECONDARY_CONSTRAINTS, [quote(table)])
        for name, definition, kind in cursor.fetchall():
            drop = f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}"
            create = f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
            (drop_foreign if kind == "f" else drops).append(drop)
            (foreign if kind == "f" else creates).append(create)
        cursor.execute(SECONDARY_INDEXES, [quote(table)])
        for name, definition in cursor.fetchall():
            drops.append(f"DROP INDEX {quote(name)}")
            creates.append(definition)
    # Foreign keys go first: a unique constraint cannot be dropped while a foreign key relies on it.
    for statement in drop_foreign + drops:
        cursor.execute(statement)
    return creates + foreign


# --- the command ------------------------------------------------------------------------------------


def generated_clinics() -> Any:
    return Clinic.objects.filter(slug__startswith=CLINIC_PREFIX)


def remove_generated(summary: GenerationSummary) -> None:
    """Delete the generated clinics and every registry row of their cases."""
    clinic_ids = list(generated_clinics().values_list("id", flat=True))
    if not clinic_ids:
        return
    others = RegistryCase.objects.exclude(clinic_id__in=clinic_ids).exists()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not others:
            tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in TABLES)
            cursor.execute(f"TRUNCATE {tables}")
        else:
            cases = RegistryCase._meta.db_table
            marks = ", ".join("%s" for _ in clinic_ids)
            for model in (CaseOutcome, RegistryWeek, RegistryFollowUp):
                cursor.execute(
                    f"DELETE FROM {model._meta.db_table} WHERE case_id IN "
                    f"(SELECT id FROM {cases} WHERE clinic_id IN ({marks}))",
                    clinic_ids,
                )
            cursor.execute(f"DELETE FROM {cases} WHERE clinic_id IN ({marks})", clinic_ids)
    generated_clinics().delete()


def create_clinics(count: int) -> list[int]:
    width = max(3, len(str(count)))
    Clinic.objects.bulk_create(
        Clinic(name=f"Registry clinic {number:0{width}d}", slug=f"{CLINIC_PREFIX}{number:0{width}d}")
        for number in range(1, count + 1)
    )
    return list(generated_clinics().order_by("slug").values_list("id", flat=True))


def generate_registry(
    patients: int,
    seed: int,
    clinics: int | None = None,
    start: date = DEFAULT_START,
    replace: bool = False,
    progress: Callable[[str], None] | None = None,
    defer_indexes: bool | None = None,
) -> GenerationSummary:
    """Generate ``patients`` cases over ``clinics`` new clinics (default: :func:`default_clinics`),
    enrolled over two years from ``start``, with their follow-ups, weeks and summary rows; returns the
    counts and the seconds of each phase.

    Raises :class:`GenerationError` when generated clinics already exist and ``replace`` is false; with
    ``replace`` they and their cases are deleted first (other registry cases are kept). On PostgreSQL
    ``defer_indexes`` (default: from ``DEFER_INDEXES_FROM`` patients) drops the secondary indexes and
    constraints of the registry tables during the load and rebuilds them after.
    """
    if patients < 1:
        raise GenerationError("--patients must be at least 1")
    clinic_count = default_clinics(patients) if clinics is None else clinics
    if clinic_count < 1:
        raise GenerationError("--clinics must be at least 1")
    say = progress or (lambda message: None)
    content = load_registry_content()
    summary = GenerationSummary(patients=patients, seed=seed)
    postgres = connection.vendor == "postgresql"
    defer = postgres and (patients >= DEFER_INDEXES_FROM if defer_indexes is None else defer_indexes)
    clock = time.perf_counter

    with transaction.atomic():
        began = clock()
        if postgres:
            # Nobody else adds cases meanwhile: the ids are allocated from the highest one.
            case_table = connection.ops.quote_name(RegistryCase._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {case_table} IN EXCLUSIVE MODE")
        if generated_clinics().exists():
            if not replace:
                raise GenerationError(
                    f"the registry already has generated clinics ({CLINIC_PREFIX}*): "
                    "add --replace to delete them and their cases first"
                )
            remove_generated(summary)
            summary.add_time("remove old", clock() - began)
            began = clock()
        clinic_ids = create_clinics(clinic_count)
        summary.clinics = len(clinic_ids)
        first_id = (RegistryCase.objects.aggregate(top=Max("id"))["top"] or 0) + 1
        plan = make_plan(content, seed, patients, first_id, clinic_ids, start)
        summary.add_time("clinics", clock() - began)

        recreate: list[str] = []
        if defer:
            began = clock()
            with connection.cursor() as cursor:
                # Checks still pending (from deleting old clinics) would block dropping their foreign keys.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                recreate = drop_secondary(cursor)
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            summary.add_time("drop indexes", clock() - began)

        chunks = (patients + CHUNK - 1) // CHUNK
        report_every = max(1, chunks // 20)
        load_began = clock()
        for number in range(chunks):
            chunk = generate_chunk(plan, content, number)
            summary.add_time("generate base rows", chunk.base_seconds)
            summary.add_time("compute summary rows", chunk.summary_seconds)
            for phase, model, columns, rows, counter in (
                ("insert cases", RegistryCase, CASE_COLUMNS, chunk.cases, "cases"),
                ("insert follow-ups", RegistryFollowUp, FOLLOW_UP_COLUMNS, chunk.follow_ups, "follow_ups"),
                ("insert weeks", RegistryWeek, WEEK_COLUMNS, chunk.weeks, "weeks"),
                ("insert summary rows", CaseOutcome, OUTCOME_COLUMNS, chunk.outcomes, "outcomes"),
            ):
                began = clock()
                written = insert_rows(model, columns, rows)
                setattr(summary, counter, getattr(summary, counter) + written)
                summary.add_time(phase, clock() - began)
            if (number + 1) % report_every == 0 or number + 1 == chunks:
                say(
                    f"  {summary.cases:>11,} of {patients:,} cases ({summary.cases / patients:.0%}), "
                    f"{clock() - load_began:.0f} s"
                )

        if recreate:
            began = clock()
            say(f"  rebuilding {len(recreate)} indexes and constraints ...")
            with connection.cursor() as cursor:
                # Index builds sort the whole table; more memory means fewer passes over disk.
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
                for statement in recreate:
                    cursor.execute(statement)
            summary.add_time("rebuild indexes", clock() - began)
        if postgres:
            with connection.cursor() as cursor:
                # The case ids were given explicitly: move the sequence past them.
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM {case_table}))",
                    [case_table],
                )
        committing = clock()
    # Deferred constraint checks (foreign keys kept in place) run at the commit.
    summary.add_time("commit", clock() - committing)

    if postgres:
        began = clock()
        say("  analysing the tables ...")
        with connection.cursor() as cursor:
            for table in (*(model._meta.db_table for model in TABLES), Clinic._meta.db_table):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        summary.add_time("analyze", clock() - began)
    return summary


def run_generate_command(args: argparse.Namespace) -> int:
    """``sciatrack registry generate``: generate, print progress and the summary; 2 on a bad request."""
    print(
        f"generating {args.patients:,} registry cases (seed {args.seed}) on {connection.vendor} ...",
        flush=True,
    )
    try:
        summary = generate_registry(
            args.patients,
            args.seed,
            clinics=args.clinics,
            start=args.start,
            replace=args.replace,
            progress=lambda message: print(message, flush=True),
        )
    except GenerationError as error:
        print(f"sciatrack registry generate: {error}", file=sys.stderr)
        return 2
    print()
    for line in summary.lines():
        print(line)
    return 0
