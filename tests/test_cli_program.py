"""``sciatrack program`` as the spec's section 4 describes it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from vignettes import assert_program_as_expected, assert_triage_as_expected, load_vignettes

SCIATRACK = str(Path(sys.executable).with_name("sciatrack"))
VIGNETTES = load_vignettes()


def program(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SCIATRACK, "program", *args], capture_output=True, text=True, input=stdin, timeout=60
    )


@pytest.mark.parametrize("name", VIGNETTES)
def test_it_prints_the_triage_and_program_of_every_vignette_as_json(name: str) -> None:
    vignette = VIGNETTES[name]
    result = program("--answers", "-", "--json", stdin=json.dumps(vignette["answers"]))
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert set(body) == {"triage", "program"}
    assert_triage_as_expected(body["triage"], vignette["expect"])
    assert_program_as_expected(body["program"], vignette["expect"])
    if body["program"] is not None:
        assert all(exercise["dosage"]["frequency"] for exercise in body["program"]["exercises"])


def test_it_prints_the_program_in_plain_words() -> None:
    answers = VIGNETTES["stenosis-pattern-no-extension"]["answers"]
    result = program("--answers", "-", stdin=json.dumps(answers))
    assert result.returncode == 0
    assert "Your home program:" in result.stdout
    assert "Left out for now:" in result.stdout
    assert "McKenzie press-up on the elbows:" in result.stdout


def test_it_says_there_is_no_program_after_an_emergency_triage() -> None:
    answers = VIGNETTES["cauda-equina-bladder"]["answers"]
    result = program("--answers", "-", stdin=json.dumps(answers))
    assert result.returncode == 0
    assert "No home program" in result.stdout


def test_it_exits_2_naming_each_bad_field(tmp_path: Path) -> None:
    answers = dict(VIGNETTES["disc-pattern-self-care"]["answers"], age=7)
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers))
    result = program("--answers", str(path), "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "age:" in result.stderr
