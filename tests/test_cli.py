"""The ``sciatrack`` console command, run as a user runs it: in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sciatrack.demo import DEMO_REGISTRY_CLINICS, DEMO_REGISTRY_PATIENTS

SCIATRACK = Path(sys.executable).with_name("sciatrack")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCIATRACK), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.parametrize("command", [[], ["serve"], ["migrate"], ["demo"], ["content", "check"], ["manage"]])
def test_it_documents_every_command(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert "usage: sciatrack" in result.stdout


def test_it_passes_the_shipped_content_check() -> None:
    result = run("content", "check")
    assert result.returncode == 0, result.stderr
    assert "content OK" in result.stdout


def test_it_reports_broken_content_with_file_and_field(tmp_path: Path) -> None:
    from sciatrack.content.check import check_content

    shipped = Path(__file__).resolve().parents[1] / "src" / "sciatrack" / "content"
    broken = tmp_path / "content"
    subprocess.run(["cp", "-r", str(shipped), str(broken)], check=True)
    target = broken / "exercises" / "glute-activation.yaml"
    target.write_text(target.read_text().replace("reps: 10", "reps: -3", 1))
    result = run("content", "check", "--root", str(broken))
    assert result.returncode == 2
    assert "glute-activation.yaml" in result.stderr
    assert "dosage.reps" in result.stderr
    assert check_content(broken), "the same problem should be found in-process"


def test_it_loads_the_demo_twice_without_duplicates_into_a_wal_database(tmp_path: Path) -> None:
    # Always SQLite here, even in the PostgreSQL pass: this checks the file a new user gets.
    base_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env = {"SQLITE_PATH": str(tmp_path / "demo.sqlite3"), "SCIATRACK_HOME": str(tmp_path)}
    for _ in range(2):
        for args in (["migrate", "--verbosity", "0"], ["demo"]):
            result = subprocess.run(
                [str(SCIATRACK), *args], capture_output=True, text=True, timeout=120, env={**base_env, **env}
            )
            assert result.returncode == 0, result.stderr
    assert "kept patient: patient / sciatrack-demo" in result.stdout
    assert "kept the synthetic registry network" in result.stdout
    import sqlite3

    with sqlite3.connect(tmp_path / "demo.sqlite3") as db:
        usernames = sorted(row[0] for row in db.execute("select username from auth_user"))
        journal_mode = db.execute("pragma journal_mode").fetchone()[0]
        generated = "select count(*) from accounts_clinic where slug like 'registry-%'"
        clinics = db.execute(generated).fetchone()[0]
        cases = db.execute("select count(*) from registry_registrycase").fetchone()[0]
    assert usernames == ["admin", "clinician", "nora", "patient", "sam", "wes"]
    assert journal_mode == "wal"
    # The synthetic network, made once, and the four demo patients of the demo clinic.
    assert (clinics, cases) == (DEMO_REGISTRY_CLINICS, DEMO_REGISTRY_PATIENTS + 4)


def test_it_refuses_demo_accounts_in_production(tmp_path: Path) -> None:
    result = run(
        "demo", env={"DEBUG": "false", "SECRET_KEY": "x" * 50, "SQLITE_PATH": str(tmp_path / "p.db")}
    )
    assert result.returncode == 2
    assert "refusing" in result.stderr
