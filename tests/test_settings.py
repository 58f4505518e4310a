"""Settings read from the environment, checked in a fresh interpreter each time."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRINT_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'debug': s.DEBUG, 'key': s.SECRET_KEY, 'engine': s.DATABASES['default']['ENGINE'],"
    " 'options': s.DATABASES['default'].get('OPTIONS', {}), 'hosts': s.ALLOWED_HOSTS,"
    " 'conn_max_age': s.DATABASES['default']['CONN_MAX_AGE']}))"
)


def settings_with(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG")}
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        capture_output=True,
        text=True,
        env={**base, "DJANGO_SETTINGS_MODULE": "sciatrack.settings", **env},
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


def test_it_passes_djangos_deployment_checks_in_production() -> None:
    # DJANGO_ALLOW_ASYNC_UNSAFE is the test suite's own (see conftest.py), never a deployment's.
    unset = ("DATABASE_URL", "SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    base = {k: v for k, v in os.environ.items() if k not in unset}
    env = {
        **base,
        "DEBUG": "false",
        "SECRET_KEY": "p" * 60 + "-a-long-random-enough-value",
        "ALLOWED_HOSTS": "a.org",
    }
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("sciatrack")),
            "manage",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
