"""Property tests of the safety contract: never under-triage.

``spec_tier`` below is an independent, deliberately plain re-implementation of the spec's tier table
(section 2). It does not read the rules file, so a rule dropped or weakened in the data is caught here.
"""

from __future__ import annotations

from dataclasses import replace

from answers_factory import answers_strategy
from hypothesis import given, settings
from hypothesis import strategies as st

from sciatrack.domain.intake import RED_FLAG_KEYS, SIDES, IntakeAnswers
from sciatrack.domain.triage import Tier, result_to_json, triage

EMERGENCY_FLAGS = ("saddle_numbness", "bladder_change", "bowel_change", "face_head_jaw_numbness")
EMERGENCY_PAIRS = (
    ("progressive_weakness", "bilateral_leg_symptoms"),
    ("fever", "progressive_weakness"),
    ("anticoagulants", "sudden_severe_onset"),
)


def spec_tier(a: IntakeAnswers) -> str:
    flags = set(a.red_flags)
    if a.side == "both":
        flags.add("bilateral_leg_symptoms")

    def has(*keys: str) -> bool:
        return all(key in flags for key in keys)

    if any(has(key) for key in EMERGENCY_FLAGS) or any(has(*pair) for pair in EMERGENCY_PAIRS):
        return "emergency"
    urgent = ["bilateral_leg_symptoms", "sexual_dysfunction_new", "progressive_weakness", "fever"]
    urgent += ["arm_numbness_tingling", "major_trauma", "sudden_severe_onset"]
    if any(has(key) for key in urgent):
        return "urgent"
    soon = ["history_of_cancer", "unexplained_weight_loss", "night_pain_unrelenting", "iv_drug_use"]
    soon += ["immunosuppressed", "tb_history_or_exposure", "upset_stomach", "osteoporosis_or_steroids"]
    soon += ["anticoagulants"]
    if any(has(key) for key in soon):
        return "soon"
    if (
        a.leg_pain >= 8
        or a.back_pain >= 8
        or a.onset_weeks >= 6
        or "numbness" in a.sensations
        or "weakness" in a.sensations
        or a.age < 20
        or a.age > 55
    ):
        return "routine"
    return "self_care"


@settings(max_examples=500)
@given(answers_strategy())
def test_it_is_never_less_urgent_than_the_spec_table(answers: IntakeAnswers) -> None:
    assert triage(answers).tier >= Tier(spec_tier(answers))


@settings(max_examples=500)
@given(answers_strategy())
def test_it_gives_exactly_the_tier_of_the_spec_table(answers: IntakeAnswers) -> None:
    # Over-triage is not a safety bug, but it is still a departure from the contract.
    assert triage(answers).tier == spec_tier(answers)


@settings(max_examples=300)
@given(answers_strategy(), st.sampled_from(RED_FLAG_KEYS))
def test_it_never_lowers_the_tier_when_a_red_flag_is_added(answers: IntakeAnswers, flag: str) -> None:
    before = triage(answers)
    after = triage(replace(answers, red_flags=answers.red_flags | {flag}))
    assert after.tier >= before.tier
    assert after.tier >= Tier.SOON
    assert after.exercise_allowed is False


@settings(max_examples=300)
@given(answers_strategy(), st.sampled_from(EMERGENCY_FLAGS))
def test_it_gives_emergency_for_any_emergency_flag(answers: IntakeAnswers, flag: str) -> None:
    assert triage(replace(answers, red_flags=answers.red_flags | {flag})).tier is Tier.EMERGENCY


@settings(max_examples=200)
@given(answers_strategy(), st.sampled_from(EMERGENCY_PAIRS))
def test_it_gives_emergency_for_any_emergency_combination(
    answers: IntakeAnswers, pair: tuple[str, str]
) -> None:
    assert triage(replace(answers, red_flags=answers.red_flags | set(pair))).tier is Tier.EMERGENCY


@settings(max_examples=200)
@given(answers_strategy(), st.sampled_from(SIDES))
def test_it_never_lowers_the_tier_when_symptoms_spread_to_both_sides(
    answers: IntakeAnswers, side: str
) -> None:
    assert triage(replace(answers, side="both")).tier >= triage(replace(answers, side=side)).tier


@settings(max_examples=200)
@given(answers_strategy(), st.integers(0, 10), st.integers(0, 10))
def test_it_never_lowers_the_tier_when_pain_gets_worse(answers: IntakeAnswers, leg: int, back: int) -> None:
    worse = replace(answers, leg_pain=max(leg, answers.leg_pain), back_pain=max(back, answers.back_pain))
    assert triage(worse).tier >= triage(answers).tier


@given(answers_strategy())
def test_it_allows_exercise_only_in_routine_and_self_care_and_always_explains(answers: IntakeAnswers) -> None:
    result = triage(answers)
    assert result.exercise_allowed is (result.tier in (Tier.ROUTINE, Tier.SELF_CARE))
    assert bool(result.matched) is (result.tier is not Tier.SELF_CARE)
    assert result.matched == () or result.matched[0].tier is result.tier
    body = result_to_json(result)
    assert "{" not in " ".join(body["advice"]["what_to_do_now"])
    for condition in body["conditions_to_discuss"]:
        assert all(line.startswith("Because you said ") and "{" not in line for line in condition["because"])
