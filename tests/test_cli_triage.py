"""``sciatrack triage`` as the spec's section 4 describes it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from vignettes import assert_triage_as_expected, load_vignettes, vignette_dir

SCIATRACK = str(Path(sys.executable).with_name("sciatrack"))
VIGNETTES = load_vignettes()


def triage(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SCIATRACK, "triage", *args], capture_output=True, text=True, input=stdin, timeout=60
    )


@pytest.mark.parametrize("name", VIGNETTES)
def test_it_prints_the_tier_of_every_vignette_as_json(tmp_path: Path, name: str) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(VIGNETTES[name]["answers"]))
    result = triage("--answers", str(answers), "--json")
    assert result.returncode == 0, result.stderr
    assert_triage_as_expected(json.loads(result.stdout), VIGNETTES[name]["expect"])


def test_it_prints_plain_words_without_json() -> None:
    result = triage("--answers", str(vignette_dir() / "cauda-equina-bladder.json"))
    # The vignette file wraps the answers; this must be refused, naming the unknown keys.
    assert result.returncode == 2
    assert "answers" in result.stderr
    assert result.stdout == ""
    answers = json.dumps(VIGNETTES["cauda-equina-bladder"]["answers"])
    result = triage("--answers", "-", "--emergency-number", "112", stdin=answers)
    assert result.returncode == 0, result.stderr
    assert "emergency" in result.stdout.lower()
    assert "112" in result.stdout


def test_it_exits_2_on_invalid_json(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{ nope")
    result = triage("--answers", str(bad), "--json")
    assert result.returncode == 2
    assert "not valid JSON" in result.stderr
    assert result.stdout == ""


def test_it_exits_2_naming_each_bad_field(tmp_path: Path) -> None:
    answers = dict(VIGNETTES["disc-pattern-self-care"]["answers"])
    answers["pain"] = {"leg_now": 11, "back_now": 3}
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers))
    result = triage("--answers", str(path), "--json")
    assert result.returncode == 2
    assert "pain.leg_now" in result.stderr
    assert result.stdout == ""


def test_it_names_a_missing_file() -> None:
    result = triage("--answers", "/nonexistent/answers.json")
    assert result.returncode == 2
    assert "cannot read" in result.stderr
