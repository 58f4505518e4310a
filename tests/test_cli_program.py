"""``sciatrack program`` as the spec's section 4 describes it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sciatrack.content.dosage_text import PROJECT_DOSE_MARK
from sciatrack.content.loader import load_exercises
from sciatrack.content.schema import DosageSource
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


def test_it_marks_the_projects_own_doses_in_plain_words_and_only_those() -> None:
    answers = VIGNETTES["stenosis-pattern-no-extension"]["answers"]
    result = program("--answers", "-", stdin=json.dumps(answers))
    assert result.returncode == 0, result.stderr
    library = {exercise.name: exercise for exercise in load_exercises().values()}
    # Each exercise is a block: "N. Name", its dosage, maybe the mark, then its stop rules.
    blocks = re.findall(
        r"^\d+\. (.+)\n((?:.+\n?)*)", result.stdout.split("Your home program:")[1], re.MULTILINE
    )
    marked = {name: PROJECT_DOSE_MARK in body for name, body in blocks}
    assert set(marked.values()) == {True, False}
    for name, has_mark in marked.items():
        assert has_mark == (library[name].dosage.dosage_source is DosageSource.PROJECT), name
    assert "Sciatrack's starting dose: the source article gives no dosage for this exercise." in " ".join(
        result.stdout.split()
    )


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
