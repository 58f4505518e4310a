"""The program builder: every vignette's program, the stenosis and extension rules, and the rules file."""

from __future__ import annotations

from pathlib import Path

import pytest
from answers_factory import answers, answers_strategy
from hypothesis import given

from sciatrack.content.program_loader import check_program_rules, load_program_rules
from sciatrack.content.schema import EXERCISE_IDS
from sciatrack.domain.intake import parse_intake
from sciatrack.domain.programs import NOT_INDICATED, build_program, program_to_json
from sciatrack.domain.triage import triage
from vignettes import load_vignettes

VIGNETTES = load_vignettes()


@pytest.mark.parametrize("name", VIGNETTES)
def test_it_builds_the_program_every_vignette_expects(name: str) -> None:
    vignette = VIGNETTES[name]
    expect = vignette["expect"]
    program = build_program(parse_intake(vignette["answers"]))
    if "program" in expect:
        assert expect["program"] is None
        assert program is None
        return
    assert program is not None
    for exercise_id in expect.get("program_includes", []):
        assert exercise_id in program.exercise_ids
    for exercise_id in expect.get("program_excludes", []):
        assert exercise_id not in program.exercise_ids
        assert exercise_id in {item.id for item in program.left_out}


def test_it_gives_mckenzie_extension_at_the_source_dosage_for_an_extension_pattern() -> None:
    program = build_program(answers(worse_with=["sitting"], better_with=["walking"]))
    assert program is not None
    mckenzie = next(item for item in program.exercises if item.id == "mckenzie-extension")
    assert mckenzie.dosage.reps == 10
    assert (mckenzie.dosage.hold_seconds.min, mckenzie.dosage.hold_seconds.max) == (2, 3)  # type: ignore[union-attr]
    assert mckenzie.dosage.frequency == "every_waking_hour"
    assert mckenzie.dosage_text == "10 times, hold 2 to 3 seconds, every waking hour"


@pytest.mark.parametrize(
    ("worse", "better", "rule"),
    [
        (["sitting", "bending_backward"], ["walking"], "extension-worse-bending-backward"),
        (["walking", "standing"], ["sitting", "bending_forward"], "extension-stenosis-like"),
        (["walking"], ["sitting"], "extension-stenosis-like"),
        (["morning"], ["lying"], NOT_INDICATED),
    ],
)
def test_it_leaves_mckenzie_extension_out_and_says_why(
    worse: list[str], better: list[str], rule: str
) -> None:
    program = build_program(answers(worse_with=worse, better_with=better))
    assert program is not None
    assert "mckenzie-extension" not in program.exercise_ids
    left_out = {item.id: item for item in program.left_out}
    assert left_out["mckenzie-extension"].rule == rule
    assert left_out["mckenzie-extension"].reason


@given(answers_strategy())
def test_it_never_gives_extension_when_bending_backward_hurts_or_to_a_stenosis_pattern(intake) -> None:  # type: ignore[no-untyped-def]
    program = build_program(intake)
    if program is None:
        assert not triage(intake).exercise_allowed
        return
    stenosis = set(intake.better_with) & {"bending_forward", "sitting"} and set(intake.worse_with) & {
        "walking",
        "standing",
    }
    if "bending_backward" in intake.worse_with or stenosis:
        assert "mckenzie-extension" not in program.exercise_ids
    # Every exercise is either given or left out with a reason, never silently dropped.
    assert sorted(program.exercise_ids + tuple(item.id for item in program.left_out)) == sorted(EXERCISE_IDS)
    assert all(exercise.stop_rules for exercise in program.exercises)


def test_it_gives_no_program_when_the_triage_rules_out_exercise() -> None:
    assert build_program(answers(flags=["bladder_change"])) is None
    assert program_to_json(None) is None


def test_it_writes_the_program_in_the_fields_of_the_contract() -> None:
    document = program_to_json(build_program(answers()))
    assert document is not None
    first = document["exercises"][0]
    assert set(first) >= {"id", "dosage"}
    assert set(first["dosage"]) <= {
        "reps",
        "per_side",
        "hold_seconds",
        "duration_seconds",
        "reposition_every_seconds",
        "frequency",
        "times_per_day",
        "dosage_source",
        "frequency_source",
    }


def test_it_checks_the_program_rules_file(tmp_path: Path) -> None:
    assert load_program_rules().exercises  # the shipped file loads
    (tmp_path / "program_rules.yaml").write_text(
        "exercises:\n"
        "  - id: lift-off\n"
        "  - id: lift-off\n"
        "  - id: yoga\n"
        "    never_when:\n"
        "      - {id: x, reason: r, pattern_any: [sideways]}\n"
        "reference: {document: '003', note: n}\n"
    )
    problems = [str(problem) for problem in check_program_rules(tmp_path)]
    assert any("exercises[2].id" in problem and "yoga" in problem for problem in problems), problems
    assert any("pattern_any[0]" in problem and "sideways" in problem for problem in problems), problems
    (tmp_path / "program_rules.yaml").write_text(
        "exercises:\n"
        + "".join(f"  - id: {name}\n" for name in EXERCISE_IDS[:-1])
        + "reference: {document: '003', note: n}\n"
    )
    problems = [str(problem) for problem in check_program_rules(tmp_path)]
    assert any("missing: hip-flexor-activation" in problem for problem in problems), problems
