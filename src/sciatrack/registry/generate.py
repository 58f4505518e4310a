"""A synthetic outcome registry for trying the registry pages and measuring them at scale.

``sciatrack registry generate --patients N --seed S`` fills the registry with ``N`` de-identified cases
spread over a network of generated clinics (``accounts.Clinic`` rows whose slug starts with
``registry-``), their follow-ups at about 6, 12 and 26 weeks and their weekly activity, and the summary
table the reports read. The same seed (with the same options) gives the same rows.

What the data looks like, so that the reports have something plausible to show:

- enrolment dates run over two years from ``--start``, more of them later on (the network grows); case
  ids follow the enrolment date, as they would in a registry filled as people enrol;
- age bands peak at 40 to 59; the flexion-biased (stenosis-like) pattern is commoner with age;
- triage tiers are mostly self-care and routine, which get a program: every exercise of the library,
  the McKenzie extension only for the extension-biased pattern, now and then one left out by a
  clinician; the prescribed sessions a week follow the exercises' dosage as in the care app. Soon and
  urgent cases get no program (mask 0, no sessions prescribed);
- baseline leg pain 3 to 10, back pain and the Sciatica Bothersomeness Index correlated with it;
- each case has its own adherence, fading week by week, and drops out at a time that comes sooner for
  those who do fewer sessions; weekly rows stop at the dropout (at most 26 weeks), and follow-ups stop
  a few weeks after it, so later follow-ups are missing more often, and some cases have none;
- pain follows an improvement curve whose depth depends on the pattern and on adherence, with noise
  from case to case and from visit to visit, so some people get worse;
- nothing is recorded after the end of the two years, so recent cases lack their later follow-ups.

Rows are written with :func:`.bulk.insert_rows` (COPY on PostgreSQL) in one transaction, never as
model instances. Summary rows are computed from the generated rows in memory with the same pure
function the incremental refresh uses (:func:`.summary.outcome_rows`), so cases are stored fresh. On
PostgreSQL a large load drops the registry tables' secondary indexes and constraints first and rebuilds
them after, inside the same transaction, then analyses the tables.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from bisect import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Max

from sciatrack.accounts.models import Clinic
from sciatrack.content.loader import load_exercises
from sciatrack.content.registry_schema import RegistryContent, load_registry_content
from sciatrack.content.schema import Frequency
from sciatrack.domain.registry_outcomes import FollowUp, program_mask
from sciatrack.domain.vocabulary import EXERCISE_TIERS, Pattern, Tier

from .bulk import insert_rows
from .models import CaseOutcome, RegistryCase, RegistryFollowUp, RegistryWeek
from .summary import OUTCOME_COLUMNS, outcome_rows

DEFAULT_START = date(2024, 1, 1)
SPAN_DAYS = 730  # two years of enrolment; nothing is recorded after the last of them
CLINIC_PREFIX = "registry-"
CHUNK = 10_000  # cases generated (and written) at a time; each chunk has its own random stream
# On PostgreSQL, loads at least this large drop and rebuild the secondary indexes and constraints.
DEFER_INDEXES_FROM = 50_000
MAX_WEEKS = 26
NETWORK_GROWTH = 1.0  # enrolments a day at the end of the two years over those at the start, minus one

CASE_COLUMNS = (
    "id", "clinic_id", "enrolled_on", "age_band", "triage_tier", "pattern", "program_mask",
    "sessions_per_week", "baseline_leg_pain", "baseline_back_pain", "baseline_sbi", "stale",
)  # fmt: skip
FOLLOW_UP_COLUMNS = ("case_id", "day", "leg_pain", "back_pain", "sbi")
WEEK_COLUMNS = ("case_id", "week", "sessions_done", "diary_days", "mean_leg_pain")
TABLES = (RegistryCase, RegistryFollowUp, RegistryWeek, CaseOutcome)

# Relative frequency of each age band (by id); a band added to the content later gets 10.
AGE_WEIGHTS = {"16-29": 8, "30-39": 18, "40-49": 26, "50-59": 24, "60-69": 15, "70+": 9}
TIER_WEIGHTS = ((Tier.SELF_CARE, 60), (Tier.ROUTINE, 31), (Tier.SOON, 7), (Tier.URGENT, 2))
PROGRAM_TIERS = frozenset(EXERCISE_TIERS)  # only a tier that allows exercise gets a program
MCKENZIE = "mckenzie-extension"
# How deep the improvement goes, as a share of the baseline, by pattern (with a program, before
# adherence scales it) and by tier (without one: those are seen by a clinician instead).
PATTERN_RESPONSE = {
    Pattern.EXTENSION_BIASED.value: 0.55,
    Pattern.UNCLEAR.value: 0.42,
    Pattern.FLEXION_BIASED.value: 0.30,
}
TIER_RESPONSE = {Tier.SOON.value: 0.36, Tier.URGENT.value: 0.30}
# Follow-ups: target day, spread of the actual day (standard deviation, days), chance of answering.
FOLLOW_UP_PLAN = ((42, 6.0, 0.92), (84, 9.0, 0.88), (182, 14.0, 0.84))
ANSWERS_AFTER_STOPPING = 35  # days after the last active week a follow-up may still be answered


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


@dataclass(frozen=True)
class Plan:
    """Everything a chunk needs to generate its cases; chunks depend on nothing else."""

    seed: int
    patients: int
    first_id: int
    clinic_ids: tuple[int, ...]
    clinic_cum_weights: tuple[float, ...]
    days: tuple[str, ...]  # ISO date of each day of the span
    age_bands: tuple[str, ...]
    age_cum_weights: tuple[float, ...]
    # Per pattern: the exercise ids of its full program.
    programs: dict[str, tuple[str, ...]]
    program_bits: dict[str, int]
    times_per_day: dict[str, int]  # exercises done a number of times a day (others: every waking hour)


@dataclass
class Chunk:
    cases: list[tuple[Any, ...]] = field(default_factory=list)
    follow_ups: list[tuple[Any, ...]] = field(default_factory=list)
    weeks: list[tuple[Any, ...]] = field(default_factory=list)
    outcomes: list[tuple[Any, ...]] = field(default_factory=list)
    base_seconds: float = 0.0
    summary_seconds: float = 0.0


def default_clinics(patients: int) -> int:
    """How many clinics a registry of ``patients`` cases spreads over by default (200 for a million)."""
    return max(2, min(500, round(math.sqrt(patients) / 5)))


def cumulative(weights: list[float]) -> tuple[float, ...]:
    total = 0.0
    out = []
    for weight in weights:
        total += weight
        out.append(total)
    return tuple(out)


def enrolment_day(index: int, patients: int) -> int:
    """The day (0 = ``--start``) case ``index`` of ``patients`` enrolled on: evenly through the
    enrolments, with a density rising linearly over the span (by ``NETWORK_GROWTH``), in case order."""
    share = (index + 0.5) / patients
    growth = NETWORK_GROWTH
    position = (math.sqrt(1 + 2 * growth * share * (1 + growth / 2)) - 1) / growth
    return min(SPAN_DAYS - 1, int(position * SPAN_DAYS))


def sessions_per_week(exercise_ids: tuple[str, ...], times_per_day: dict[str, int]) -> int:
    """As the care app prescribes: 7 times the most times a day of any exercise, at least once a day."""
    if not exercise_ids:
        return 0
    return 7 * max((times_per_day.get(exercise_id, 1) for exercise_id in exercise_ids), default=1)


def make_plan(
    content: RegistryContent, seed: int, patients: int, first_id: int, clinic_ids: list[int], start: date
) -> Plan:
    weights_rng = random.Random(f"sciatrack-registry:{seed}:clinics")
    # Clinic sizes vary several-fold, as in a real network.
    clinic_weights = [weights_rng.lognormvariate(0, 0.6) for _ in clinic_ids]
    exercises = load_exercises()
    times_per_day = {
        exercise_id: exercise.dosage.times_per_day or 1
        for exercise_id, exercise in exercises.items()
        if exercise.dosage.frequency is Frequency.TIMES_PER_DAY
    }
    every = tuple(exercise_id for exercise_id in content.program_bits if exercise_id != MCKENZIE)
    programs = {pattern.value: every for pattern in Pattern}
    programs[Pattern.EXTENSION_BIASED.value] = (MCKENZIE, *every)
    return Plan(
        seed=seed,
        patients=patients,
        first_id=first_id,
        clinic_ids=tuple(clinic_ids),
        clinic_cum_weights=cumulative(clinic_weights),
        days=tuple((start + timedelta(days=offset)).isoformat() for offset in range(SPAN_DAYS)),
        age_bands=tuple(band.id for band in content.age_bands),
        age_cum_weights=cumulative([AGE_WEIGHTS.get(band.id, 10) for band in content.age_bands]),
        programs=programs,
        program_bits=dict(content.program_bits),
        times_per_day=times_per_day,
    )


def generate_chunk(plan: Plan, content: RegistryContent, number: int) -> Chunk:
    """The rows of chunk ``number`` (cases ``number * CHUNK`` onwards): a pure function of the plan."""
    clock = time.perf_counter
    began = clock()
    rng = random.Random(f"sciatrack-registry:{plan.seed}:chunk:{number}")
    rnd, gauss = rng.random, rng.gauss
    exp, log = math.exp, math.log
    chunk = Chunk()
    cases, follow_ups, weeks_out, outcomes = chunk.cases, chunk.follow_ups, chunk.weeks, chunk.outcomes
    summary_seconds = 0.0

    clinic_ids, clinic_cum = plan.clinic_ids, plan.clinic_cum_weights
    clinic_total = clinic_cum[-1]
    age_bands, age_cum = plan.age_bands, plan.age_cum_weights
    age_total = age_cum[-1]
    oldest = len(age_bands) - 1
    tiers = tuple(tier.value for tier, _ in TIER_WEIGHTS)
    tier_cum = cumulative([weight for _, weight in TIER_WEIGHTS])
    extension, flexion, unclear = (
        Pattern.EXTENSION_BIASED.value,
        Pattern.FLEXION_BIASED.value,
        Pattern.UNCLEAR.value,
    )
    programs: dict[tuple[str, ...], tuple[int, int]] = {}

    def program_of(exercise_ids: tuple[str, ...]) -> tuple[int, int]:
        known = programs.get(exercise_ids)
        if known is None:
            known = (
                program_mask(plan.program_bits, exercise_ids),
                sessions_per_week(exercise_ids, plan.times_per_day),
            )
            programs[exercise_ids] = known
        return known

    first = number * CHUNK
    for index in range(first, min(first + CHUNK, plan.patients)):
        case_id = plan.first_id + index
        day = enrolment_day(index, plan.patients)
        clinic_id = clinic_ids[min(bisect(clinic_cum, rnd() * clinic_total), len(clinic_ids) - 1)]
        age_index = min(bisect(age_cum, rnd() * age_total), oldest)
        tier = tiers[min(bisect(tier_cum, rnd() * tier_cum[-1]), len(tiers) - 1)]
        # Older people more often have the stenosis-like (flexion-biased) pattern.
        age_share = age_index / oldest if oldest else 0.0
        draw = rnd()
        flexion_share = 0.05 + 0.27 * age_share
        extension_share = 0.63 - 0.25 * age_share
        if draw < extension_share:
            pattern = extension
        elif draw < extension_share + flexion_share:
            pattern = flexion
        else:
            pattern = unclear

        mask, per_week = 0, 0
        if tier in PROGRAM_TIERS:
            exercise_ids = plan.programs[pattern]
            if pattern == extension and rnd() < 0.12:
                # Bending backward makes their pain worse: the press-up is left out.
                exercise_ids = exercise_ids[1:]
            if rnd() < 0.15:
                # A clinician left one exercise out.
                left_out = int(rnd() * len(exercise_ids))
                exercise_ids = exercise_ids[:left_out] + exercise_ids[left_out + 1 :]
            mask, per_week = program_of(exercise_ids)

        urgent_shift = 0.0 if mask else 0.8
        leg0 = min(10, max(3, round(gauss(6.0 + urgent_shift, 1.7))))
        back0 = None if rnd() < 0.01 else min(10, max(0, round(0.45 * leg0 + gauss(1.8, 1.9))))
        back_or_typical = back0 if back0 is not None else 3
        sbi0 = (
            None
            if rnd() < 0.02
            else min(24, max(0, round(1.6 * leg0 + 0.3 * back_or_typical + gauss(1, 2.6))))
        )

        # Adherence: a share of the prescribed sessions at the start, fading week by week.
        if per_week:
            adherence = min(1.0, max(0.0, rnd() ** 0.6 + 0.02 * (age_index - 2)))
            fade = rnd() * 0.06
            diary = 0.5 * adherence + 0.5 * (0.25 + 0.75 * rnd())
            scale = 10 + 45 * adherence  # weeks: those doing more stay longer
        else:
            adherence, fade = 0.0, 0.0
            diary = 0.25 + 0.75 * rnd()
            scale = 18.0
        # The last active week; -1: never used the app after the first check. Otherwise Weibull with
        # shape 1.6, so the chance of dropping out grows with time.
        never = rnd() < 0.04
        last_week = -1 if never else min(MAX_WEEKS - 1, int(scale * (-log(1.0 - rnd())) ** 0.625))
        days_left = SPAN_DAYS - day  # days from enrolment to the end of the registry
        last_week = min(last_week, days_left // 7 - 1)

        effective = adherence * exp(-fade * max(last_week, 0) / 2)
        if mask:
            response = PATTERN_RESPONSE[pattern] * (0.5 + 0.7 * effective)
        else:
            response = TIER_RESPONSE.get(tier, 0.33)
        response = min(0.98, response + gauss(0, 0.3))  # some get worse
        back_response = min(0.98, 0.75 * response + gauss(0, 0.15))
        sbi_response = min(0.98, 0.9 * response + gauss(0, 0.12))
        pace = 2.5 + 7 * rnd()  # weeks to about two thirds of the improvement
        back_base = back0 if back0 is not None else round(0.45 * leg0 + 1.8)
        sbi_base = sbi0 if sbi0 is not None else round(1.6 * leg0 + 1.8)

        case_follow_ups = []
        answered_until = (last_week + 1) * 7 + ANSWERS_AFTER_STOPPING if last_week >= 0 else 0
        for target, spread, answers in FOLLOW_UP_PLAN:
            follow_day = max(1, round(target + gauss(0, spread)))
            if follow_day > answered_until or follow_day >= days_left or rnd() > answers:
                continue
            reached = 1 - exp(-follow_day / 7 / pace)
            leg = min(10, max(0, round(leg0 * (1 - response * reached) + gauss(0, 0.9))))
            back = min(10, max(0, round(back_base * (1 - back_response * reached) + gauss(0, 0.9))))
            sbi = (
                None
                if rnd() < 0.03
                else min(24, max(0, round(sbi_base * (1 - sbi_response * reached) + gauss(0, 1.6))))
            )
            follow_ups.append((case_id, follow_day, leg, back, sbi))
            case_follow_ups.append(FollowUp(follow_day, leg, back, sbi))

        case_weeks = []
        step = exp(-1 / pace)
        remaining = exp(-0.5 / pace)  # share of the improvement still to come, mid-week
        kept = 1.0  # share of the starting adherence kept this week
        keep = exp(-fade)
        for week in range(last_week + 1):
            if per_week:
                done = min(per_week, max(0, round((adherence * kept + gauss(0, 0.08)) * per_week)))
                kept *= keep
            else:
                done = 0
            diary_days = min(7, max(0, round(7 * diary * exp(-0.03 * week) + gauss(0, 0.9))))
            mean_leg = (
                round(min(10.0, max(0.0, leg0 * (1 - response * (1 - remaining)) + gauss(0, 0.5))), 1)
                if diary_days
                else None
            )
            remaining *= step
            weeks_out.append((case_id, week, done, diary_days, mean_leg))
            case_weeks.append((week, done))

        enrolled_on = plan.days[day]
        cases.append(
            (case_id, clinic_id, enrolled_on, age_bands[age_index], tier, pattern, mask, per_week,
             leg0, back0, sbi0, False)
        )  # fmt: skip
        summary_began = clock()
        case = {
            "id": case_id, "clinic_id": clinic_id, "enrolled_on": enrolled_on,
            "age_band": age_bands[age_index], "triage_tier": tier, "pattern": pattern, "program_mask": mask,
            "sessions_per_week": per_week, "baseline_leg_pain": leg0, "baseline_back_pain": back0,
            "baseline_sbi": sbi0,
        }  # fmt: skip
        outcomes.extend(outcome_rows(content, case, case_follow_ups, case_weeks))
        summary_seconds += clock() - summary_began

    chunk.summary_seconds = summary_seconds
    chunk.base_seconds = clock() - began - summary_seconds
    return chunk


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
