"""The care records answer in the vocabulary's terms and convert to and from their domain objects, so
pages, the API, the clinic and the registry ask the record instead of comparing tier names."""

from __future__ import annotations

import pytest

from sciatrack.accounts.models import Patient
from sciatrack.care.models import Intake, SafetyUpdate, SessionLog
from sciatrack.domain.intake import parse_intake
from sciatrack.domain.programs import build_program, program_to_json
from sciatrack.domain.session_log import parse_session_log
from sciatrack.domain.vocabulary import TIER_CHOICES, TIERS, Tier, Where
from sciatrack.program.programs import create_program
from web.test_program import a_log, make_intake, vignette

pytestmark = pytest.mark.django_db


def test_a_checks_tiers_take_their_choices_from_the_vocabulary() -> None:
    for name in ("tier", "current_tier"):
        field = Intake._meta.get_field(name)
        assert [value for value, _ in field.choices] == list(TIERS)
        assert tuple(field.choices) == TIER_CHOICES


@pytest.mark.parametrize(
    ("name", "tier", "place", "alert", "exercise"),
    [
        ("disc-pattern-self-care", Tier.SELF_CARE, Where.HOME_PROGRAM, False, True),
        ("new-foot-drop-doctor-today", Tier.URGENT, Where.DOCTOR_TODAY, True, False),
        ("cauda-equina-bladder", Tier.EMERGENCY, Where.EMERGENCY_DEPARTMENT_NOW, True, False),
    ],
)
def test_a_check_says_its_tier_place_alert_and_exercise(
    alice: Patient, name: str, tier: Tier, place: Where, alert: bool, exercise: bool
) -> None:
    check = Intake.objects.get(pk=make_intake(alice, name).pk)
    assert (check.triage_tier, check.place, check.is_alert) == (tier, place, alert)
    assert check.allows_exercise is exercise is tier.exercise_allowed
    assert check.to_domain() == parse_intake(vignette(name))


def test_a_danger_sign_reported_since_holds_the_exercises_but_the_check_keeps_its_own_tier(
    alice: Patient,
) -> None:
    check = make_intake(alice, "disc-pattern-self-care")
    SafetyUpdate.objects.create(
        patient=alice,
        intake=check,
        source=SafetyUpdate.Source.DIARY,
        signs=["fever"],
        result={"tier": Tier.URGENT.value, "where": Where.DOCTOR_TODAY.value},
        tier=Tier.URGENT.value,
        where=Where.DOCTOR_TODAY.value,
    )
    check = Intake.objects.get(pk=check.pk)
    assert check.advice_tier is Tier.URGENT
    assert not check.allows_exercise
    assert (check.triage_tier, check.is_alert) == (Tier.SELF_CARE, False)


def test_a_stored_program_gives_back_the_domain_program_it_was_built_as(alice: Patient) -> None:
    check = make_intake(alice, "disc-pattern-self-care")
    record = create_program(check)
    assert record is not None
    built = build_program(check.to_domain())
    assert record.to_domain() == built
    assert program_to_json(record.to_domain()) == program_to_json(built)


def test_a_session_log_goes_to_its_record_and_back_unchanged(alice: Patient) -> None:
    log = parse_session_log(a_log(exercises=[{**a_log()["exercises"][0], "symptoms": "spread_down"}]))
    record = SessionLog.from_domain(alice, log, None)
    assert record.needs_review  # the symptoms spread: a clinician should look
    record.save()
    assert SessionLog.objects.get(pk=record.pk).to_domain() == log
