"""The generated clinic of :mod:`sciatrack.db.care_records`: real-looking rows, the same for the same seed."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction

from sciatrack.accounts.models import Clinic, Patient
from sciatrack.care.models import DiaryEntry, Intake, Program, ProgramChange, SessionLog
from sciatrack.db.care_records import generate_clinic
from sciatrack.domain.intake import parse_intake
from sciatrack.domain.session_log import parse_session_log

pytestmark = pytest.mark.django_db

PATIENTS = 30


def snapshot(slug: str) -> dict[str, list[Any]]:
    """Every generated row of the clinic, as values without database ids."""
    patients = Patient.objects.filter(clinic__slug=slug)
    of = {"patient__clinic__slug": slug}
    return {
        "patients": list(patients.order_by("uuid").values_list("uuid", "display_name", "created")),
        "intakes": list(
            Intake.objects.filter(**of)
            .order_by("uuid")
            .values_list("uuid", "patient__uuid", "answers", "result", "tier", "measures", "created")
        ),
        "programs": list(
            Program.objects.filter(**of).order_by("uuid").values_list("uuid", "intake__uuid", "exercises")
        ),
        "sessions": list(
            SessionLog.objects.filter(**of)
            .order_by("uuid")
            .values_list("uuid", "idempotency_key", "started_at", "pain_after", "exercises")
        ),
        "diary": list(
            DiaryEntry.objects.filter(**of)
            .order_by("patient__uuid", "day")
            .values_list("patient__uuid", "day", "leg_pain", "back_pain", "reach", "sleep")
        ),
    }


def test_the_clinic_gets_its_patients_and_their_records() -> None:
    made = generate_clinic("generated", PATIENTS, seed=3)
    clinic = Clinic.objects.get(slug="generated")
    assert made.clinic == clinic
    assert Patient.objects.filter(clinic=clinic).count() == made.patients == PATIENTS
    of = {"patient__clinic": clinic}
    assert Intake.objects.filter(**of).count() == made.intakes > PATIENTS  # follow-ups too
    assert Program.objects.filter(**of).count() == made.programs > 0
    assert SessionLog.objects.filter(**of).count() == made.sessions > 0
    assert DiaryEntry.objects.filter(**of).count() == made.diary_days > 0
    assert ProgramChange.objects.filter(program__patient__clinic=clinic).count() == made.program_changes


def test_the_records_read_back_as_the_app_stores_them() -> None:
    generate_clinic("generated", PATIENTS, seed=4)
    for intake in Intake.objects.filter(patient__clinic__slug="generated"):
        assert parse_intake(intake.answers).to_json() == intake.answers
        assert intake.triage_result["tier"] == intake.current_tier
    for log in SessionLog.objects.filter(patient__clinic__slug="generated")[:200]:
        parsed = parse_session_log(
            {
                "idempotency_key": str(log.idempotency_key),
                "started_at": log.started_at.isoformat(),
                "finished_at": log.finished_at.isoformat(),
                "pain_before": log.pain_before,
                "pain_after": log.pain_after,
                "ended_early": log.ended_early,
                "end_reason": log.end_reason,
                "kind": log.kind,
                "exercises": log.exercises,
            }
        )
        assert parsed.finished_at > parsed.started_at
        assert log.program is not None and log.program.patient_id == log.patient_id


def test_follow_up_checks_come_after_the_first() -> None:
    generate_clinic("generated", PATIENTS, seed=5)
    for patient in Patient.objects.filter(clinic__slug="generated"):
        moments = [intake.created for intake in patient.intakes.order_by("created")]
        assert moments == sorted(set(moments))
        assert all(patient.created <= when for when in moments)


def test_the_same_seed_gives_the_same_rows() -> None:
    generate_clinic("again", PATIENTS, seed=7)
    first = snapshot("again")
    with transaction.atomic():
        Patient.objects.filter(clinic__slug="again").delete()
        Clinic.objects.get(slug="again").clinicians.all().delete()

        User.objects.filter(username__startswith="again-").delete()
        Clinic.objects.filter(slug="again").delete()
    generate_clinic("again", PATIENTS, seed=7)
    assert snapshot("again") == first
    generate_clinic("other", PATIENTS, seed=8)
    assert snapshot("other")["diary"] != first["diary"]


def test_a_taken_slug_is_refused() -> None:
    generate_clinic("taken", 1, seed=1)
    with pytest.raises(ValueError, match="taken"):
        generate_clinic("taken", 1, seed=1)
