"""The exercise library's safety content: positions, side-lying notes, shared stop rules, pregnancy."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from sciatrack.content.check import check_content
from sciatrack.content.loader import CONTENT_DIR, check_exercises, load_common_stop_rules
from sciatrack.content.program_loader import check_program_rules


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return root


def change(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(root: Path) -> list[str]:
    return [str(problem) for problem in check_exercises(root)]


def test_the_shipped_content_has_no_problem() -> None:
    assert check_exercises(CONTENT_DIR) == []
    assert check_content() == []


def test_it_refuses_a_back_lying_exercise_without_the_side_lying_way(content: Path) -> None:
    path = content / "exercises" / "heel-slides.yaml"
    path.write_text(re.sub(r"side_lying: >-\n(  .*\n)+", "", path.read_text()), encoding="utf-8")
    found = problems(content)
    assert any(
        line.startswith("exercises/heel-slides.yaml: side_lying:") and "lying on the side" in line
        for line in found
    ), found


def test_it_refuses_a_side_lying_way_for_an_exercise_not_on_the_back(content: Path) -> None:
    change(content, "exercises/hip-holds.yaml", "position: standing\n", "position: standing\nside_lying: x\n")
    found = problems(content)
    assert any(line.startswith("exercises/hip-holds.yaml: side_lying:") for line in found), found


def test_it_refuses_an_unknown_position(content: Path) -> None:
    change(content, "exercises/lift-off.yaml", "position: face_down", "position: kneeling")
    found = problems(content)
    assert any(line.startswith("exercises/lift-off.yaml: position:") for line in found), found


def test_it_needs_all_four_shared_stop_rules(content: Path) -> None:
    path = content / "stop_rules.yaml"
    path.write_text(re.sub(r"spreading: >-\n(  .*\n)+", "", path.read_text()), encoding="utf-8")
    found = problems(content)
    assert any(line.startswith("stop_rules.yaml: spreading:") for line in found), found


def test_it_refuses_an_own_stop_rule_that_repeats_a_shared_one(content: Path) -> None:
    shared = load_common_stop_rules().new_leg_pain
    change(content, "exercises/hip-holds.yaml", "cautions:\n", f"stop_rules:\n  - {shared}\ncautions:\n")
    found = problems(content)
    assert any(
        line.startswith("exercises/hip-holds.yaml: stop_rules:") and "every exercise" in line
        for line in found
    ), found


def test_it_checks_the_pregnancy_file(content: Path) -> None:
    change(content, "pregnancy.yaml", "flag: pregnant_or_postpartum", "flag: pregnant")
    change(content, "pregnancy.yaml", "  signs:\n", "  signs: []\n  old_signs:\n")
    found = problems(content)
    assert any(line.startswith("pregnancy.yaml: flag:") and "red-flag key" in line for line in found), found
    assert any(line.startswith("pregnancy.yaml: warning.signs:") for line in found), found


def test_it_refuses_an_unknown_flag_in_a_program_rule(content: Path) -> None:
    change(content, "program_rules.yaml", "flags_any: [pregnant_or_postpartum]", "flags_any: [pregnancy]")
    found = [str(problem) for problem in check_program_rules(content)]
    assert any("flags_any[0]" in line and "pregnancy" in line for line in found), found
