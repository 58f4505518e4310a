"""The program builder: every vignette's program, the stenosis and extension rules, and the rules file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from answers_factory import answers, answers_strategy
from hypothesis import given

from sciatrack.content.loader import load_common_stop_rules, load_exercises, load_pregnancy_advice
from sciatrack.content.program_loader import check_program_rules, load_program_rules
from sciatrack.content.program_schema import AnswerTest
from sciatrack.content.schema import EXERCISE_IDS, Dosage, Position
from sciatrack.domain.intake import IntakeAnswers, parse_intake
from sciatrack.domain.programs import (
    NOT_INDICATED,
    Program,
    answers_pass,
    build_program,
    for_pregnancy,
    program_exercise,
    program_to_json,
)
from sciatrack.domain.triage import triage
from sciatrack.domain.vocabulary import Pattern
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


# Pregnancy and the stop rules every exercise shares (spec section 3, version 2) ----------------------

PREGNANT = "pregnant_or_postpartum"


def calm(*flags: str, **changes: Any) -> IntakeAnswers:
    """A calm intake with an extension pattern (so the McKenzie press-up is indicated) and ``flags``."""
    fields: dict[str, Any] = {
        "age": 31,
        "onset_weeks": 3,
        "leg_pain": 4,
        "back_pain": 3,
        "regions": ("buttock", "back_of_thigh"),
        "side": "right",
        "sensations": ("dull_ache",),
        "worse_with": ("sitting", "bending_forward"),
        "better_with": ("walking",),
        "red_flags": frozenset(flags),
    }
    fields.update(changes)
    return IntakeAnswers(**fields)


def face_down() -> set[str]:
    return {key for key, item in load_exercises().items() if item.position is Position.FACE_DOWN}


def test_it_leaves_the_face_down_exercises_out_in_pregnancy_and_says_why() -> None:
    assert face_down() == {"lift-off", "mckenzie-extension"}
    not_pregnant = build_program(calm())
    assert not_pregnant is not None
    assert {"lift-off", "mckenzie-extension"} <= set(not_pregnant.exercise_ids)  # both indicated otherwise
    program = build_program(calm(PREGNANT))
    assert program is not None
    assert not set(program.exercise_ids) & face_down()
    left_out = {item.id: item for item in program.left_out}
    assert left_out["lift-off"].rule == "lift-off-pregnancy-face-down"
    assert left_out["mckenzie-extension"].rule == "extension-pregnancy-face-down"
    for item in (left_out["lift-off"], left_out["mckenzie-extension"]):
        assert "face down" in item.reason and "pregnant" in item.reason


@given(answers_strategy())
def test_it_never_gives_a_face_down_exercise_in_pregnancy(intake) -> None:  # type: ignore[no-untyped-def]
    program = build_program(replace(intake, red_flags=intake.red_flags | {PREGNANT}))
    if program is not None:
        assert not set(program.exercise_ids) & face_down()
        assert program.pregnancy_warning is not None


def test_it_says_how_to_do_each_back_lying_exercise_on_the_side_in_pregnancy() -> None:
    library = load_exercises()
    program = build_program(calm(PREGNANT))
    assert program is not None
    on_the_back = [item for item in program.exercises if library[item.id].position is Position.BACK]
    assert {item.id for item in on_the_back} == {"glute-activation", "heel-slides", "hip-flexor-activation"}
    for item in program.exercises:
        side_lying = library[item.id].side_lying
        if library[item.id].position is Position.BACK:
            assert side_lying is not None and item.pregnancy_note is not None
            assert "20 weeks pregnant" in item.pregnancy_note
            assert item.pregnancy_note.endswith(side_lying)
        else:
            assert item.pregnancy_note is None, item.id
    document = program_to_json(program)
    assert document is not None
    notes = {item["id"]: item["pregnancy_note"] for item in document["exercises"]}
    assert notes["heel-slides"] == next(
        item.pregnancy_note for item in on_the_back if item.id == "heel-slides"
    )
    assert notes["hip-holds"] is None  # done standing


def test_it_lists_the_pregnancy_warning_signs_only_in_pregnancy() -> None:
    document = program_to_json(build_program(calm(PREGNANT)))
    assert document is not None
    warning = document["pregnancy_warning"]
    assert "call your maternity unit now" in warning["action"]
    signs = " ".join(warning["signs"])
    for words in ("bleeding", "fluid leaking", "regular tightenings", "dizzy or faint", "calf"):
        assert words in signs, words
    assert warning["source"]["title"].startswith("ACOG Committee Opinion 804")
    assert "2020" in warning["source"]["title"]

    for answers_given in (calm(), calm("diabetes")):
        plain = program_to_json(build_program(answers_given))
        assert plain is not None
        assert plain["pregnancy_warning"] is None
        assert all(item["pregnancy_note"] is None for item in plain["exercises"])
        assert "pregnancy" not in " ".join(item["rule"] for item in plain["left_out"])


def test_the_pregnant_vignette_gets_its_program_with_the_warning() -> None:
    program = build_program(parse_intake(VIGNETTES["pregnant-extension-pattern-no-face-down"]["answers"]))
    assert program is not None
    assert program.pregnancy_warning is not None
    assert not set(program.exercise_ids) & face_down()


def test_it_adds_the_pregnancy_advice_to_a_stored_program_without_changing_its_doses() -> None:
    library = load_exercises()
    changed = Dosage.model_validate({**library["heel-slides"].dosage.model_dump(), "reps": 4})
    stored = Program((program_exercise(library["heel-slides"], changed),), (), Pattern.UNCLEAR)
    assert stored.pregnancy_warning is None and stored.exercises[0].pregnancy_note is None
    adapted = for_pregnancy(stored)
    assert adapted.exercises[0].dosage.reps == 4
    assert adapted.exercises[0].pregnancy_note is not None
    assert adapted.pregnancy_warning == load_pregnancy_advice().warning


def test_a_flags_test_reads_the_flags_with_the_safe_readings_added() -> None:
    test = AnswerTest(flags_any=("bilateral_leg_symptoms",))
    pattern = Pattern.UNCLEAR
    assert not answers_pass(test, calm(), pattern)
    assert answers_pass(test, calm(side="both"), pattern)  # side both counts as both legs
    assert answers_pass(test, calm("bilateral_leg_symptoms"), pattern)


def test_every_exercise_carries_the_four_stops_of_the_spec_before_its_own() -> None:
    common = load_common_stop_rules()
    words = (
        ("new pain in your leg", common.new_leg_pain),
        ("spreads further down your leg", common.spreading),
        ("numbness or weakness", common.numbness_or_weakness_worse),
        ("any danger sign", common.danger_sign),
    )
    for expected, rule in words:
        assert expected in rule, (expected, rule)
    for exercise in load_exercises().values():
        assert tuple(exercise.stop_rules[:4]) == common.in_order(), exercise.id
        assert len(set(exercise.stop_rules)) == len(exercise.stop_rules), exercise.id
    program = build_program(calm())
    assert program is not None
    for item in program.exercises:
        assert item.stop_rules[:4] == common.in_order()
    document = program_to_json(program)
    assert document is not None
    assert all(item["stop_rules"][:4] == list(common.in_order()) for item in document["exercises"])
    own = load_exercises()["mckenzie-extension"].stop_rules[4:]
    assert own and "press-up" in own[0]  # an exercise's own stop still follows the shared ones
