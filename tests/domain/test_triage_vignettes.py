"""Every vignette of the shared contract through the domain, unchanged.

The vignettes are read from the repository's copy (``SCIATRACK_VIGNETTES`` overrides, see
``tests/vignettes.py``); a missing folder fails collection instead of skipping.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sciatrack.domain.intake import parse_intake
from sciatrack.domain.programs import build_program, program_to_json
from sciatrack.domain.triage import result_to_json, triage
from vignettes import (
    DEFAULT_DIR,
    SHARED_DIR,
    assert_program_as_expected,
    assert_triage_as_expected,
    load_vignettes,
    vignette_dir,
)

VIGNETTES = load_vignettes()


def test_it_reads_the_repository_copy_of_the_vignettes_unless_told_otherwise() -> None:
    assert vignette_dir() == Path(os.environ.get("SCIATRACK_VIGNETTES", DEFAULT_DIR))
    assert len(VIGNETTES) >= 12


def test_it_keeps_the_copy_of_the_vignettes_equal_to_the_shared_contract() -> None:
    if not SHARED_DIR.is_dir():
        pytest.skip(f"no shared contract beside the repository ({SHARED_DIR}) to compare the copy with")
    shared = {path.name: path.read_bytes() for path in SHARED_DIR.glob("*.json")}
    copied = {path.name: path.read_bytes() for path in DEFAULT_DIR.glob("*.json")}
    assert copied == shared, "tests/data/vignettes differs from shared/vignettes: copy the new files over"


def test_it_fails_loudly_when_the_vignettes_are_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCIATRACK_VIGNETTES", str(tmp_path / "nowhere"))
    with pytest.raises(FileNotFoundError, match="SCIATRACK_VIGNETTES"):
        vignette_dir()


@pytest.mark.parametrize("name", VIGNETTES)
def test_it_gives_every_vignette_its_tier_place_and_program(name: str) -> None:
    vignette = VIGNETTES[name]
    answers = parse_intake(vignette["answers"])
    result = triage(answers)
    assert_triage_as_expected(result_to_json(result), vignette["expect"])
    assert_program_as_expected(program_to_json(build_program(answers, result)), vignette["expect"])
