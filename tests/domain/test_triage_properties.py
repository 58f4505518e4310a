"""Property tests of the safety contract: never under-triage.

``spec_where`` below is an independent, deliberately plain re-implementation of the spec's version-2
table (section 2), safe readings included. It does not read the rules file, so a rule dropped or
weakened in the data is caught here.
"""

from __future__ import annotations

from dataclasses import replace

from answers_factory import answers_strategy
from hypothesis import given, settings
from hypothesis import strategies as st

from sciatrack.domain.intake import IntakeAnswers
from sciatrack.domain.triage import Tier, Where, result_to_json, triage
from sciatrack.domain.vocabulary import (
    RED_FLAG_KEYS,
    RED_FLAG_KEYS_ADDED_IN_V2,
    SCHEMA_V1,
    SCHEMA_V2,
    SIDES,
)

EMERGENCY_FLAGS = (
    "saddle_numbness",
    "bladder_change",
    "bowel_change",
    "face_head_jaw_numbness",
    "sexual_dysfunction_new",
    "sudden_pain_faint",
)
EMERGENCY_SETS = (
    ("progressive_weakness", "bilateral_leg_symptoms"),
    ("new_marked_weakness", "bilateral_leg_symptoms"),
    ("fever", "progressive_weakness"),
    ("diabetes", "new_marked_weakness"),
    ("anticoagulants", "progressive_weakness"),
    ("recent_spinal_procedure", "fever"),
    ("anticoagulants", "sudden_severe_onset"),
    ("anticoagulants", "major_trauma"),
    ("thoracic_pain", "sudden_severe_onset"),
    ("cancer_recent", "thoracic_pain"),
)
# Red flags that do not hold the exercises on their own (spec section 2: pregnancy is routine; diabetes
# only makes fever and weakening more urgent).
NOT_A_STOP_ALONE = ("pregnant_or_postpartum", "diabetes")
BELOW_KNEE = {
    "back_of_calf",
    "side_of_calf",
    "front_of_shin",
    "top_of_foot",
    "sole",
    "heel",
    "big_toe",
    "little_toe",
}
NERVE_SENSATIONS = {"tingling", "numbness", "electric", "burning", "weakness"}


def spec_where(a: IntakeAnswers) -> str:
    flags = set(a.red_flags)
    if a.side == "both" or "bilateral_new" in flags:
        flags.add("bilateral_leg_symptoms")
    if "mid_back" in a.regions:
        flags.add("thoracic_pain")
    if "cancer_recent" in flags:
        flags.add("history_of_cancer")

    def has(*keys: str) -> bool:
        return all(key in flags for key in keys)

    def any_of(*keys: str) -> bool:
        return any(key in flags for key in keys)

    weakening = any_of("progressive_weakness", "new_marked_weakness")
    nerve = bool(NERVE_SENSATIONS & set(a.sensations)) or weakening or bool(BELOW_KNEE & set(a.regions))
    risk = ("fever", "iv_drug_use", "immunosuppressed", "anticoagulants", "recent_spinal_procedure")
    if (
        any(has(key) for key in EMERGENCY_FLAGS)
        or (has("bilateral_leg_symptoms") and nerve and (has("bilateral_new") or a.onset_weeks < 4))
        or (has("bilateral_leg_symptoms") and weakening)
        or (weakening and any_of(*risk, "recent_infection", "diabetes"))
        or has("fever", "recent_spinal_procedure")
        or has("anticoagulants", "sudden_severe_onset")
        or has("anticoagulants", "major_trauma")
        or has("thoracic_pain", "sudden_severe_onset")
        or (has("cancer_recent") and (nerve or has("thoracic_pain")))
    ):
        return "emergency_department_now"
    if (
        has("major_trauma")
        or (has("sudden_severe_onset") and a.age >= 55)
        or (has("fever") and any_of("iv_drug_use", "immunosuppressed", "diabetes"))
    ):
        return "emergency_department_today"
    cancer_warning = has("thoracic_pain") or has("night_pain_unrelenting") or nerve
    if any_of(
        "bilateral_leg_symptoms",
        "progressive_weakness",
        "new_marked_weakness",
        "fever",
        "arm_numbness_tingling",
        "sudden_severe_onset",
        "cancer_recent",
    ) or (has("history_of_cancer") and (cancer_warning or "coughing_sneezing" in a.worse_with)):
        return "doctor_today"
    soon = ["history_of_cancer", "unexplained_weight_loss", "night_pain_unrelenting", "iv_drug_use"]
    soon += ["immunosuppressed", "tb_history_or_exposure", "upset_stomach", "osteoporosis_or_steroids"]
    soon += ["anticoagulants", "thoracic_pain", "recent_spinal_procedure", "recent_infection"]
    if any_of(*soon):
        return "doctor_within_days"
    if (
        a.leg_pain >= 8
        or a.back_pain >= 8
        or a.onset_weeks >= 6
        or "numbness" in a.sensations
        or "weakness" in a.sensations
        or a.age < 20
        or a.age > 50
        or has("pregnant_or_postpartum")
    ):
        return "clinician_review"
    return "home_program"


ANY_ANSWERS = st.one_of(answers_strategy(SCHEMA_V2), answers_strategy(SCHEMA_V1))


@settings(max_examples=800)
@given(ANY_ANSWERS)
def test_it_is_never_less_pressing_than_the_spec_table(answers: IntakeAnswers) -> None:
    result = triage(answers)
    expected = Where(spec_where(answers))
    assert result.where.pressure >= expected.pressure
    assert result.tier >= expected.tier


@settings(max_examples=800)
@given(ANY_ANSWERS)
def test_it_gives_exactly_the_tier_and_place_of_the_spec_table(answers: IntakeAnswers) -> None:
    # Over-triage is not a safety bug, but it is still a departure from the contract.
    result = triage(answers)
    assert result.where == spec_where(answers)
    assert result.tier is Where(spec_where(answers)).tier


@settings(max_examples=400)
@given(ANY_ANSWERS, st.sampled_from(RED_FLAG_KEYS))
def test_it_never_lowers_the_tier_or_place_when_a_red_flag_is_added(
    answers: IntakeAnswers, flag: str
) -> None:
    before = triage(answers)
    schema = SCHEMA_V2 if flag in RED_FLAG_KEYS_ADDED_IN_V2 else answers.schema
    after = triage(replace(answers, red_flags=answers.red_flags | {flag}, schema=schema))
    assert after.tier >= before.tier
    assert after.where.pressure >= before.where.pressure
    if flag not in NOT_A_STOP_ALONE:
        assert after.tier >= Tier.SOON
        assert after.exercise_allowed is False


@settings(max_examples=400)
@given(
    answers_strategy(SCHEMA_V1),
    st.frozensets(st.sampled_from(RED_FLAG_KEYS_ADDED_IN_V2)),
    st.booleans(),
)
def test_it_never_lowers_the_tier_or_place_when_a_version_1_intake_gets_version_2_answers(
    answers: IntakeAnswers, added: frozenset[str], mid_back: bool
) -> None:
    before = triage(answers)
    regions = ("mid_back", *answers.regions) if mid_back else answers.regions
    after = triage(replace(answers, schema=SCHEMA_V2, red_flags=answers.red_flags | added, regions=regions))
    assert after.tier >= before.tier
    assert after.where.pressure >= before.where.pressure
    assert before.not_asked == RED_FLAG_KEYS_ADDED_IN_V2 and before.not_asked_notice
    assert after.not_asked == () and after.not_asked_notice == ""


@settings(max_examples=300)
@given(ANY_ANSWERS, st.sampled_from(EMERGENCY_FLAGS))
def test_it_sends_any_emergency_flag_to_the_emergency_department_now(
    answers: IntakeAnswers, flag: str
) -> None:
    result = triage(replace(answers, red_flags=answers.red_flags | {flag}, schema=SCHEMA_V2))
    assert result.tier is Tier.EMERGENCY and result.where is Where.EMERGENCY_DEPARTMENT_NOW


@settings(max_examples=300)
@given(ANY_ANSWERS, st.sampled_from(EMERGENCY_SETS))
def test_it_sends_any_emergency_combination_to_the_emergency_department_now(
    answers: IntakeAnswers, flags: tuple[str, ...]
) -> None:
    result = triage(replace(answers, red_flags=answers.red_flags | set(flags), schema=SCHEMA_V2))
    assert result.where is Where.EMERGENCY_DEPARTMENT_NOW


@settings(max_examples=200)
@given(ANY_ANSWERS, st.sampled_from(SIDES))
def test_it_never_lowers_the_tier_when_symptoms_spread_to_both_sides(
    answers: IntakeAnswers, side: str
) -> None:
    both = triage(replace(answers, side="both"))
    other = triage(replace(answers, side=side))
    assert both.tier >= other.tier and both.where.pressure >= other.where.pressure


@settings(max_examples=200)
@given(ANY_ANSWERS, st.integers(0, 10), st.integers(0, 10))
def test_it_never_lowers_the_tier_when_pain_gets_worse(answers: IntakeAnswers, leg: int, back: int) -> None:
    worse = replace(answers, leg_pain=max(leg, answers.leg_pain), back_pain=max(back, answers.back_pain))
    assert triage(worse).where.pressure >= triage(answers).where.pressure


@given(ANY_ANSWERS)
def test_it_allows_exercise_only_in_routine_and_self_care_and_always_explains(answers: IntakeAnswers) -> None:
    result = triage(answers)
    assert result.exercise_allowed is (result.tier in (Tier.ROUTINE, Tier.SELF_CARE))
    assert bool(result.matched) is (result.tier is not Tier.SELF_CARE)
    assert result.matched == () or (
        result.matched[0].tier is result.tier and result.matched[0].where is result.where
    )
    body = result_to_json(result)
    assert "{" not in " ".join(body["advice"]["what_to_do_now"])
    for condition in body["conditions_to_discuss"]:
        assert all(line.startswith("Because you said ") and "{" not in line for line in condition["because"])
