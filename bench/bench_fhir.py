"""Benchmark: the FHIR bulk export of a clinic, against streaming the same rows as plain JSON lines.

In a temporary folder with a fresh SQLite database (migrated with ``sciatrack migrate``, deleted at the
end), for each clinic size of ``BENCH_FHIR_PATIENTS`` (default ``10000,100000``; e.g. ``2000,10000`` for a
quick run) it:

1. generates a clinic of that many patients with ``sciatrack.db.care_records.generate_clinic`` (checks
   with follow-ups, programs, session logs, diary days) and prints the rows and seconds;
2. times (a) the baseline: the same rows, read by the same querysets, relations and chunk sizes as
   the export (``fhir.bulk.clinic_tables``), each written as one line of ``json.dumps`` of its own
   fields; and (b) ``fhir.bulk.export_clinic`` into a folder;
3. prints the rows per second of each, the ratio (b)/(a) of the two rates (target >= 0.5), and each
   export's peak memory.

Each export runs in a child process of its own, and its peak memory is that process's peak resident set
size (``resource.getrusage(RUSAGE_SELF).ru_maxrss`` read by the child as it ends): the interpreter and
Django included, the same for both sizes. Memory is *flat* when the peak at the largest size is within
1.25 times the peak at the smallest.

Run it with ``make bench`` or ``.venv/bin/python bench/bench_fhir.py``. It reports; it never fails the
build.
"""

from __future__ import annotations

import json
import os
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCIATRACK = Path(sys.executable).parent / "sciatrack"
SIZES = [int(size) for size in os.environ.get("BENCH_FHIR_PATIENTS", "10000,100000").split(",") if size]
SEED = 1
TARGET_RATIO = 0.5
GENERATOR_PRAGMAS = ("journal_mode=OFF", "synchronous=OFF", "cache_size=-262144")
FLAT = 1.25


# --- in a child process, inside the benchmark's database ----------------------------------------------


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sciatrack.settings")
    import django

    django.setup()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux gives kilobytes


def child_generate(slug: str, patients: int) -> dict[str, Any]:
    from django.db import connection

    from sciatrack.db.care_records import generate_clinic

    with connection.cursor() as cursor:
        # A throwaway file: nothing to keep safe from a crash, so no journal and no waiting for the disk,
        # and a page cache big enough for the tables' indexes (the load's own process, not measured).
        for pragma in GENERATOR_PRAGMAS:
            cursor.execute(f"PRAGMA {pragma}")
    made = generate_clinic(slug, patients, SEED)
    return {
        "seconds": made.seconds,
        "rows": made.rows,
        "counts": {
            "patients": made.patients,
            "checks": made.intakes,
            "programs": made.programs,
            "program changes": made.program_changes,
            "sessions": made.sessions,
            "diary days": made.diary_days,
        },
        "peak_mb": peak_rss_mb(),
    }


def child_plain(slug: str, out: Path) -> dict[str, Any]:
    """The baseline: every row of the export's querysets as one JSON line of its own fields."""
    from sciatrack.accounts.models import Clinic, Patient
    from sciatrack.fhir.bulk import CHUNK, clinic_tables

    clinic = Clinic.objects.get(slug=slug)
    out.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    rows = 0
    patients = Patient.objects.filter(clinic=clinic).select_related("clinic").order_by("pk")
    tables = [("patients", patients, CHUNK)]
    tables += [(table.name, table.rows, table.chunk) for table in clinic_tables(clinic)]
    for name, queryset, chunk in tables:
        fields = [field.attname for field in queryset.model._meta.concrete_fields]
        with (out / f"{name.replace(' ', '-')}.jsonl").open("wb", buffering=1 << 20) as stream:
            for row in queryset.iterator(chunk_size=chunk):
                line = json.dumps({name: getattr(row, name) for name in fields}, default=str)
                stream.write((line + "\n").encode("utf-8"))
                rows += 1
    return {"seconds": time.perf_counter() - began, "rows": rows, "peak_mb": peak_rss_mb()}


def child_fhir(slug: str, out: Path) -> dict[str, Any]:
    from sciatrack.accounts.models import Clinic
    from sciatrack.fhir.bulk import export_clinic

    clinic = Clinic.objects.get(slug=slug)
    began = time.perf_counter()
    counts = export_clinic(clinic, out)
    seconds = time.perf_counter() - began
    return {"seconds": seconds, "counts": counts, "peak_mb": peak_rss_mb()}


def child(argv: list[str]) -> None:
    setup_django()
    action, slug, value = argv
    if action == "generate":
        result = child_generate(slug, int(value))
    elif action == "plain":
        result = child_plain(slug, Path(value))
    else:
        result = child_fhir(slug, Path(value))
    print(json.dumps(result))


# --- the benchmark ---------------------------------------------------------------------------------


def run_child(env: dict[str, str], *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"{args[0]} failed:\n{done.stdout}{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def folder_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.iterdir()) / 1e6


def measure(folder: Path, env: dict[str, str]) -> None:
    peaks: dict[int, tuple[float, float]] = {}
    print(f"{'patients':>9} {'rows':>10} {'plain s':>8} {'plain rows/s':>13} {'fhir s':>8} "
          f"{'fhir rows/s':>12} {'ratio':>6}  target   {'plain MB':>8} {'fhir MB':>8}")  # fmt: skip
    for patients in SIZES:
        slug = f"bench-{patients}"
        made = run_child(env, "generate", slug, str(patients))
        print(
            f"-- generated {slug}: {made['rows']:,} rows in {made['seconds']:.1f} s "
            f"({made['rows'] / made['seconds']:,.0f} rows/s): "
            + ", ".join(f"{count:,} {name}" for name, count in made["counts"].items()),
            flush=True,
        )
        plain = run_child(env, "plain", slug, str(folder / f"plain-{patients}"))
        fhir = run_child(env, "fhir", slug, str(folder / f"fhir-{patients}"))
        rows = plain["rows"]
        assert rows == made["rows"] - made["counts"]["program changes"], (rows, made["rows"])
        plain_rate, fhir_rate = rows / plain["seconds"], rows / fhir["seconds"]
        ratio = fhir_rate / plain_rate
        verdict = f">= {TARGET_RATIO} {'met' if ratio >= TARGET_RATIO else 'MISSED'}"
        line = (
            f"{patients:>9,} {rows:>10,} {plain['seconds']:>8.1f} {plain_rate:>13,.0f} "
            f"{fhir['seconds']:>8.1f} {fhir_rate:>12,.0f} {ratio:>6.2f}  {verdict:<8} "
            f"{plain['peak_mb']:>8.0f} {fhir['peak_mb']:>8.0f}"
        )
        print(line, flush=True)
        resources = sum(fhir["counts"].values())
        print(
            f"   fhir: {resources:,} resources ({resources / fhir['seconds']:,.0f}/s), "
            f"{folder_mb(folder / f'fhir-{patients}'):,.0f} MB of NDJSON; plain: "
            f"{folder_mb(folder / f'plain-{patients}'):,.0f} MB; per type: "
            + ", ".join(f"{kind} {count:,}" for kind, count in fhir["counts"].items()),
            flush=True,
        )
        peaks[patients] = (plain["peak_mb"], fhir["peak_mb"])
        shutil.rmtree(folder / f"plain-{patients}")
        shutil.rmtree(folder / f"fhir-{patients}")
    print("\nrows: the database rows read (patients, checks, programs, sessions, diary days)")
    print("ratio: fhir rows/s over plain rows/s; memory: peak RSS (ru_maxrss) of each export's own process")
    if len(peaks) > 1:
        small, large = min(peaks), max(peaks)
        for index, name in ((0, "plain"), (1, "fhir")):
            grown = peaks[large][index] / peaks[small][index]
            flat = "flat" if grown <= FLAT else "NOT flat"
            print(f"{name} peak memory at {large:,} is {grown:.2f}x that at {small:,} (<= {FLAT}x: {flat})")


def main() -> int:
    sizes = ", ".join(f"{size:,}" for size in SIZES)
    print(f"bench_fhir: clinics of {sizes} patients on SQLite, {os.cpu_count()} cores")
    folder = Path(tempfile.mkdtemp(prefix="sciatrack-bench-fhir-"))
    try:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "SCIATRACK_HOME": str(folder),
            # As in production: with DEBUG on, Django keeps every statement it runs (the last 9,000).
            "DEBUG": "0",
            "SCIATRACK_EMERGENCY_NUMBER": os.environ.get("SCIATRACK_EMERGENCY_NUMBER", "911"),
        }
        migrated = subprocess.run(
            [str(SCIATRACK), "migrate", "--verbosity", "0"], env=env, cwd=ROOT, capture_output=True, text=True
        )
        if migrated.returncode != 0:
            print(f"bench_fhir: could not migrate:\n{migrated.stdout}{migrated.stderr}")
            return 0
        measure(folder, env)
    except Exception as error:  # a benchmark reports what went wrong; it never fails the build
        print(f"bench_fhir: could not measure: {type(error).__name__}: {error}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2:])
        sys.exit(0)
    sys.exit(main())
