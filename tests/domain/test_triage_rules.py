"""One test per row of the spec's tier table (section 2), and the result's shape."""

from __future__ import annotations

import json

import pytest
from answers_factory import answers

from sciatrack.domain.triage import Tier, Where, result_to_json, triage
from sciatrack.domain.vocabulary import RED_FLAG_KEYS

NOW, ED_TODAY, DOCTOR_TODAY = (
    Where.EMERGENCY_DEPARTMENT_NOW,
    Where.EMERGENCY_DEPARTMENT_TODAY,
    Where.DOCTOR_TODAY,
)
EXPECTED_ALONE = {
    NOW: [
        "saddle_numbness",
        "bladder_change",
        "bowel_change",
        "face_head_jaw_numbness",
        "sexual_dysfunction_new",
        "sudden_pain_faint",
    ],
    ED_TODAY: ["major_trauma"],
    DOCTOR_TODAY: [
        "bilateral_leg_symptoms",
        "bilateral_new",
        "progressive_weakness",
        "new_marked_weakness",
        "fever",
        "arm_numbness_tingling",
        "sudden_severe_onset",
        "cancer_recent",
    ],
    Where.DOCTOR_WITHIN_DAYS: [
        "history_of_cancer",
        "unexplained_weight_loss",
        "night_pain_unrelenting",
        "iv_drug_use",
        "immunosuppressed",
        "tb_history_or_exposure",
        "upset_stomach",
        "osteoporosis_or_steroids",
        "anticoagulants",
        "thoracic_pain",
        "recent_spinal_procedure",
        "recent_infection",
    ],
    Where.CLINICIAN_REVIEW: ["pregnant_or_postpartum"],
    Where.HOME_PROGRAM: ["diabetes"],
}
FLAG_ALONE = [(flag, where) for where, flags in EXPECTED_ALONE.items() for flag in flags]


def test_it_covers_every_red_flag_in_the_table() -> None:
    assert sorted(flag for flag, _ in FLAG_ALONE) == sorted(RED_FLAG_KEYS)


@pytest.mark.parametrize(("flag", "where"), FLAG_ALONE)
def test_it_gives_each_red_flag_alone_its_tier_and_place(flag: str, where: Where) -> None:
    result = triage(answers(flags=[flag]))
    assert result.where is where and result.tier is where.tier
    assert result.exercise_allowed is where.tier.exercise_allowed
    assert result.matched == () or result.matched[0].where is where
    assert all(rule.reason and rule.references for rule in result.matched)


@pytest.mark.parametrize(
    ("overrides", "rule_id"),
    [
        (
            {"flags": ["progressive_weakness", "bilateral_leg_symptoms"], "onset_weeks": 10},
            "emergency.weakening-both-legs",
        ),
        (
            {"flags": ["new_marked_weakness"], "side": "both", "onset_weeks": 8},
            "emergency.weakening-both-legs",
        ),
        ({"flags": ["fever", "progressive_weakness"]}, "emergency.weakening-with-infection-or-bleeding-risk"),
        (
            {"flags": ["diabetes", "new_marked_weakness"]},
            "emergency.weakening-with-infection-or-bleeding-risk",
        ),
        (
            {"flags": ["recent_infection", "progressive_weakness"]},
            "emergency.weakening-with-infection-or-bleeding-risk",
        ),
        ({"flags": ["fever", "recent_spinal_procedure"]}, "emergency.fever-after-spinal-procedure"),
        (
            {"flags": ["anticoagulants", "sudden_severe_onset"]},
            "emergency.blood-thinners-with-sudden-severe-pain",
        ),
        ({"flags": ["anticoagulants", "major_trauma"]}, "emergency.blood-thinners-with-major-injury"),
        ({"flags": ["sudden_severe_onset"], "regions": ["mid_back"]}, "emergency.mid-back-sudden-severe"),
        (
            {"flags": ["cancer_recent"], "sensations": ["burning"]},
            "emergency.recent-cancer-with-nerve-or-mid-back-signs",
        ),
        (
            {"flags": ["cancer_recent"], "regions": ["heel"]},
            "emergency.recent-cancer-with-nerve-or-mid-back-signs",
        ),
        (
            {"flags": ["cancer_recent", "thoracic_pain"]},
            "emergency.recent-cancer-with-nerve-or-mid-back-signs",
        ),
        (
            {"side": "both", "sensations": ["tingling"], "onset_weeks": 3.9},
            "emergency.both-legs-new-nerve-signs",
        ),
        (
            {"flags": ["bilateral_new"], "sensations": ["tingling"], "onset_weeks": 30},
            "emergency.both-legs-new-nerve-signs",
        ),
        ({"side": "both", "regions": ["sole"], "onset_weeks": 1}, "emergency.both-legs-new-nerve-signs"),
    ],
)
def test_it_sends_each_emergency_combination_to_the_emergency_department_now(
    overrides: dict[str, object], rule_id: str
) -> None:
    result = triage(answers(**overrides))
    assert result.where is NOW and result.tier is Tier.EMERGENCY
    assert result.matched[0].id == rule_id
    # The less pressing rules still show, so the person sees every reason.
    assert len(result.matched) >= 2


@pytest.mark.parametrize(
    ("overrides", "where"),
    [
        ({"side": "both", "sensations": ["tingling"], "onset_weeks": 4}, DOCTOR_TODAY),
        ({"side": "both", "sensations": ["dull_ache"], "onset_weeks": 1}, DOCTOR_TODAY),
        ({"side": "alternating", "sensations": ["tingling"], "onset_weeks": 1}, Where.HOME_PROGRAM),
        ({"flags": ["sudden_severe_onset"], "age": 54}, DOCTOR_TODAY),
        ({"flags": ["sudden_severe_onset"], "age": 55}, ED_TODAY),
        ({"flags": ["fever", "diabetes"]}, ED_TODAY),
        ({"flags": ["fever", "immunosuppressed"]}, ED_TODAY),
        ({"flags": ["history_of_cancer"], "worse_with": ["coughing_sneezing"]}, DOCTOR_TODAY),
        ({"flags": ["history_of_cancer"], "sensations": ["numbness"]}, DOCTOR_TODAY),
        ({"flags": ["history_of_cancer", "night_pain_unrelenting"]}, DOCTOR_TODAY),
        ({"flags": ["history_of_cancer"], "regions": ["mid_back"]}, DOCTOR_TODAY),
        ({"flags": ["history_of_cancer"]}, Where.DOCTOR_WITHIN_DAYS),
        ({"regions": ["mid_back"]}, Where.DOCTOR_WITHIN_DAYS),
    ],
)
def test_it_draws_each_line_of_the_table_where_the_spec_does(
    overrides: dict[str, object], where: Where
) -> None:
    assert triage(answers(**overrides)).where is where


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"flags": ["cancer_recent"], "sensations": ["tingling"]}, "24-hour acute oncology line"),
        ({"flags": ["cancer_recent"]}, "cancer team within 24 hours"),
        ({"flags": ["sudden_severe_onset"], "age": 70}, "feels like tearing"),
        ({"flags": ["recent_spinal_procedure"]}, "team that did your surgery or injection"),
        ({"flags": ["pregnant_or_postpartum"]}, "pelvic-health physiotherapist"),
    ],
)
def test_it_adds_the_advice_of_the_rules_that_decide_the_tier(
    overrides: dict[str, object], words: str
) -> None:
    lines = triage(answers(**overrides), emergency_number="112").advice.what_to_do_now
    assert any(words in line for line in lines), lines
    assert "{" not in " ".join(lines)


def test_it_leaves_out_the_advice_of_rules_below_the_result_tier() -> None:
    result = triage(answers(flags=["recent_spinal_procedure", "saddle_numbness"]))
    assert not any("team that did" in line for line in result.advice.what_to_do_now)
    assert any(rule.id == "soon.recent-spinal-procedure" for rule in result.matched)


def test_it_counts_side_both_as_symptoms_in_both_legs() -> None:
    assert triage(answers(side="both")).where is DOCTOR_TODAY
    result = triage(answers(side="both", flags=["progressive_weakness"], onset_weeks=12))
    assert result.tier is Tier.EMERGENCY
    assert result.matched[0].id == "emergency.weakening-both-legs"


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
        ({"age": 50}, Tier.SELF_CARE),
        ({"age": 51}, Tier.ROUTINE),
        ({"flags": ["pregnant_or_postpartum"]}, Tier.ROUTINE),
        ({"flags": ["diabetes"]}, Tier.SELF_CARE),
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
        "routine.older-than-50",
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
        "where",
        "reasons",
        "not_asked",
        "not_asked_notice",
        "exercise_allowed",
        "advice",
        "conditions_to_discuss",
        "conditions_notice",
        "nerve_root_hint",
        "mckenzie_pattern",
    }
    assert body["tier"] == "emergency" and body["where"] == "emergency_department_now"
    assert body["not_asked"] == [] and body["not_asked_notice"] == ""
    assert body["advice"]["where"] == "Emergency department, now"
    assert body["reasons"][0] == {
        "rule": "emergency.bladder-change",
        "tier": "emergency",
        "where": "emergency_department_now",
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
