"""``sciatrack report``: the demo patient's progress report and data, written from a fresh database."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

SCIATRACK = Path(sys.executable).with_name("sciatrack")


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A SQLite file with the demo loaded (always SQLite: this is what ``make run`` gives a new user)."""
    home = tmp_path_factory.mktemp("report")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"SQLITE_PATH": str(home / "demo.sqlite3"), "SCIATRACK_HOME": str(home)})
    for args in (["migrate", "--verbosity", "0"], ["demo"]):
        result = subprocess.run([str(SCIATRACK), *args], capture_output=True, text=True, timeout=120, env=env)
        assert result.returncode == 0, result.stderr
    return env


def report(env: dict[str, str], *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCIATRACK), "report", *args], capture_output=True, text=True, timeout=120, env=env, cwd=cwd
    )


def test_it_writes_the_demo_patients_report_as_pdf(demo_env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "pat.pdf"
    result = report(demo_env, "--patient", "patient", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert f"to {out}" in result.stdout
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(out).pages)
    assert "Progress report: Pat Lee" in text
    assert "Leg pain down from" in text
    assert "Measures against the first check" in text


def test_it_writes_the_data_as_csv(demo_env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "pat.csv"
    assert report(demo_env, "--patient", "patient", "--out", str(out)).returncode == 0
    rows = list(csv.reader(out.open()))
    assert rows[0] == ["record", "date", "field", "value"]
    assert {row[0] for row in rows[1:]} == {"check", "diary", "session"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--patient", "nobody", "--out", "x.pdf"], "--patient: no patient 'nobody'"),
        (["--patient", "patient", "--out", "x.docx"], "--out: 'x.docx' must end in .pdf or .csv"),
        (["--patient", "patient", "--out", "/no/such/folder/x.pdf"], "--out: the folder '/no/such/folder'"),
    ],
)
def test_it_names_the_bad_option_and_writes_nothing(
    demo_env: dict[str, str], tmp_path: Path, args: list[str], message: str
) -> None:
    result = report(demo_env, *args, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []
