"""One test per row of the spec's tier table (section 2), and the result's shape."""

from __future__ import annotations

import json

import pytest
from answers_factory import answers

from sciatrack.domain.triage import Tier, result_to_json, triage

EMERGENCY_ALONE = ["saddle_numbness", "bladder_change", "bowel_change", "face_head_jaw_numbness"]
URGENT_ALONE = [
    "bilateral_leg_symptoms",
    "sexual_dysfunction_new",
    "progressive_weakness",
    "fever",
    "arm_numbness_tingling",
    "major_trauma",
    "sudden_severe_onset",
]
SOON_ALONE = [
    "history_of_cancer",
    "unexplained_weight_loss",
    "night_pain_unrelenting",
    "iv_drug_use",
    "immunosuppressed",
    "tb_history_or_exposure",
    "upset_stomach",
    "osteoporosis_or_steroids",
    "anticoagulants",
]
EXPECTED_ALONE = (
    [(flag, Tier.EMERGENCY) for flag in EMERGENCY_ALONE]
    + [(flag, Tier.URGENT) for flag in URGENT_ALONE]
    + [(flag, Tier.SOON) for flag in SOON_ALONE]
)


def test_it_covers_every_red_flag_in_the_table() -> None:
    from sciatrack.domain.intake import RED_FLAG_KEYS

    assert sorted(flag for flag, _ in EXPECTED_ALONE) == sorted(RED_FLAG_KEYS)


@pytest.mark.parametrize(("flag", "tier"), EXPECTED_ALONE)
def test_it_gives_each_red_flag_alone_its_tier(flag: str, tier: Tier) -> None:
    result = triage(answers(flags=[flag]))
    assert result.tier is tier
    assert result.exercise_allowed is False
    assert result.matched[0].tier is tier
    assert all(rule.reason and rule.references for rule in result.matched)


@pytest.mark.parametrize(
    ("flags", "rule_id"),
    [
        (["progressive_weakness", "bilateral_leg_symptoms"], "emergency.progressive-weakness-both-legs"),
        (["fever", "progressive_weakness"], "emergency.fever-with-progressive-weakness"),
        (["anticoagulants", "sudden_severe_onset"], "emergency.blood-thinners-with-sudden-severe-pain"),
    ],
)
def test_it_gives_each_emergency_combination_emergency(flags: list[str], rule_id: str) -> None:
    result = triage(answers(flags=flags))
    assert result.tier is Tier.EMERGENCY
    assert result.matched[0].id == rule_id
    # The single-flag rules still show, so the person sees every reason.
    assert len(result.matched) == 3


def test_it_counts_side_both_as_symptoms_in_both_legs() -> None:
    assert triage(answers(side="both")).tier is Tier.URGENT
    result = triage(answers(side="both", flags=["progressive_weakness"]))
    assert result.tier is Tier.EMERGENCY
    assert result.matched[0].id == "emergency.progressive-weakness-both-legs"


@pytest.mark.parametrize(
    ("overrides", "tier"),
    [
        ({"pain": {"leg_now": 8, "back_now": 0}}, Tier.ROUTINE),
        ({"pain": {"leg_now": 0, "back_now": 8}}, Tier.ROUTINE),
        ({"pain": {"leg_now": 10, "back_now": 10}}, Tier.ROUTINE),
        ({"pain": {"leg_now": 7, "back_now": 7}}, Tier.SELF_CARE),
        ({"onset_weeks": 6}, Tier.ROUTINE),
        ({"onset_weeks": 5.9}, Tier.SELF_CARE),
        ({"sensations": ["numbness"]}, Tier.ROUTINE),
        ({"sensations": ["tingling", "weakness"]}, Tier.ROUTINE),
        ({"sensations": ["tingling", "burning", "electric", "sharp", "dull_ache"]}, Tier.SELF_CARE),
        ({"age": 19}, Tier.ROUTINE),
        ({"age": 20}, Tier.SELF_CARE),
        ({"age": 55}, Tier.SELF_CARE),
        ({"age": 56}, Tier.ROUTINE),
    ],
)
def test_it_applies_each_routine_rule_at_its_boundary(overrides: dict[str, object], tier: Tier) -> None:
    result = triage(answers(**overrides))
    assert result.tier is tier
    assert result.exercise_allowed is True


def test_it_gives_self_care_when_nothing_matches() -> None:
    result = triage(answers())
    assert result.tier is Tier.SELF_CARE
    assert result.matched == ()
    assert result.exercise_allowed is True
    assert result.advice.headline == "You can start the home program"


def test_it_reports_every_matching_rule_most_urgent_first() -> None:
    result = triage(answers(flags=["fever", "history_of_cancer"], pain={"leg_now": 9, "back_now": 2}, age=70))
    assert [rule.id for rule in result.matched] == [
        "urgent.fever",
        "soon.history-of-cancer",
        "routine.severe-pain",
        "routine.older-than-55",
    ]
    assert result.tier is Tier.URGENT


def test_it_fills_in_the_emergency_number_of_the_deployment() -> None:
    result = triage(answers(flags=["saddle_numbness"]), emergency_number="112")
    assert result.advice.headline == "Go to an emergency department now"
    text = " ".join(result.advice.what_to_do_now)
    assert "112" in text and "911" not in text and "{" not in text
    assert "911" in " ".join(triage(answers(flags=["saddle_numbness"])).advice.what_to_do_now)


def test_it_refuses_a_blank_emergency_number() -> None:
    with pytest.raises(ValueError, match="emergency_number"):
        triage(answers(), emergency_number="  ")


def test_it_orders_tiers_by_urgency() -> None:
    assert Tier.EMERGENCY > Tier.URGENT > Tier.SOON > Tier.ROUTINE > Tier.SELF_CARE
    assert max(Tier.SOON, Tier.EMERGENCY, Tier.ROUTINE) is Tier.EMERGENCY
    assert sorted(Tier)[-1] is Tier.EMERGENCY
    assert Tier.URGENT == "urgent"


def test_it_returns_json_in_the_shape_of_the_spec() -> None:
    result = triage(answers(flags=["bladder_change"], regions=["big_toe"]), emergency_number="999")
    body = json.loads(json.dumps(result_to_json(result)))
    assert set(body) == {
        "tier",
        "reasons",
        "exercise_allowed",
        "advice",
        "conditions_to_discuss",
        "conditions_notice",
        "nerve_root_hint",
        "mckenzie_pattern",
    }
    assert body["tier"] == "emergency"
    assert body["reasons"][0] == {
        "rule": "emergency.bladder-change",
        "tier": "emergency",
        "text": result.matched[0].reason,
        "references": list(result.matched[0].references),
    }
    assert body["exercise_allowed"] is False
    assert body["advice"]["headline"] == "Go to an emergency department now"
    assert any("999" in line for line in body["advice"]["what_to_do_now"])
    assert body["conditions_to_discuss"][0]["id"] == "cauda-equina-syndrome"
    assert body["nerve_root_hint"]["roots"] == ["L5"]
    assert body["mckenzie_pattern"] == "extension_biased"


def test_it_returns_null_for_no_nerve_root_hint() -> None:
    assert result_to_json(triage(answers(regions=["low_back"])))["nerve_root_hint"] is None
