"""Benchmark: the outcome registry at scale on PostgreSQL, against raw SQL over the base tables.

In a database of its own (``sciatrack_bench_registry`` on the server of ``DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/test``; created fresh, migrated with ``sciatrack migrate`` and dropped
at the end, so it never touches the database it was pointed at), it:

1. generates ``BENCH_REGISTRY_PATIENTS`` (default 1,000,000) cases with ``registry.generate`` and prints
   the time per phase and whether the whole took under 10 minutes;
2. times the network-wide report and a filtered cohort report (one clinic, half a year of enrolments)
   with ``registry.report.cohort_report`` over the summary table, and, as the baseline measured in the
   same run, a raw SQL aggregate over the base tables (cases and follow-ups) that computes the 12-week
   leg pain responder status with the definition's window rule (follow-up in the window, nearest the
   target day, the earlier on a tie); it prints the seconds, the targets (network < 2 s, filtered < 0.5 s)
   and the ratio baseline / report. Each query runs once to warm the cache, then ``REPEATS`` times; the
   median counts;
3. adds a follow-up to 1,000 random cases, marks them stale and times ``summary.refresh_stale()``; with
   ``BENCH_REGISTRY_FULL_REBUILD=1`` also ``summary.rebuild_all()`` for comparison.

``BENCH_REGISTRY_KEEP=1`` keeps the database at the end, to look at the query plans.

The baseline answers one outcome definition without the time-to-response curve; the report answers all
of them with it, so a ratio above 1 understates what the summary table saves.

Run it with ``make bench`` or ``.venv/bin/python bench/bench_registry.py``. It reports; it never fails
the build: without a reachable PostgreSQL server it says so and exits 0.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
SCIATRACK = Path(sys.executable).parent / "sciatrack"

SERVER_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
BENCH_DATABASE = "sciatrack_bench_registry"
PATIENTS = int(os.environ.get("BENCH_REGISTRY_PATIENTS", "1000000"))
FULL_REBUILD = os.environ.get("BENCH_REGISTRY_FULL_REBUILD") == "1"
KEEP = os.environ.get("BENCH_REGISTRY_KEEP") == "1"  # keep the database afterwards, to explore it
SEED = 1
REPEATS = 3
NEW_FOLLOW_UPS = 1_000
TARGET_GENERATE = 600.0
TARGET_NETWORK = 2.0
TARGET_FILTERED = 0.5
BASELINE_OUTCOME = "leg-pain-responder-12w"

# The 12-week responder status of each case of a cohort, from the base tables: the follow-up that counts
# is the one with leg pain inside the window nearest the target day (the earlier on a tie), as
# domain.registry_outcomes.counting_follow_up picks it; the rule is the definition's "improved" rule.
BASELINE_SQL = """
WITH cohort AS (
    SELECT id, baseline_leg_pain FROM registry_registrycase
    WHERE ({where})
),
counted AS (
    SELECT DISTINCT ON (f.case_id) f.case_id, f.leg_pain
    FROM registry_registryfollowup f JOIN cohort ON cohort.id = f.case_id
    WHERE f.day BETWEEN %(first_day)s AND %(last_day)s AND f.leg_pain IS NOT NULL
    ORDER BY f.case_id, abs(f.day - %(target_day)s), f.day
)
SELECT status, count(*) FROM (
    SELECT CASE
        WHEN k.leg_pain IS NULL OR c.baseline_leg_pain IS NULL THEN -1
        WHEN c.baseline_leg_pain - k.leg_pain >= %(points)s
            OR (c.baseline_leg_pain > %(percent_floor)s
                AND (c.baseline_leg_pain - k.leg_pain) * 100 >= %(percent)s * c.baseline_leg_pain) THEN 1
        ELSE 0
    END AS status
    FROM cohort c LEFT JOIN counted k ON k.case_id = c.id
) statuses
GROUP BY status ORDER BY status
"""


def connect_kwargs(url: str) -> dict[str, Any]:
    config = dj_database_url.parse(url)
    return {
        "dbname": config["NAME"],
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "connect_timeout": 5,
    }


def bench_url(url: str) -> str:
    parts = dj_database_url.parse(url)
    user = parts.get("USER") or ""
    password = f":{parts['PASSWORD']}" if parts.get("PASSWORD") else ""
    credentials = f"{user}{password}@" if user else ""
    port = f":{parts['PORT']}" if parts.get("PORT") else ""
    return f"postgres://{credentials}{parts.get('HOST') or ''}{port}/{BENCH_DATABASE}"


def admin(url: str, statement: sql.Composable) -> None:
    with psycopg.connect(**connect_kwargs(url), autocommit=True) as conn:
        conn.execute(statement)


def median_seconds(run: Callable[[], Any]) -> tuple[float, Any]:
    """The median time of ``REPEATS`` runs after one unmeasured warm-up, and the last run's result."""
    result = run()
    times = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def verdict(seconds: float, target: float) -> str:
    return f"< {target:g} s {'met' if seconds < target else 'MISSED'}"


def measure() -> None:
    from django.db import connection

    from sciatrack.accounts.models import Clinic
    from sciatrack.content.registry_schema import ImprovedRule, load_registry_content
    from sciatrack.content.rules_loader import get_questionnaire
    from sciatrack.registry.bulk import insert_rows
    from sciatrack.registry.cohort import Cohort
    from sciatrack.registry.generate import CLINIC_PREFIX, generate_registry
    from sciatrack.registry.models import RegistryCase, RegistryFollowUp
    from sciatrack.registry.report import cohort_report
    from sciatrack.registry.summary import rebuild_all, refresh_stale

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(f"PostgreSQL {version}, {os.cpu_count()} cores; database {BENCH_DATABASE} (fresh)")
    print(f"\n-- generating {PATIENTS:,} patients (seed {SEED})", flush=True)
    began = time.perf_counter()
    summary = generate_registry(PATIENTS, SEED, progress=lambda line: print(line, flush=True))
    generated = time.perf_counter() - began
    print()
    for line in summary.lines():
        print(f"  {line}")
    print(f"generation: {generated:.1f} s for {PATIENTS:,} patients, {verdict(generated, TARGET_GENERATE)}")

    # The filtered cohort: the first generated clinic, the half year starting a year after the first
    # enrolment.
    clinic = Clinic.objects.filter(slug__startswith=CLINIC_PREFIX).order_by("slug").first()
    assert clinic is not None
    first_day = RegistryCase.objects.order_by("enrolled_on").values_list("enrolled_on", flat=True).first()
    assert first_day is not None
    start, end = first_day + timedelta(days=365), first_day + timedelta(days=365 + 181)
    in_cohort = RegistryCase.objects.filter(clinic=clinic, enrolled_on__range=(start, end)).count()
    print(f"\nfiltered cohort: {clinic.slug}, enrolled {start} to {end}: {in_cohort:,} patients")

    content = load_registry_content()
    definition = content.outcome(BASELINE_OUTCOME)
    rule = definition.rule
    assert isinstance(rule, ImprovedRule)
    change = get_questionnaire(rule.minimal_important_change_of).minimal_important_change
    window = {
        "first_day": definition.first_day,
        "last_day": definition.last_day,
        "target_day": definition.target_day,
        "points": change.points,
        "percent": change.percent,
        # Percent counts only above this first score (and never from 0, which has no percent).
        "percent_floor": max(change.percent_when_first_above or 0, 0),
    }

    def raw(query: str, where: str, params: dict[str, Any]) -> Callable[[], list[tuple[Any, ...]]]:
        def run() -> list[tuple[Any, ...]]:
            with connection.cursor() as cursor:
                cursor.execute(query.format(where=where), params)
                return list(cursor.fetchall())

        return run

    network_filter: tuple[str, dict[str, Any]] = ("TRUE", {})
    clinic_filter = (
        "clinic_id = %(clinic)s AND enrolled_on BETWEEN %(start)s AND %(end)s",
        {"clinic": clinic.id, "start": start, "end": end},
    )

    def report(params: dict[str, Any]) -> Callable[[], Any]:
        cohort = Cohort.from_params(params, None)
        return lambda: cohort_report(cohort, 10)

    network_report = report({})
    filtered_report = report({"clinic": [clinic.slug], "from": str(start), "to": str(end)})
    report_name = "report.cohort_report (every definition, time to response)"

    print(f"\n-- reports ({report_name}; median of {REPEATS} after a warm-up)")
    print(f"{'cohort':<10}{'report s':>10}{'baseline s':>12}{'baseline/report':>17}  target")
    for name, run_report, where, target in (
        ("network", network_report, network_filter, TARGET_NETWORK),
        ("filtered", filtered_report, clinic_filter, TARGET_FILTERED),
    ):
        report_seconds, _ = median_seconds(run_report)
        baseline_seconds, statuses = median_seconds(raw(BASELINE_SQL, where[0], {**where[1], **window}))
        ratio = baseline_seconds / report_seconds if report_seconds else float("inf")
        print(
            f"{name:<10}{report_seconds:>10.3f}{baseline_seconds:>12.3f}{ratio:>17.1f}  "
            f"{verdict(report_seconds, target)}"
        )
        print(f"{'':<10}baseline statuses (-1 missing, 0 not met, 1 met): {dict(statuses)}")
    print(
        f"baseline: raw SQL over cases and follow-ups for {BASELINE_OUTCOME} only (window rule in SQL), "
        "no time-to-response curve"
    )

    print(f"\n-- incremental refresh: a new follow-up for {NEW_FOLLOW_UPS:,} random cases")
    rng = random.Random(SEED)
    top = RegistryCase.objects.order_by("-id").values_list("id", flat=True).first()
    assert top is not None
    case_ids = sorted(rng.sample(range(top - PATIENTS + 1, top + 1), min(NEW_FOLLOW_UPS, PATIENTS)))
    rows = [
        (case_id, rng.randint(70, 112), rng.randint(0, 10), rng.randint(0, 10), None) for case_id in case_ids
    ]
    began = time.perf_counter()
    insert_rows(RegistryFollowUp, ("case_id", "day", "leg_pain", "back_pain", "sbi"), rows)
    RegistryCase.objects.filter(id__in=case_ids).update(stale=True)
    marked = time.perf_counter() - began
    began = time.perf_counter()
    refreshed = refresh_stale()
    refresh_seconds = time.perf_counter() - began
    print(f"insert and mark stale: {marked:.3f} s")
    print(f"refresh_stale(): {refreshed:,} cases in {refresh_seconds:.3f} s")
    if FULL_REBUILD:
        began = time.perf_counter()
        rebuilt = rebuild_all()
        rebuild_seconds = time.perf_counter() - began
        print(
            f"rebuild_all(): {rebuilt:,} cases in {rebuild_seconds:.1f} s "
            f"({rebuild_seconds / refresh_seconds:.0f} times the incremental refresh)"
        )
    else:
        print("rebuild_all() not timed (set BENCH_REGISTRY_FULL_REBUILD=1 to compare)")


def main() -> int:
    print(f"bench_registry: {PATIENTS:,} patients on PostgreSQL")
    try:
        psycopg.connect(**connect_kwargs(SERVER_URL)).close()
    except psycopg.Error as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        print(
            f"skipped: PostgreSQL is not reachable at {SERVER_URL} ({first_line}); "
            "set DATABASE_URL to a server where this user may create databases"
        )
        return 0
    url = bench_url(SERVER_URL)
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(BENCH_DATABASE))
    try:
        admin(SERVER_URL, drop)
        admin(SERVER_URL, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DATABASE)))
    except psycopg.Error as error:
        print(f"skipped: cannot create the database {BENCH_DATABASE}: {error}")
        return 0
    try:
        env = {**os.environ, "DATABASE_URL": url}
        migrated = subprocess.run(
            [str(SCIATRACK), "migrate", "--verbosity", "0"], env=env, cwd=ROOT, capture_output=True, text=True
        )
        if migrated.returncode != 0:
            print(f"bench_registry: could not migrate {BENCH_DATABASE}:\n{migrated.stdout}{migrated.stderr}")
            return 0
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sciatrack.settings")
        import django

        django.setup()
        from django.db import connections

        try:
            measure()
        finally:
            connections.close_all()
    except Exception as error:  # a benchmark reports what went wrong; it never fails the build
        print(f"bench_registry: could not measure: {type(error).__name__}: {error}")
    finally:
        try:
            if KEEP:
                print(f"bench_registry: kept the database {BENCH_DATABASE} (BENCH_REGISTRY_KEEP=1)")
            else:
                admin(SERVER_URL, drop)
        except psycopg.Error as error:
            print(f"bench_registry: could not drop {BENCH_DATABASE}: {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
