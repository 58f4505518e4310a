"""The clinical vignettes of the shared contract, as the tests read them.

The repository keeps a copy in ``tests/data/vignettes`` so a clean clone tests itself anywhere;
``SCIATRACK_VIGNETTES`` points at another folder (for example a newer ``shared/vignettes``).
``test_triage_vignettes`` checks the copy against ``shared/vignettes`` beside the repository when that
folder exists. A missing or empty folder fails loudly: the safety cases are never skipped unnoticed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

DEFAULT_DIR = Path(__file__).resolve().parent / "data" / "vignettes"
SHARED_DIR = Path(__file__).resolve().parents[2] / "shared" / "vignettes"


def vignette_dir() -> Path:
    directory = Path(os.environ.get("SCIATRACK_VIGNETTES", DEFAULT_DIR))
    if not directory.is_dir() or not any(directory.glob("*.json")):
        raise FileNotFoundError(f"no vignettes in {directory}: set SCIATRACK_VIGNETTES to the folder")
    return directory


def load_vignettes() -> dict[str, dict[str, Any]]:
    """Every vignette by file stem, in name order."""
    return {path.stem: json.loads(path.read_text()) for path in sorted(vignette_dir().glob("*.json"))}


def vignette_answers(name: str) -> dict[str, Any]:
    """The intake answers of one vignette."""
    answers: dict[str, Any] = load_vignettes()[name]["answers"]
    return answers


def assert_triage_as_expected(body: dict[str, Any], expect: dict[str, Any]) -> None:
    """A triage result's JSON agrees with a vignette's ``expect``: tier, where and what was not asked."""
    assert body["tier"] == expect["tier"]
    assert body["where"] == expect["where"]
    assert body["not_asked"] == expect.get("not_asked", [])
    assert bool(body["not_asked_notice"]) is bool(body["not_asked"])
    assert body["exercise_allowed"] is (body["tier"] in ("routine", "self_care"))
    assert bool(body["reasons"]) is (body["tier"] != "self_care")
    assert all(set(reason) >= {"rule", "text", "where"} for reason in body["reasons"])


def assert_program_as_expected(program: dict[str, Any] | None, expect: dict[str, Any]) -> None:
    """A program's JSON agrees with a vignette's ``expect``: none, or what it includes and leaves out."""
    if "program" in expect:
        assert expect["program"] is None and program is None
        return
    assert program is not None
    given = [exercise["id"] for exercise in program["exercises"]]
    left_out = [item["id"] for item in program["left_out"]]
    for exercise_id in expect.get("program_includes", []):
        assert exercise_id in given
    for exercise_id in expect.get("program_excludes", []):
        assert exercise_id not in given and exercise_id in left_out
