"""``parse_intake``: valid answers in, every problem named by its field otherwise."""

from __future__ import annotations

import json
from typing import Any

import pytest
from answers_factory import answers_strategy, intake_json
from hypothesis import given

from sciatrack.domain.intake import (
    RED_FLAG_KEYS,
    REGIONS,
    SENSATIONS,
    SIDES,
    TRIGGERS,
    IntakeAnswers,
    IntakeError,
    parse_intake,
)
from sciatrack.domain.vocabulary import RED_FLAG_KEYS_ADDED_IN_V2, RED_FLAG_KEYS_V1, SCHEMA_V1
from vignettes import load_vignettes


def problems(data: Any) -> dict[str, str]:
    with pytest.raises(IntakeError) as caught:
        parse_intake(data)
    assert caught.value.problems, "an IntakeError must list its problems"
    return {problem.field: problem.message for problem in caught.value.problems}


def test_it_parses_the_baseline_answers() -> None:
    answers = parse_intake(intake_json(flags=["fever"]))
    assert answers.age == 42
    assert answers.leg_pain == 4 and answers.back_pain == 3
    assert answers.regions == ("buttock", "back_of_thigh")
    assert answers.red_flags == frozenset({"fever"})


@pytest.mark.parametrize("name", load_vignettes())
def test_it_parses_every_vignette_and_gives_the_same_json_back(name: str) -> None:
    data = load_vignettes()[name]["answers"]
    answers = parse_intake(data)
    assert answers.to_json() == data
    assert json.loads(json.dumps(answers.to_json())) == data


@given(answers_strategy())
def test_it_round_trips_any_valid_answers_through_json(answers: IntakeAnswers) -> None:
    assert parse_intake(json.loads(json.dumps(answers.to_json()))) == answers


def test_it_exports_the_vocabularies_of_the_spec_as_tuples() -> None:
    for vocabulary in (REGIONS, SENSATIONS, TRIGGERS, SIDES, RED_FLAG_KEYS):
        assert isinstance(vocabulary, tuple)
        assert len(set(vocabulary)) == len(vocabulary)
    assert len(REGIONS) == 15 and len(SENSATIONS) == 7 and len(TRIGGERS) == 10 and len(RED_FLAG_KEYS) == 29
    assert SIDES == ("left", "right", "both", "alternating")


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"age": 15}, "age", "must be an integer from 16 to 110"),
        ({"age": 111}, "age", "must be an integer from 16 to 110"),
        ({"age": True}, "age", "integer"),
        ({"age": 42.5}, "age", "integer"),
        ({"age": "42"}, "age", "integer"),
        ({"onset_weeks": -1}, "onset_weeks", "from 0 to 2600"),
        ({"onset_weeks": float("nan")}, "onset_weeks", "from 0 to 2600"),
        ({"onset_weeks": float("inf")}, "onset_weeks", "from 0 to 2600"),
        ({"onset_weeks": 1e308}, "onset_weeks", "from 0 to 2600"),
        ({"onset_weeks": 2600.5}, "onset_weeks", "from 0 to 2600"),
        ({"onset_weeks": False}, "onset_weeks", "number"),
        ({"pain": {"leg_now": 11, "back_now": 3}}, "pain.leg_now", "must be an integer from 0 to 10"),
        ({"pain": {"leg_now": 4, "back_now": -1}}, "pain.back_now", "must be an integer from 0 to 10"),
        ({"pain": {"leg_now": True, "back_now": 3}}, "pain.leg_now", "integer"),
        ({"pain": {"leg_now": 4}}, "pain.back_now", "missing"),
        ({"pain": {"leg_now": 4, "back_now": 3, "foot_now": 2}}, "pain.foot_now", "unknown key"),
        ({"pain": 4}, "pain", "leg_now and back_now"),
        (
            {"regions": ["knee"]},
            "regions[0]",
            "'knee' is not allowed; choose from mid_back, low_back, buttock",
        ),
        ({"regions": "buttock"}, "regions", "must be a list"),
        ({"sensations": ["buttock", 3]}, "sensations[1]", "choose from dull_ache"),
        ({"worse_with": ["raining"]}, "worse_with[0]", "choose from sitting"),
        ({"better_with": [None]}, "better_with[0]", "not allowed"),
        ({"side": "middle"}, "side", "'middle' is not allowed; choose one of left, right, both, alternating"),
        ({"schema": "sciatrack.intake/3"}, "schema", 'must be "sciatrack.intake/2"'),
        ({"schema": None}, "schema", 'must be "sciatrack.intake/2"'),
        ({"regions": ["buttock"] * 51}, "regions", "at most 50"),
        ({"red_flags": []}, "red_flags", "true or false"),
        ({"extra": 1}, "extra", "unknown key"),
    ],
)
def test_it_names_the_field_and_what_is_allowed(change: dict[str, Any], field: str, words: str) -> None:
    found = problems({**intake_json(), **change})
    assert field in found, found
    assert words in found[field]


def test_it_requires_every_red_flag_answered_true_or_false() -> None:
    data = intake_json()
    del data["red_flags"]["fever"]
    data["red_flags"]["bladder_change"] = "no"
    data["red_flags"]["headache"] = False
    found = problems(data)
    assert found["red_flags.fever"] == "missing: every red-flag key is required, answer true or false"
    assert found["red_flags.bladder_change"].startswith("must be true or false")
    assert found["red_flags.headache"].startswith("unknown key")


@pytest.mark.parametrize("key", ["schema", "age", "onset_weeks", "pain", "regions", "side", "red_flags"])
def test_it_names_each_missing_key(key: str) -> None:
    data = intake_json()
    del data[key]
    assert problems(data)[key].startswith("missing")


def test_it_collects_every_problem_at_once() -> None:
    data = intake_json(age=7, regions=["knee", "buttock", "elbow"], pain={"leg_now": 12, "back_now": 3})
    del data["side"]
    assert set(problems(data)) == {"age", "regions[0]", "regions[2]", "pain.leg_now", "side"}


def test_it_refuses_a_vignette_file_that_still_wraps_the_answers() -> None:
    wrapped = {"answers": intake_json(), "expect": {"tier": "self_care"}}
    found = problems(wrapped)
    assert found["answers"].startswith("unknown key") and found["expect"].startswith("unknown key")
    assert found["schema"].startswith("missing")


@pytest.mark.parametrize("data", [None, [], "sciatrack.intake/1", 3])
def test_it_refuses_anything_but_an_object(data: Any) -> None:
    assert "JSON object" in problems(data)["intake"]


def test_it_keeps_a_repeated_choice_once() -> None:
    answers = parse_intake(intake_json(worse_with=["sitting", "walking", "sitting"]))
    assert answers.worse_with == ("sitting", "walking")


def test_it_accepts_empty_lists_and_fractional_weeks() -> None:
    answers = parse_intake(
        intake_json(regions=[], sensations=[], worse_with=[], better_with=[], onset_weeks=0.5)
    )
    assert answers.regions == () and answers.onset_weeks == 0.5


def test_it_reads_side_both_as_symptoms_in_both_legs() -> None:
    assert "bilateral_leg_symptoms" in parse_intake(intake_json(side="both")).effective_flags
    assert "bilateral_leg_symptoms" not in parse_intake(intake_json(side="alternating")).effective_flags


def test_it_says_every_problem_in_the_error_message() -> None:
    with pytest.raises(IntakeError) as caught:
        parse_intake(intake_json(age=7, side="up"))
    assert "age: must be an integer" in str(caught.value) and "side:" in str(caught.value)
    assert isinstance(caught.value, ValueError)


def version_1_json(**overrides: Any) -> dict[str, Any]:
    """The baseline as a version-1 intake: its schema and only its own red-flag keys."""
    data = intake_json(**overrides)
    data["schema"] = SCHEMA_V1
    data["red_flags"] = {key: value for key, value in data["red_flags"].items() if key in RED_FLAG_KEYS_V1}
    return data


@pytest.mark.parametrize("key", RED_FLAG_KEYS_ADDED_IN_V2)
def test_it_refuses_a_version_2_intake_missing_any_new_key(key: str) -> None:
    data = intake_json()
    del data["red_flags"][key]
    assert problems(data) == {
        f"red_flags.{key}": "missing: every red-flag key is required, answer true or false"
    }


@pytest.mark.parametrize("answer", [None, "unknown", "yes", 0, 1, [], {}])
@pytest.mark.parametrize("key", ["cancer_recent", "fever", "diabetes"])
def test_it_refuses_anything_but_true_or_false_for_a_red_flag(key: str, answer: Any) -> None:
    data = intake_json()
    data["red_flags"][key] = answer
    assert problems(data)[f"red_flags.{key}"].startswith("must be true or false")


def test_it_keeps_a_version_1_intake_valid_and_lists_what_it_never_asked() -> None:
    answers = parse_intake(version_1_json(flags=["fever"]))
    assert answers.schema == SCHEMA_V1
    assert answers.red_flags == frozenset({"fever"})
    assert answers.not_asked == RED_FLAG_KEYS_ADDED_IN_V2
    assert answers.to_json() == version_1_json(flags=["fever"])
    assert parse_intake(intake_json()).not_asked == ()


@pytest.mark.parametrize("key", RED_FLAG_KEYS_ADDED_IN_V2)
def test_it_refuses_a_version_1_intake_carrying_a_version_2_key(key: str) -> None:
    data = version_1_json()
    data["red_flags"][key] = False
    assert problems(data) == {
        f"red_flags.{key}": 'a version-2 question: it needs "schema": "sciatrack.intake/2"'
    }


def test_it_refuses_mid_back_in_a_version_1_intake_and_takes_it_in_version_2() -> None:
    assert "needs" in problems(version_1_json(regions=["mid_back", "buttock"]))["regions[0]"]
    assert parse_intake(intake_json(regions=["mid_back"])).regions == ("mid_back",)


def test_it_reads_each_contradiction_the_safe_way() -> None:
    assert "bilateral_leg_symptoms" in parse_intake(intake_json(flags=["bilateral_new"])).effective_flags
    assert "thoracic_pain" in parse_intake(intake_json(regions=["mid_back"])).effective_flags
    assert "history_of_cancer" in parse_intake(intake_json(flags=["cancer_recent"])).effective_flags
    assert parse_intake(intake_json()).effective_flags == frozenset()


def test_it_refuses_100000_repeated_regions_without_reading_them_all() -> None:
    found = problems(intake_json(regions=["buttock"] * 100_000))
    assert found == {"regions": found["regions"]}
    assert "at most 50" in found["regions"]


def test_it_keeps_a_choice_repeated_up_to_the_limit_once() -> None:
    assert parse_intake(intake_json(regions=["sole"] * 50)).regions == ("sole",)


@pytest.mark.parametrize("key", ["bad\x00", "\udfff", "k" * 61])
def test_it_names_an_unknown_key_it_cannot_show_plainly(key: str) -> None:
    assert "(a key)" in problems({**intake_json(), key: 1})
