"""Danger signs asked again: the list, what each alone means, and the re-run of the whole table."""

from __future__ import annotations

from dataclasses import replace

import pytest
from answers_factory import answers

from sciatrack.content.danger_signs import CONTRACT_MINIMUM
from sciatrack.domain.safety_update import at_least, danger_signs, triage_update, updated_answers
from sciatrack.domain.triage import Tier, Where, triage
from sciatrack.domain.vocabulary import RED_FLAG_KEYS_ADDED_IN_V2, SCHEMA_V1

# The spec's emergency rules for a sign on its own (section 2): these six send a person to the
# emergency department now whatever else they said.
ALONE_EMERGENCY = {
    "saddle_numbness",
    "bladder_change",
    "bowel_change",
    "sexual_dysfunction_new",
    "face_head_jaw_numbness",
    "sudden_pain_faint",
}


def test_it_asks_at_least_the_contracts_danger_signs_each_once() -> None:
    flags = [sign.flag for sign in danger_signs()]
    assert set(CONTRACT_MINIMUM) <= set(flags) and len(flags) == len(set(flags))
    assert all(sign.label and not sign.label.endswith("?") for sign in danger_signs())


def test_it_marks_exactly_the_signs_that_alone_mean_the_emergency_department_now() -> None:
    assert {sign.flag for sign in danger_signs() if sign.emergency_alone} == ALONE_EMERGENCY


def test_a_fever_after_a_recent_spinal_procedure_reaches_the_emergency_advice() -> None:
    check = answers(flags=["recent_spinal_procedure"])
    assert triage(check).where is Where.DOCTOR_WITHIN_DAYS
    result = triage_update(check, ["fever"], weeks_since=1)
    assert result.where is Where.EMERGENCY_DEPARTMENT_NOW
    assert result.matched[0].id == "emergency.fever-after-spinal-procedure"


def test_new_symptoms_in_the_other_leg_with_nerve_signs_are_an_emergency_even_long_after_the_check() -> None:
    check = answers(sensations=["tingling"], onset_weeks=10)
    result = triage_update(check, ["bilateral_new"], weeks_since=12)
    assert result.where is Where.EMERGENCY_DEPARTMENT_NOW
    assert "bilateral_leg_symptoms" in updated_answers(check, ["bilateral_new"], 12).effective_flags


def test_it_advances_the_episode_by_the_weeks_since_the_check() -> None:
    check = answers(onset_weeks=2)
    assert updated_answers(check, ["fever"], weeks_since=3.5).onset_weeks == 5.5
    assert updated_answers(check, ["fever"], weeks_since=-1).onset_weeks == 2
    assert updated_answers(answers(onset_weeks=2599), ["fever"], weeks_since=52).onset_weeks == 2600


@pytest.mark.parametrize("sign", [sign.flag for sign in danger_signs()])
def test_any_sign_answered_yes_is_never_less_urgent_than_a_doctor_today(sign: str) -> None:
    result = triage_update(answers(), [sign], weeks_since=0)
    assert result.where.pressure >= Where.DOCTOR_TODAY.pressure
    assert result.exercise_allowed is False


def test_it_raises_a_calmer_result_to_the_floor_and_keeps_a_more_urgent_one() -> None:
    calm = triage(answers())
    raised = at_least(calm, Where.DOCTOR_TODAY)
    assert (raised.tier, raised.where, raised.exercise_allowed) == (Tier.URGENT, Where.DOCTOR_TODAY, False)
    assert raised.advice.headline == "See a doctor today"
    urgent = triage(answers(flags=["saddle_numbness"]))
    assert at_least(urgent, Where.DOCTOR_TODAY) is urgent


def test_it_needs_a_sign_answered_yes() -> None:
    with pytest.raises(ValueError, match="at least one sign"):
        triage_update(answers(), [], weeks_since=0)


def test_a_version_1_check_counts_a_new_sign_as_asked() -> None:
    check = replace(answers(), schema=SCHEMA_V1, red_flags=frozenset())
    assert check.not_asked == RED_FLAG_KEYS_ADDED_IN_V2
    updated = updated_answers(check, ["sudden_pain_faint"], weeks_since=2)
    assert "sudden_pain_faint" not in updated.not_asked and len(updated.not_asked) == 8
    assert triage_update(check, ["sudden_pain_faint"], 2).where is Where.EMERGENCY_DEPARTMENT_NOW
