"""Clinic patients mirrored into the registry: the case, its follow-ups, weeks and outcomes from the care
records; nobody without a clinic; nothing that names a person; kept current by signals; gone with the
patient."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from sciatrack.accounts.models import Clinic, Patient
from sciatrack.care.models import DiaryEntry, Intake, Program, SessionLog
from sciatrack.content.registry_schema import load_registry_content
from sciatrack.demo import load_demo
from sciatrack.demo_histories import PERSONAS
from sciatrack.domain.intake import parse_intake
from sciatrack.domain.outcomes import prescribed_sessions_per_week
from sciatrack.domain.registry_outcomes import Status
from sciatrack.domain.triage import result_to_json, triage
from sciatrack.program.programs import create_program
from sciatrack.registry.models import CaseOutcome, RegistryCase, RegistryFollowUp, RegistryWeek
from sciatrack.registry.sync import sync_all, sync_patient, weekly_activity, weekly_session_kinds
from vignettes import vignette_answers

pytestmark = pytest.mark.django_db

START = date(2026, 3, 2)  # a Monday
NAME = "Zebedee Quartermaine"


def at(day: int, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(START + timedelta(days=day), time(hour)))


def check(patient: Patient, day: int, leg: int, back: int, sbi: int | None) -> Intake:
    """A stored check on ``day`` (days from START) with these measures, and its program."""
    answers = parse_intake(
        {**vignette_answers("disc-pattern-self-care"), "pain": {"leg_now": leg, "back_now": back}}
    )
    result = triage(answers)
    intake = Intake.objects.record(
        patient,
        answers.to_json(),
        result_to_json(result),
        measures={
            "nprs": {"leg_now": leg, "back_now": back},
            "sbi": {"skipped": True} if sbi is None else {"score": sbi, "minimum": 0, "maximum": 24},
        },
        content_version="test",
    )
    Intake.objects.filter(pk=intake.pk).update(created=at(day, 8))
    program = create_program(intake)
    if program is not None:
        Program.objects.filter(pk=program.pk).update(created=at(day, 8))
    return intake


def session(patient: Patient, day: int, hour: int = 18) -> SessionLog:
    return SessionLog.objects.create(
        patient=patient,
        idempotency_key=uuid.uuid4(),
        started_at=at(day, hour),
        finished_at=at(day, hour) + timedelta(minutes=20),
        pain_before=5,
        exercises=[{"id": "lift-off", "status": "done"}],
    )


def diary(patient: Patient, day: int, leg: int) -> DiaryEntry:
    return DiaryEntry.objects.create(
        patient=patient,
        day=START + timedelta(days=day),
        leg_pain=leg,
        back_pain=2,
        reach="thigh",
        sleep="ok",
        note=f"{NAME} wrote this",
    )


@pytest.fixture
def clinic() -> Clinic:
    return Clinic.objects.create(name="Harbour Spine", slug="harbour")


def person(username: str, clinic: Clinic | None) -> Patient:
    user = User.objects.create_user(
        username, email=f"{username}@example.org", password="a long test password"
    )
    return Patient.objects.create(user=user, clinic=clinic, display_name=NAME)


@pytest.fixture
def pat(clinic: Clinic, django_capture_on_commit_callbacks: Any) -> Patient:
    """Baseline leg pain 7, follow-ups at days 14, 42 and 84; sessions and diary over the first weeks.

    The records are made as if committed (their on-commit syncs run), so a test's own transaction
    starts with nothing waiting.
    """
    with django_capture_on_commit_callbacks(execute=True):
        patient = person("zebedee", clinic)
        check(patient, 0, leg=7, back=4, sbi=15)
        check(patient, 14, leg=6, back=4, sbi=None)
        check(patient, 42, leg=4, back=3, sbi=10)
        check(patient, 84, leg=1, back=1, sbi=5)
        for day in (0, 1, 1, 3, 8, 20):
            session(patient, day)
        for day, leg in ((0, 7), (2, 6), (9, 5), (10, 6), (-3, 9)):  # day -3 is before the first check
            diary(patient, day, leg)
    return patient


def rows() -> dict[str, set[tuple[Any, ...]]]:
    """Every registry row but its own id and links, for comparing two states."""
    return {
        "cases": set(RegistryCase.objects.values_list(*(f.attname for f in RegistryCase._meta.fields[1:]))),
        "follow_ups": set(
            RegistryFollowUp.objects.values_list("case__source_patient", "day", "leg_pain", "sbi")
        ),
        "weeks": set(
            RegistryWeek.objects.values_list("case__source_patient", "week", "sessions_done", "diary_days")
        ),
        "outcomes": set(
            CaseOutcome.objects.values_list("case__source_patient", "outcome", "status", "value")
        ),
    }


def test_it_mirrors_a_clinic_patient(pat: Patient, clinic: Clinic) -> None:
    case = sync_patient(pat)
    assert case is not None
    case.refresh_from_db()
    record = pat.programs.first()
    assert record is not None
    assert (case.source_patient, case.clinic_id, case.enrolled_on) == (pat.uuid, clinic.pk, START)
    assert (case.age_band, case.triage_tier, case.pattern) == ("40-49", "self_care", record.pattern)
    bits = load_registry_content().program_bits
    assert case.program_mask == sum(1 << bits[item["id"]] for item in record.exercises) != 0
    assert case.sessions_per_week == prescribed_sessions_per_week(record.to_domain()) > 0
    assert (case.baseline_leg_pain, case.baseline_back_pain, case.baseline_sbi) == (7, 4, 15)
    assert not case.stale
    follow_ups = list(case.follow_ups.order_by("day").values_list("day", "leg_pain", "back_pain", "sbi"))
    assert follow_ups == [(14, 6, 4, None), (42, 4, 3, 10), (84, 1, 1, 5)]
    weeks = list(
        case.weeks.order_by("week").values_list("week", "sessions_done", "diary_days", "mean_leg_pain")
    )
    assert weeks == [(0, 4, 2, 6.5), (1, 1, 2, 5.5), (2, 1, 0, None)]
    outcomes = dict(CaseOutcome.objects.filter(case=case).values_list("outcome", "status"))
    assert outcomes == {
        "leg-pain-responder-12w": Status.MET,
        "leg-pain-recovered-12w": Status.MET,
        "sbi-low-12w": Status.MET,
        "leg-pain-responder-26w-strict": Status.MISSING,
    }
    responder = CaseOutcome.objects.get(case=case, outcome="leg-pain-responder-12w")
    assert (responder.baseline, responder.value, responder.change) == (7, 1, -6)
    assert (responder.time_week, responder.event) == (6, True)  # 7 -> 4 at day 42
    assert case.sessions_per_week == 21
    assert responder.adherence_band == "minimal"  # 6 sessions over weeks 0 to 2, of 3 x 21 asked for


def test_it_leaves_people_without_a_clinic_out(clinic: Clinic) -> None:
    alone = person("solo", None)
    check(alone, 0, leg=7, back=4, sbi=15)
    session(alone, 1)
    assert sync_patient(alone) is None
    assert not RegistryCase.objects.exists()
    assert sync_all() == 0


def test_it_leaves_a_clinic_patient_without_a_check_out(clinic: Clinic) -> None:
    assert sync_patient(person("new", clinic)) is None
    assert not RegistryCase.objects.exists()


def test_syncing_again_gives_the_same_rows(pat: Patient) -> None:
    sync_patient(pat)
    first = rows()
    sync_patient(pat)
    assert rows() == first
    assert sync_all() == 1
    assert rows() == first
    assert RegistryFollowUp.objects.count() == 3


def test_it_replaces_follow_ups_and_weeks_with_the_records_of_now(pat: Patient) -> None:
    sync_patient(pat)
    Intake.objects.filter(patient=pat).order_by("-created").first().delete()  # type: ignore[union-attr]
    SessionLog.objects.filter(patient=pat, started_at__gte=at(8, 0)).delete()
    case = sync_patient(pat)
    assert case is not None
    assert sorted(case.follow_ups.values_list("day", flat=True)) == [14, 42]
    assert list(case.weeks.order_by("week").values_list("week", "sessions_done")) == [(0, 4), (1, 0)]
    responder = CaseOutcome.objects.get(case=case, outcome="leg-pain-responder-12w")
    assert responder.status == Status.MISSING  # the 12-week check is gone


def test_it_keeps_no_name_or_contact_detail(pat: Patient) -> None:
    sync_patient(pat)
    assert pat.user is not None
    words = [NAME, "Zebedee", "zebedee", pat.user.email, "wrote this"]
    for model in (RegistryCase, RegistryFollowUp, RegistryWeek, CaseOutcome):
        assert model.objects.exists()
        for row in model.objects.values():
            text = repr(row)
            assert not any(word in text for word in words), (model.__name__, row)
    # The only link back to the person is their public uuid.
    assert RegistryCase.objects.get().source_patient == pat.uuid


def test_deleting_the_patient_removes_their_case(pat: Patient, clinic: Clinic) -> None:
    other = person("other", clinic)
    check(other, 0, leg=5, back=5, sbi=12)
    sync_all()
    assert RegistryCase.objects.count() == 2
    pat.delete()
    assert list(RegistryCase.objects.values_list("source_patient", flat=True)) == [other.uuid]
    assert not RegistryFollowUp.objects.filter(case__source_patient=pat.uuid).exists()


def test_sync_all_forgets_cases_of_patients_who_left_their_clinic_and_keeps_generated_ones(
    pat: Patient, clinic: Clinic
) -> None:
    sync_all()
    generated = RegistryCase.objects.create(
        clinic=clinic, enrolled_on=START, age_band="30-39", triage_tier="self_care", pattern="unclear"
    )
    Patient.objects.filter(pk=pat.pk).update(clinic=None)  # no signal: sync_all must notice by itself
    assert sync_all() == 0
    assert list(RegistryCase.objects.values_list("pk", flat=True)) == [generated.pk]


# --- kept current by signals ---------------------------------------------------------------------------


def test_care_records_saved_in_one_transaction_sync_the_patient_once_after_commit(
    pat: Patient, django_capture_on_commit_callbacks: Any
) -> None:
    sync_patient(pat)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        session(pat, 22)
        session(pat, 23)
        diary(pat, 22, 3)
        assert RegistryWeek.objects.filter(week=3).count() == 0  # not before the commit
    assert len(callbacks) == 1
    week = RegistryWeek.objects.get(week=3)
    assert (week.sessions_done, week.diary_days, week.mean_leg_pain) == (2, 1, 3.0)


def test_a_change_after_a_rolled_back_savepoint_is_still_synced(
    pat: Patient, django_capture_on_commit_callbacks: Any
) -> None:
    sync_patient(pat)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        try:
            with transaction.atomic():
                session(pat, 22)
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        diary(pat, 29, 2)
    assert len(callbacks) == 1
    assert not RegistryWeek.objects.filter(week=3).exists()
    assert RegistryWeek.objects.get(week=4).diary_days == 1


def test_each_transaction_syncs_again(pat: Patient, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        diary(pat, 22, 3)
    assert RegistryWeek.objects.filter(week=3).exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        diary(pat, 29, 2)
    assert len(callbacks) == 1
    assert RegistryWeek.objects.filter(week=4).exists()


def test_a_first_check_through_the_signals_enrols_a_clinic_patient(
    clinic: Clinic, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        patient = person("fresh", clinic)
    assert not RegistryCase.objects.exists()  # no check yet
    with django_capture_on_commit_callbacks(execute=True):
        check(patient, 0, leg=6, back=2, sbi=9)
    case = RegistryCase.objects.get(source_patient=patient.uuid)
    assert (case.baseline_leg_pain, case.stale) == (6, False)
    assert CaseOutcome.objects.filter(case=case).count() == 4


def test_leaving_the_clinic_leaves_the_registry(
    pat: Patient, django_capture_on_commit_callbacks: Any
) -> None:
    sync_patient(pat)
    with django_capture_on_commit_callbacks(execute=True):
        pat.clinic = None
        pat.save()
    assert not RegistryCase.objects.exists()


# --- the demo ------------------------------------------------------------------------------------------


def test_the_demo_patients_appear_in_the_registry() -> None:
    list(load_demo())
    for persona in PERSONAS:
        patient = Patient.objects.get(user__username=persona.username)
        case = RegistryCase.objects.get(source_patient=patient.uuid)
        checks = patient.intakes.count()
        assert case.follow_ups.count() == checks - 1 == len(persona.checks) - 1
        assert case.weeks.exists()
        assert not case.stale
        assert CaseOutcome.objects.filter(case=case).count() == 4
    # The demo also generates a synthetic network; its cases have no source patient.
    assert RegistryCase.objects.filter(source_patient__isnull=False).count() == len(PERSONAS)
    before = rows()
    list(load_demo())  # loading again changes nothing
    assert rows() == before


def test_weekly_activity_counts_from_the_baseline() -> None:
    days = [START + timedelta(days=d) for d in (0, 6, 7, 7, 30)]
    entries = [(START + timedelta(days=d), leg) for d, leg in ((-1, 9), (1, 4), (2, 5), (13, 2))]
    assert weekly_activity(START, days, entries) == [(0, 2, 2, 4.5), (1, 2, 1, 2.0), (4, 1, 0, None)]


def test_a_log_of_someone_without_a_clinic_or_case_syncs_nothing(
    clinic: Clinic, django_capture_on_commit_callbacks: Any, django_assert_max_num_queries: Any
) -> None:
    alone = person("solo", None)
    check(alone, 0, leg=7, back=4, sbi=15)
    with django_capture_on_commit_callbacks() as callbacks:
        session(alone, 1)
    with django_assert_max_num_queries(1):  # the one read that finds no clinic and no case
        for callback in callbacks:
            callback()
    assert not RegistryCase.objects.exists()


def test_a_log_removes_the_case_of_someone_whose_clinic_was_cleared_unseen(
    pat: Patient, django_capture_on_commit_callbacks: Any
) -> None:
    assert RegistryCase.objects.filter(source_patient=pat.uuid).exists()
    Patient.objects.filter(pk=pat.pk).update(clinic=None)  # an update sends no signal
    with django_capture_on_commit_callbacks(execute=True):
        session(pat, 30)
    assert not RegistryCase.objects.filter(source_patient=pat.uuid).exists()


def test_a_log_stored_by_the_guide_counts_in_the_case_once_committed(
    pat: Patient, django_capture_on_commit_callbacks: Any
) -> None:
    from sciatrack.domain.session_log import parse_session_log
    from sciatrack.program.programs import store_log

    def sessions_in_week(week: int) -> int:
        found = RegistryWeek.objects.filter(case__source_patient=pat.uuid, week=week)
        return sum(found.values_list("sessions_done", flat=True))

    assert sessions_in_week(5) == 0
    log = parse_session_log(
        {
            "idempotency_key": str(uuid.uuid4()),
            "started_at": at(36, 18).isoformat(),
            "finished_at": (at(36, 18) + timedelta(minutes=15)).isoformat(),
            "pain_before": 4,
            "pain_after": 3,
            "ended_early": False,
            "end_reason": "",
            "exercises": [
                {"id": "lift-off", "status": "done", "reps_done": 10, "holds_done": 0, "seconds": 60}
            ],
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        record, created = store_log(pat, log, None)
    assert created and record.pk is not None
    assert sessions_in_week(5) == 1  # day 36 is in week 5 from the first check


def test_weekly_session_kinds_count_short_and_ended_early_sessions_by_week() -> None:
    sessions = [
        (START - timedelta(days=1), True, True),  # before the first check: left out
        (START, True, False),
        (START + timedelta(days=3), False, True),
        (START + timedelta(days=3), True, True),
        (START + timedelta(days=8), False, False),
    ]
    assert weekly_session_kinds(START, sessions) == {0: (2, 2), 1: (0, 0)}
