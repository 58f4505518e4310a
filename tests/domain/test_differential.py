"""Conditions to discuss, the nerve-root hint and the McKenzie pattern."""

from __future__ import annotations

import re

import pytest
from answers_factory import answers, answers_strategy
from hypothesis import given

from sciatrack.content.rules_loader import load_conditions
from sciatrack.domain.differential import (
    Pattern,
    conditions_to_discuss,
    mckenzie_pattern,
    nerve_root_hint,
)
from sciatrack.domain.intake import IntakeAnswers

# Nerve roots -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("regions", "roots"),
    [
        (["front_of_shin"], ("L4",)),
        (["side_of_calf"], ("L5",)),
        (["top_of_foot"], ("L5",)),
        (["big_toe"], ("L5",)),
        (["back_of_calf"], ("S1",)),
        (["sole"], ("S1",)),
        (["heel"], ("S1",)),
        (["little_toe"], ("S1",)),
        (["little_toe", "front_of_shin", "big_toe"], ("L4", "L5", "S1")),
    ],
)
def test_it_hints_at_every_root_whose_regions_were_marked(regions: list[str], roots: tuple[str, ...]) -> None:
    hint = nerve_root_hint(answers(regions=regions))
    assert hint is not None
    assert hint.roots == roots
    for root in roots:
        assert root in hint.text
    assert "hint" in hint.text


def test_it_lists_the_marked_regions_behind_each_root() -> None:
    hint = nerve_root_hint(answers(regions=["buttock", "big_toe", "side_of_calf", "heel"]))
    assert hint is not None
    assert dict(hint.regions) == {"L5": ("big_toe", "side_of_calf"), "S1": ("heel",)}
    assert "big toe and side of the calf" in hint.text


def test_it_gives_no_root_hint_above_the_knee() -> None:
    assert nerve_root_hint(answers(regions=["low_back", "buttock", "back_of_thigh", "groin"])) is None


# McKenzie pattern --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("worse", "better", "pattern"),
    [
        (["sitting"], ["walking"], Pattern.EXTENSION_BIASED),
        (["bending_forward"], ["bending_backward"], Pattern.EXTENSION_BIASED),
        (["sitting", "morning"], ["standing"], Pattern.EXTENSION_BIASED),
        (["walking"], ["sitting"], Pattern.FLEXION_BIASED),
        (["standing"], ["bending_forward"], Pattern.FLEXION_BIASED),
        # Fits both readings: the stenosis-like one wins (keeps the extension exercise out).
        (["sitting", "standing"], ["walking", "sitting"], Pattern.FLEXION_BIASED),
        # Bending backward hurts: never extension-biased.
        (["sitting", "bending_backward"], ["walking"], Pattern.UNCLEAR),
        (["sitting"], [], Pattern.UNCLEAR),
        ([], ["walking"], Pattern.UNCLEAR),
        (["bending_backward", "standing"], ["lying"], Pattern.UNCLEAR),
        ([], [], Pattern.UNCLEAR),
    ],
)
def test_it_reads_the_movement_pattern(worse: list[str], better: list[str], pattern: Pattern) -> None:
    assert mckenzie_pattern(answers(worse_with=worse, better_with=better)) is pattern


@given(answers_strategy())
def test_it_reads_any_stenosis_like_answers_as_flexion_biased(a: IntakeAnswers) -> None:
    stenosis = bool({"bending_forward", "sitting"} & set(a.better_with)) and bool(
        {"walking", "standing"} & set(a.worse_with)
    )
    pattern = mckenzie_pattern(a)
    assert (pattern is Pattern.FLEXION_BIASED) is stenosis
    if "bending_backward" in a.worse_with:
        assert pattern is not Pattern.EXTENSION_BIASED


# Conditions to discuss ---------------------------------------------------------------------------


def ids(**overrides: object) -> list[str]:
    return [condition.id for condition in conditions_to_discuss(answers(**overrides))]


@pytest.mark.parametrize(
    ("overrides", "condition_id"),
    [
        ({"flags": ["saddle_numbness"]}, "cauda-equina-syndrome"),
        ({"flags": ["bladder_change"]}, "cauda-equina-syndrome"),
        ({"flags": ["bowel_change"]}, "cauda-equina-syndrome"),
        ({"flags": ["sexual_dysfunction_new"]}, "cauda-equina-syndrome"),
        ({"side": "both"}, "cauda-equina-syndrome"),
        ({"flags": ["fever"]}, "epidural-abscess"),
        ({"flags": ["iv_drug_use"]}, "epidural-abscess"),
        ({"flags": ["immunosuppressed"]}, "epidural-abscess"),
        ({"flags": ["anticoagulants"]}, "epidural-hematoma"),
        ({"flags": ["sudden_severe_onset"]}, "epidural-hematoma"),
        ({"flags": ["history_of_cancer"]}, "spinal-tumour"),
        ({"flags": ["unexplained_weight_loss"]}, "spinal-tumour"),
        ({"flags": ["night_pain_unrelenting"]}, "spinal-tumour"),
        ({"flags": ["tb_history_or_exposure"]}, "spinal-tuberculosis"),
        ({"regions": ["back_of_calf"]}, "disc-or-nerve-root"),
        ({"sensations": ["electric"]}, "disc-or-nerve-root"),
        ({"worse_with": ["coughing_sneezing"]}, "disc-or-nerve-root"),
        ({"worse_with": ["walking"], "better_with": ["sitting"]}, "spinal-stenosis"),
        ({"regions": ["buttock"], "worse_with": ["sitting"]}, "piriformis-syndrome"),
        ({"regions": ["low_back"], "sensations": ["sharp"]}, "muscle-spasm"),
    ],
)
def test_it_lists_the_condition_the_answers_point_to(overrides: dict[str, object], condition_id: str) -> None:
    assert condition_id in ids(**overrides)


def test_it_can_list_every_condition_in_the_content() -> None:
    assert {c.id for c in load_conditions().conditions} == {
        "cauda-equina-syndrome",
        "epidural-abscess",
        "epidural-hematoma",
        "spinal-tumour",
        "spinal-tuberculosis",
        "disc-or-nerve-root",
        "spinal-stenosis",
        "piriformis-syndrome",
        "muscle-spasm",
    }


def test_it_lists_nothing_when_no_clue_matches() -> None:
    calm = answers(regions=["groin"], sensations=["dull_ache"], worse_with=["night"], better_with=["lying"])
    assert conditions_to_discuss(calm) == ()


def test_it_lists_serious_conditions_first_with_their_evidence() -> None:
    found = conditions_to_discuss(
        answers(flags=["fever", "tb_history_or_exposure"], regions=["buttock", "heel"], age=70)
    )
    seriousness = [condition.serious for condition in found]
    assert seriousness == sorted(seriousness, reverse=True)
    by_id = {condition.id: condition for condition in found}
    assert by_id["epidural-abscess"].because == ("Because you said you have a fever.",)
    assert by_id["spinal-tuberculosis"].because == (
        "Because you said you have had TB or been in close contact with it.",
        "Because you said you have a fever.",
    )
    assert "Because you said you feel it below the knee, in the heel." in by_id["disc-or-nerve-root"].because


def test_it_names_the_answers_that_matched_in_the_persons_order() -> None:
    found = conditions_to_discuss(
        answers(worse_with=["standing", "walking"], better_with=["bending_forward"])
    )
    stenosis = next(condition for condition in found if condition.id == "spinal-stenosis")
    assert (
        stenosis.because[0]
        == "Because you said it is worse with standing and walking and better with bending forward."
    )


def test_it_adds_supporting_evidence_only_to_a_listed_condition() -> None:
    # Over 60 supports stenosis, but never lists it on its own.
    assert "spinal-stenosis" not in ids(age=70)
    found = conditions_to_discuss(answers(age=70, worse_with=["walking"], better_with=["sitting"]))
    stenosis = next(condition for condition in found if condition.id == "spinal-stenosis")
    assert stenosis.because[-1].startswith("Because you said you are 60 or over")


# An age clue matches at its own number (age_at_least), so its words must include that age.
AGE_WORDING = re.compile(r"\b(?:you are (?:over|under|above|below)|older|younger|aged?)\b")


def test_every_clue_words_its_age_threshold_as_it_matches() -> None:
    content = load_conditions()
    clues = [clue for entry in content.conditions for clue in (*entry.clues, *entry.supporting)]
    assert any(clue.when.age_at_least is not None for clue in clues)  # there is something to check
    for clue in clues:
        threshold = clue.when.age_at_least
        numbers = re.findall(r"\d+", clue.because)
        if threshold is None:
            # A clue that does not test the age must not talk about one.
            assert not numbers and not AGE_WORDING.search(clue.because), clue.because
            continue
        assert numbers == [str(threshold)], clue.because
        assert re.search(rf"\b{threshold} or (?:over|older)\b", clue.because), clue.because
        assert not re.search(rf"\b(?:over|above|older than)\s+{threshold}\b", clue.because), clue.because


@pytest.mark.parametrize(
    ("threshold", "overrides", "condition_id"),
    [
        (50, {"flags": ["history_of_cancer"]}, "spinal-tumour"),
        (60, {"worse_with": ["walking"], "better_with": ["sitting"]}, "spinal-stenosis"),
    ],
)
def test_it_gives_the_age_clue_at_exactly_its_age_and_not_a_year_before(
    threshold: int, overrides: dict[str, object], condition_id: str
) -> None:
    words = f"Because you said you are {threshold} or over"

    def because(age: int) -> tuple[str, ...]:
        found = conditions_to_discuss(answers(age=age, **overrides))
        return next(condition for condition in found if condition.id == condition_id).because

    assert any(line.startswith(words) for line in because(threshold))
    assert not any(line.startswith(words) for line in because(threshold - 1))
