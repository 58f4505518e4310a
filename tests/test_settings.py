"""Settings read from the environment, checked in a fresh interpreter each time."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sciatrack.care.checks import emergency_number_problems, emergency_number_shown

ROOT = Path(__file__).resolve().parents[1]
SCIATRACK = Path(sys.executable).with_name("sciatrack")
PRINT_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'debug': s.DEBUG, 'key': s.SECRET_KEY, 'engine': s.DATABASES['default']['ENGINE'],"
    " 'options': s.DATABASES['default'].get('OPTIONS', {}), 'hosts': s.ALLOWED_HOSTS,"
    " 'conn_max_age': s.DATABASES['default']['CONN_MAX_AGE'], 'emergency': s.SCIATRACK_EMERGENCY_NUMBER}))"
)
# Read from the environment by the settings under test, so never inherited from the one running the tests.
# DJANGO_ALLOW_ASYNC_UNSAFE is the test suite's own (see conftest.py), never a deployment's.
UNSET = ("DATABASE_URL", "SECRET_KEY", "DEBUG", "SCIATRACK_EMERGENCY_NUMBER", "DJANGO_ALLOW_ASYNC_UNSAFE")
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "p" * 60 + "-a-long-random-enough-value",
    "ALLOWED_HOSTS": "a.org",
}


def clean_env(env: dict[str, str]) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if k not in UNSET}, **env}


def settings_with(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        capture_output=True,
        text=True,
        env=clean_env({"DJANGO_SETTINGS_MODULE": "sciatrack.settings", **env}),
        timeout=60,
    )


def test_it_refuses_the_default_secret_in_production() -> None:
    result = settings_with({"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_it_reads_the_secret_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("a-very-long-production-secret-value-0123456789\n")
    result = settings_with(
        {"DEBUG": "false", "SECRET_KEY_FILE": str(secret), "ALLOWED_HOSTS": "care.example"}
    )
    assert result.returncode == 0, result.stderr
    assert '"key": "a-very-long-production-secret-value-0123456789"' in result.stdout
    assert '"hosts": ["care.example"]' in result.stdout


def test_it_names_a_bad_debug_value() -> None:
    result = settings_with({"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_it_uses_sqlite_in_wal_mode_with_immediate_transactions() -> None:
    result = settings_with({})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["engine"] == "sciatrack.db.sqlite"
    assert json.loads(result.stdout)["conn_max_age"] == 60  # kept open: reconnecting costs a page's time
    assert "journal_mode=WAL" in result.stdout
    assert '"transaction_mode": "IMMEDIATE"' in result.stdout


def test_it_uses_postgres_from_database_url() -> None:
    result = settings_with({"DATABASE_URL": "postgres://someone@db.example:5432/care"})
    assert result.returncode == 0, result.stderr
    assert "postgresql" in result.stdout


def test_it_documents_every_environment_variable_in_the_readme() -> None:
    settings_source = (ROOT / "src" / "sciatrack" / "settings.py").read_text()
    read = set(re.findall(r"""(?:environ\.get|env_bool|env_secret)\(\s*"([A-Z_]+)\"""", settings_source))
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL"} <= read
    first_cells = re.findall(r"^\| ([^|]+) \|", (ROOT / "README.md").read_text(), flags=re.MULTILINE)
    documented = {name for cell in first_cells for name in re.findall(r"`([A-Z_]+)`", cell)}
    assert read - documented == set(), "settings read from the environment but missing from README.md"


def deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCIATRACK), "manage", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=clean_env(env),
        timeout=120,
    )


def test_it_passes_djangos_deployment_checks_in_production() -> None:
    result = deploy_check({**PRODUCTION, "SCIATRACK_EMERGENCY_NUMBER": "112"})
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "(sciatrack.I001) The emergency advice tells people to call 112" in output
    assert "WARNINGS" not in output


# --- the emergency number (spec section 6) --------------------------------------------------------------


def test_it_gives_911_in_development_and_no_default_in_production() -> None:
    development = settings_with({})
    assert development.returncode == 0, development.stderr
    assert json.loads(development.stdout)["emergency"] == "911"
    production = settings_with(PRODUCTION)
    assert production.returncode == 0, production.stderr
    assert json.loads(production.stdout)["emergency"] == ""
    chosen = settings_with({**PRODUCTION, "SCIATRACK_EMERGENCY_NUMBER": " 112 "})
    assert json.loads(chosen.stdout)["emergency"] == "112"


def test_the_deployment_check_refuses_production_without_an_emergency_number() -> None:
    result = deploy_check(PRODUCTION)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "(sciatrack.E001) SCIATRACK_EMERGENCY_NUMBER is not set" in output


@pytest.mark.parametrize("command", [["serve", "--port", "0", "--workers", "1"], ["migrate"]])
def test_serve_and_migrate_refuse_production_without_an_emergency_number(
    tmp_path: Path, command: list[str]
) -> None:
    # A migration may triage stored checks again (care 0006), and their advice names the number.
    result = subprocess.run(
        [str(SCIATRACK), *command],
        capture_output=True,
        text=True,
        env=clean_env({**PRODUCTION, "SCIATRACK_HOME": str(tmp_path)}),
        timeout=120,
    )
    assert result.returncode == 2
    assert "refusing to start" in result.stderr
    assert "(sciatrack.E001) SCIATRACK_EMERGENCY_NUMBER is not set" in result.stderr
    assert "serving" not in result.stdout
    assert not (tmp_path / "var").exists(), "nothing is created before the refusal"


def test_serve_refuses_an_odd_emergency_number_in_development(tmp_path: Path) -> None:
    env = {"SCIATRACK_HOME": str(tmp_path), "SCIATRACK_EMERGENCY_NUMBER": "nine one one"}
    result = subprocess.run(
        [str(SCIATRACK), "serve", "--port", "0", "--workers", "1"],
        capture_output=True,
        text=True,
        env=clean_env(env),
        timeout=120,
    )
    assert result.returncode == 2
    assert "(sciatrack.E002) SCIATRACK_EMERGENCY_NUMBER is 'nine one one'" in result.stderr


def test_serve_starts_in_production_with_an_emergency_number_and_says_which(tmp_path: Path) -> None:
    env = {**PRODUCTION, "SCIATRACK_HOME": str(tmp_path), "SCIATRACK_EMERGENCY_NUMBER": "999"}
    server = subprocess.Popen(
        [str(SCIATRACK), "serve", "--port", "0", "--workers", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(env),
    )
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline() for _ in range(2)]
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert lines[0].startswith("Sciatrack is serving on http://127.0.0.1:0/"), lines
    assert lines[1] == "The emergency advice tells people to call 999.\n"


@pytest.mark.parametrize("number", ["112", "999", "000", "911", "+1-800-555-0100", "0 800 11 11"])
def test_the_check_accepts_an_emergency_number(settings: Any, number: str) -> None:
    settings.SCIATRACK_EMERGENCY_NUMBER = number
    assert emergency_number_problems() == []
    [shown] = emergency_number_shown()
    assert shown.id == "sciatrack.I001"
    assert f"call {number} " in shown.msg


@pytest.mark.parametrize("debug", [True, False])
def test_the_check_refuses_a_missing_emergency_number(settings: Any, debug: bool) -> None:
    settings.DEBUG = debug
    settings.SCIATRACK_EMERGENCY_NUMBER = ""
    assert [problem.id for problem in emergency_number_problems()] == ["sciatrack.E001"]
    assert emergency_number_shown() == []


# Spaces only, no digit, words, other signs, too long, shell text, full-width digits, a line break.
@pytest.mark.parametrize(
    "number",
    ["   ", "-", "+ -", "call 911", "911!", "1" * 16, "112; rm -rf /", "\uff11\uff11\uff12", "112\n"],
)
def test_the_check_refuses_an_odd_emergency_number(settings: Any, number: str) -> None:
    settings.SCIATRACK_EMERGENCY_NUMBER = number
    [problem] = emergency_number_problems()
    assert problem.id == "sciatrack.E002"
    assert problem.is_serious()
    assert emergency_number_shown() == []
