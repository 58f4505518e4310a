"""Conditions to discuss, the nerve-root hint and the McKenzie pattern."""

from __future__ import annotations

import re

import pytest
from answers_factory import answers, answers_strategy
from hypothesis import given

from sciatrack.content.rules_loader import load_conditions
from sciatrack.domain import differential
from sciatrack.domain.differential import conditions_to_discuss, mckenzie_pattern, nerve_root_hint
from sciatrack.domain.intake import IntakeAnswers
from sciatrack.domain.vocabulary import TRIGGERS, Pattern

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


def test_what_each_pattern_means_names_only_the_vocabularys_triggers() -> None:
    meanings = (differential.EXTENSION_WORSE, differential.EXTENSION_BETTER)
    meanings += (differential.STENOSIS_BETTER, differential.STENOSIS_WORSE)
    assert all(set(triggers) <= set(TRIGGERS) for triggers in meanings)


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
        # The look-alikes: each clue of each, from answers the intake really has.
        (
            {"regions": ["back_of_thigh"], "worse_with": ["walking"], "better_with": ["standing"]},
            "vascular-claudication",
        ),
        (
            {
                "regions": ["side_of_calf"],
                "worse_with": ["walking"],
                "better_with": ["sitting"],
                "flags": ["diabetes"],
            },
            "vascular-claudication",
        ),
        ({"flags": ["sudden_pain_faint"]}, "abdominal-aortic-aneurysm"),
        ({"flags": ["sudden_severe_onset"], "age": 55}, "abdominal-aortic-aneurysm"),
        ({"flags": ["osteoporosis_or_steroids"]}, "spinal-fragility-fracture"),
        (
            {"flags": ["sudden_severe_onset"], "better_with": ["lying"], "age": 50},
            "spinal-fragility-fracture",
        ),
        ({"regions": ["groin"], "worse_with": ["walking"]}, "hip-joint"),
        ({"regions": ["groin"], "worse_with": ["sit_to_stand"]}, "hip-joint"),
        ({"flags": ["diabetes"], "regions": ["sole"], "sensations": ["numbness"]}, "peripheral-neuropathy"),
        ({"side": "both", "regions": ["big_toe"], "sensations": ["burning"]}, "peripheral-neuropathy"),
        (
            {
                "age": 30,
                "onset_weeks": 20,
                "regions": ["low_back"],
                "worse_with": ["morning"],
                "better_with": ["walking"],
            },
            "axial-spondyloarthritis",
        ),
        (
            {
                "age": 40,
                "onset_weeks": 26,
                "regions": ["buttock"],
                "worse_with": ["night"],
                "better_with": ["lying"],
            },
            "axial-spondyloarthritis",
        ),
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
        "abdominal-aortic-aneurysm",
        "spinal-fragility-fracture",
        "vascular-claudication",
        "hip-joint",
        "peripheral-neuropathy",
        "axial-spondyloarthritis",
    }


LOOK_ALIKES = (
    "vascular-claudication",
    "abdominal-aortic-aneurysm",
    "spinal-fragility-fracture",
    "hip-joint",
    "peripheral-neuropathy",
    "axial-spondyloarthritis",
)


def test_it_lists_no_look_alike_for_the_calm_baseline() -> None:
    assert not set(LOOK_ALIKES) & set(ids())


def test_the_older_walker_whose_calf_eases_standing_still_hears_of_narrowed_arteries() -> None:
    # Calf pain after a walk that eases standing still: the vascular pattern, not only a disc.
    found = conditions_to_discuss(
        answers(
            age=67,
            regions=["back_of_calf"],
            worse_with=["walking"],
            better_with=["standing"],
            sensations=["dull_ache"],
        )
    )
    listed = [condition.id for condition in found]
    assert "vascular-claudication" in listed
    assert listed != ["disc-or-nerve-root"]
    assert listed.index("vascular-claudication") < listed.index("disc-or-nerve-root")  # serious first
    assert "spinal-stenosis" not in listed  # stenosis eases with sitting or bending forward, not standing
    vascular = found[listed.index("vascular-claudication")]
    assert vascular.serious
    assert vascular.because[0] == (
        "Because you said walking makes the pain in the back of the calf worse and standing still eases it, "
        "which is how leg muscles short of blood behave."
    )
    assert (
        "Because you said you are 60 or over, when narrowed leg arteries become more common."
        in vascular.because
    )
    assert "standing still" in vascular.about and "sitting down or bending forward" in vascular.about


def test_it_tells_stenosis_and_narrowed_arteries_apart_by_what_eases_the_walking_pain() -> None:
    walking = {"age": 55, "regions": ["back_of_calf"], "worse_with": ["walking"]}
    eased_sitting = ids(**walking, better_with=["sitting"])
    assert "spinal-stenosis" in eased_sitting and "vascular-claudication" not in eased_sitting
    eased_standing = ids(**walking, better_with=["standing"])
    assert "vascular-claudication" in eased_standing and "spinal-stenosis" not in eased_standing
    assert {"spinal-stenosis", "vascular-claudication"} <= set(
        ids(**walking, better_with=["standing", "sitting"])
    )


@pytest.mark.parametrize(
    ("overrides", "condition_id"),
    [
        # Each clue needs all of its parts: one missing, the look-alike is not listed.
        ({"regions": ["back_of_calf"], "better_with": ["standing"]}, "vascular-claudication"),
        (
            {"regions": ["low_back"], "worse_with": ["walking"], "better_with": ["standing"]},
            "vascular-claudication",
        ),
        ({"age": 54, "flags": ["sudden_severe_onset"]}, "abdominal-aortic-aneurysm"),
        (
            {"age": 49, "flags": ["sudden_severe_onset"], "better_with": ["lying"]},
            "spinal-fragility-fracture",
        ),
        (
            {"age": 70, "flags": ["sudden_severe_onset"], "better_with": ["sitting"]},
            "spinal-fragility-fracture",
        ),
        ({"regions": ["groin"], "worse_with": ["night"]}, "hip-joint"),
        ({"regions": ["front_of_thigh"], "worse_with": ["walking"]}, "hip-joint"),
        ({"regions": ["sole"], "sensations": ["numbness"]}, "peripheral-neuropathy"),
        (
            {"flags": ["diabetes"], "regions": ["back_of_calf"], "sensations": ["numbness"]},
            "peripheral-neuropathy",
        ),
        ({"flags": ["diabetes"], "regions": ["sole"], "sensations": ["dull_ache"]}, "peripheral-neuropathy"),
        (
            {
                "age": 30,
                "onset_weeks": 12,
                "regions": ["low_back"],
                "worse_with": ["night"],
                "better_with": ["walking"],
            },
            "axial-spondyloarthritis",
        ),
        (
            {
                "age": 30,
                "onset_weeks": 20,
                "regions": ["back_of_calf"],
                "worse_with": ["night"],
                "better_with": ["walking"],
            },
            "axial-spondyloarthritis",
        ),
        (
            {
                "age": 30,
                "onset_weeks": 20,
                "regions": ["low_back"],
                "worse_with": ["sitting"],
                "better_with": ["walking"],
            },
            "axial-spondyloarthritis",
        ),
    ],
)
def test_it_does_not_list_a_look_alike_on_part_of_its_clue(
    overrides: dict[str, object], condition_id: str
) -> None:
    assert condition_id not in ids(**overrides)


@pytest.mark.parametrize(
    ("age", "onset_weeks", "listed"),
    [
        (30, 13, True),  # 3 months: NICE NG65's length
        (30, 12, False),
        (45, 26, True),  # began at about 44
        (46, 26, False),  # began at about 45
        (52, 416, True),  # eight years of back pain that began at 44: often missed for years
        (52, 300, False),
    ],
)
def test_it_points_to_spondyloarthritis_only_for_back_pain_that_began_before_45_and_lasted(
    age: int, onset_weeks: int, listed: bool
) -> None:
    found = ids(
        age=age, onset_weeks=onset_weeks, regions=["low_back"], worse_with=["night"], better_with=["walking"]
    )
    assert ("axial-spondyloarthritis" in found) is listed


def test_it_explains_spondyloarthritis_in_the_words_of_its_referral_criteria() -> None:
    found = conditions_to_discuss(
        answers(
            age=33,
            onset_weeks=30,
            regions=["low_back"],
            worse_with=["night", "morning"],
            better_with=["walking"],
        )
    )
    axial = next(condition for condition in found if condition.id == "axial-spondyloarthritis")
    assert axial.because == (
        (
            "Because you said your back pain began before you were 45 and has lasted 3 months or more, "
            "and it is worse at night and first thing in the morning but better with walking."
        ),
        "Because you said it began before you were 35, which makes this a little more likely.",
    )


@given(answers_strategy())
def test_every_reason_reads_as_a_whole_sentence(a: IntakeAnswers) -> None:
    for condition in conditions_to_discuss(a):
        assert condition.because
        for line in condition.because:
            assert line.startswith("Because you said ") and line.endswith(".")
            assert "{" not in line and "_" not in line and "  " not in line
            assert not re.search(r"\b(?:the|in|with|and)\s*[.,]", line), line


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


# A clue with a number matches at its own number, so its words must give that number as it matches:
# age_at_least N at "N or over"; began_before_age N "before you were N"; onset_weeks_at_least W as
# "W weeks or more" (or in whole months, 13 weeks to 3 months). A clue without a number test names none.
AGE_WORDING = re.compile(r"\b(?:you are (?:over|under|above|below)|older|younger|aged?|before you were)\b")


def _onset_number(weeks: float, text: str) -> str:
    months = weeks * 12 / 52
    if months.is_integer() and re.search(rf"\b{months:.0f} months or more\b", text):
        return f"{months:.0f}"
    assert re.search(rf"\b{weeks:g} weeks or more\b", text), text
    return f"{weeks:g}"


def test_every_clue_words_its_numbers_as_they_match() -> None:
    content = load_conditions()
    clues = [clue for entry in content.conditions for clue in (*entry.clues, *entry.supporting)]
    for test in ("age_at_least", "began_before_age", "onset_weeks_at_least"):
        assert any(getattr(clue.when, test) is not None for clue in clues), test  # something to check
    for clue in clues:
        when, text = clue.when, clue.because
        expected = []
        if when.age_at_least is not None:
            expected.append(str(when.age_at_least))
            assert re.search(rf"\b{when.age_at_least} or (?:over|older)\b", text), text
            assert not re.search(rf"\b(?:over|above|older than)\s+{when.age_at_least}\b", text), text
        if when.began_before_age is not None:
            expected.append(str(when.began_before_age))
            assert re.search(rf"\bbefore you were {when.began_before_age}\b", text), text
        if when.onset_weeks_at_least is not None:
            expected.append(_onset_number(when.onset_weeks_at_least, text))
        if when.age_at_least is None and when.began_before_age is None:
            # A clue that does not test the age must not talk about one.
            assert not AGE_WORDING.search(text), text
        assert sorted(re.findall(r"\d+", text)) == sorted(expected), text


@pytest.mark.parametrize(
    ("threshold", "overrides", "condition_id"),
    [
        (50, {"flags": ["history_of_cancer"]}, "spinal-tumour"),
        (60, {"worse_with": ["walking"], "better_with": ["sitting"]}, "spinal-stenosis"),
        (
            60,
            {"regions": ["back_of_calf"], "worse_with": ["walking"], "better_with": ["standing"]},
            "vascular-claudication",
        ),
        (45, {"regions": ["groin"], "worse_with": ["walking"]}, "hip-joint"),
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
