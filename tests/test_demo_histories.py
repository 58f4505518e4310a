"""The demo's seeded histories: idempotent, valid through the app's own parsers, and each persona shows
what it is meant to show when run through the domain's outcome functions, on any day and at any hour
(the stories are checked with the clock moved to each of :data:`MOMENTS`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.utils import timezone

from sciatrack.accounts.models import Clinician, Patient
from sciatrack.care.models import DiaryEntry, Intake, Program, SessionLog
from sciatrack.demo import load_demo
from sciatrack.demo_histories import PERSONAS, add_history
from sciatrack.domain import outcomes
from sciatrack.domain.follow_ups import FollowUpStatus, follow_up_schedule
from sciatrack.domain.intake import parse_intake
from sciatrack.domain.outcomes import Assessment, Measure, SignalKind, SymptomReach, Trend
from sciatrack.domain.scoring import score
from sciatrack.domain.session_log import ExerciseStatus, SymptomMovement, parse_session_log
from sciatrack.domain.triage import triage

pytestmark = pytest.mark.django_db

PERSONA = {persona.username: persona for persona in PERSONAS}

# Local clock times to build the histories at: (time zone, local time). Around midnight and before the
# day's first session is over, month ends, a year end, a leap day, both clock changes in two zones, a
# history that spans a clock change, and every day of one week.
MOMENTS = [
    ("UTC", datetime(2026, 12, 4, 0, 5)),  # the day `make test` failed, just after midnight
    ("UTC", datetime(2026, 12, 4, 7, 55)),  # the first session of the day is not over yet
    ("UTC", datetime(2026, 12, 4, 23, 59)),
    ("UTC", datetime(2026, 1, 31, 6, 0)),
    ("UTC", datetime(2026, 2, 28, 12, 0)),
    ("America/New_York", datetime(2026, 4, 30, 23, 30)),
    ("Pacific/Auckland", datetime(2026, 12, 31, 23, 55)),
    ("UTC", datetime(2027, 1, 1, 0, 1)),
    ("UTC", datetime(2028, 2, 29, 8, 0)),
    ("Europe/Berlin", datetime(2028, 3, 1, 0, 10)),
    ("Europe/Berlin", datetime(2027, 3, 28, 3, 30)),  # clocks went forward at 02:00
    ("Europe/Berlin", datetime(2026, 10, 25, 2, 30)),  # clocks go back at 03:00: this hour comes twice
    ("America/New_York", datetime(2026, 11, 1, 1, 30)),  # the same, at 02:00
    ("America/New_York", datetime(2027, 3, 14, 3, 0)),  # clocks went forward at 02:00
    ("Europe/Berlin", datetime(2027, 1, 10, 7, 0)),  # the history started before the clocks went back
    *(("Asia/Kolkata", datetime(2027, 6, day, 7, 0)) for day in range(7, 14)),  # Monday to Sunday
]


@pytest.fixture
def demo_today() -> date:
    """The whole demo loaded at the real clock."""
    list(load_demo())
    return timezone.localdate()


def build_histories() -> None:
    """The four demo patients with their histories only (no clinic or registry: quicker than the demo)."""
    for persona in PERSONAS:
        user = User.objects.create(username=persona.username)
        add_history(Patient.objects.create(user=user, display_name=persona.display_name), persona)


@pytest.fixture(params=MOMENTS, ids=[f"{zone}-{moment:%Y-%m-%dT%H:%M}" for zone, moment in MOMENTS])
def today(request: pytest.FixtureRequest, settings: Any) -> Iterator[date]:
    """The histories built with the clock at one of :data:`MOMENTS`; the test runs at that moment too."""
    zone, moment = request.param
    settings.TIME_ZONE = zone
    with time_machine.travel(moment.replace(tzinfo=ZoneInfo(zone)), tick=False):
        build_histories()
        assert timezone.localdate() == moment.date()
        yield moment.date()


def patient(username: str) -> Patient:
    return Patient.objects.get(user__username=username)


def assessments(username: str) -> tuple[Assessment, list[Assessment]]:
    """The baseline and the follow-ups of a patient, read from the stored checks' measures."""
    found = []
    for intake in patient(username).intakes.order_by("created"):
        measures = intake.measures
        found.append(
            Assessment(
                timezone.localdate(intake.created),
                leg_pain=measures["nprs"]["leg_now"],
                back_pain=measures["nprs"]["back_now"],
                sbi=measures["sbi"]["score"],
                peg=measures["peg"]["score"],
                psfs=measures["psfs"]["score"],
            )
        )
    return found[0], found[1:]


def diary(username: str) -> list[outcomes.DiaryEntry]:
    return [
        outcomes.DiaryEntry(entry.day, entry.leg_pain, entry.back_pain, SymptomReach(entry.reach))
        for entry in patient(username).diary.order_by("day")
    ]


def adherence(username: str, today: date) -> list[outcomes.WeekAdherence]:
    person = patient(username)
    start = timezone.localdate(person.intakes.order_by("created")[0].created)
    prescribed = outcomes.prescribed_sessions_per_week(person.programs.order_by("created")[0].to_domain())
    days = [timezone.localdate(log.started_at) for log in person.session_logs.all()]
    return outcomes.weekly_adherence(days, prescribed, start, today)


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (User, Patient, Intake, Program, DiaryEntry, SessionLog)
    }


def test_it_loads_the_demo_twice_with_the_same_counts(demo_today: date) -> None:
    before = counts()
    lines = list(load_demo())
    assert counts() == before
    assert before["Patient"] == 4
    assert before["Intake"] == sum(len(persona.checks) for persona in PERSONAS)
    for persona in PERSONAS:
        assert f"kept history: {persona.username} ({persona.story})" in lines
    clinician = Clinician.objects.get(user__username="clinician")
    for person in Patient.objects.all():
        assert person.clinic == clinician.clinic
        assert list(person.clinicians.all()) == [clinician]


def test_it_keeps_a_history_once_the_patient_has_a_check(demo_today: date) -> None:
    before = counts()
    assert add_history(patient("wes"), PERSONA["wes"]) is False
    assert counts() == before


def test_it_ends_every_history_today_with_nothing_in_the_future(today: date) -> None:
    now = timezone.now()
    for persona in PERSONAS:
        person = patient(persona.username)
        first = person.intakes.order_by("created")[0]
        assert timezone.localdate(first.created) == today - timedelta(days=persona.days)
        last = person.diary.order_by("-day")[0].day
        assert last <= today
        assert last == today or persona.username == "nora"  # her diary thinned out
        assert not person.intakes.filter(created__gt=now).exists()
        assert not person.session_logs.filter(finished_at__gt=now).exists()


def test_it_stores_checks_that_a_fresh_triage_and_scoring_agree_with(demo_today: date) -> None:
    for intake in Intake.objects.all():
        answers = parse_intake(intake.answers)
        assert not answers.effective_flags
        result = triage(answers)
        assert result.tier.value == intake.tier == intake.result["tier"]
        assert result.exercise_allowed
        assert intake.programs.count() == 1
        for questionnaire in ("sbi", "peg"):
            stored = intake.measures[questionnaire]
            assert stored["score"] == score(questionnaire, stored["responses"]).value
        assert intake.measures["psfs"]["score"] == score("psfs", intake.measures["psfs"]["activities"]).value


def test_it_stores_session_logs_that_the_session_parser_accepts(demo_today: date) -> None:
    logs = SessionLog.objects.all()
    assert logs.count() > 300
    for record in logs:
        document: dict[str, Any] = {
            "idempotency_key": str(record.idempotency_key),
            "started_at": record.started_at.isoformat(),
            "finished_at": record.finished_at.isoformat(),
            "pain_before": record.pain_before,
            "pain_after": record.pain_after,
            "ended_early": record.ended_early,
            "end_reason": record.end_reason,
            "exercises": record.exercises,
        }
        parsed = parse_session_log(document)
        assert record.needs_review == any(item.needs_review for item in parsed.exercises)
        assert record.program is not None
        assert [item["id"] for item in record.exercises] == [item["id"] for item in record.program.exercises]


def test_it_makes_pat_a_recovered_responder(today: date) -> None:
    baseline, follow_ups = assessments("patient")
    assert [baseline.leg_pain, *(a.leg_pain for a in follow_ups)] == [7, 5, 3, 1]
    leg = outcomes.measure_change(Measure.LEG_PAIN, baseline, follow_ups)
    assert leg.responder is True
    assert leg.latest is not None and outcomes.recovered(leg.latest)
    assert outcomes.signals(baseline, follow_ups, diary("patient"), today) == []
    assert outcomes.centralization_trend(diary("patient")) is Trend.CENTRALIZING
    schedule = follow_up_schedule(baseline.day, today, [a.day for a in follow_ups])
    assert [item.status for item in schedule] == [FollowUpStatus.DONE] * 3
    spread = patient("patient").session_logs.filter(needs_review=True)
    assert spread.count() == 1
    assert (today - timezone.localdate(spread[0].started_at)).days > 70  # early on


def test_it_makes_sam_respond_only_at_twelve_weeks(today: date) -> None:
    baseline, follow_ups = assessments("sam")
    assert [baseline.leg_pain, *(a.leg_pain for a in follow_ups)] == [6, 6, 6, 3]
    six_weeks = baseline.day + timedelta(weeks=6)
    early = [a for a in follow_ups if a.day <= six_weeks]
    assert outcomes.measure_change(Measure.LEG_PAIN, baseline, early).responder is False
    assert outcomes.measure_change(Measure.LEG_PAIN, baseline, follow_ups).responder is True
    then = [e for e in diary("sam") if e.day <= six_weeks]
    kinds = {s.kind for s in outcomes.signals(baseline, early, then, six_weeks)}
    assert kinds == {SignalKind.NOT_IMPROVING_6_WEEKS}
    assert outcomes.signals(baseline, follow_ups, diary("sam"), today) == []
    assert outcomes.centralization_trend(diary("sam")) is Trend.CENTRALIZING
    assert outcomes.centralization_trend(then) is Trend.STABLE


def test_it_flags_wes_as_getting_worse_and_spreading(today: date) -> None:
    baseline, follow_ups = assessments("wes")
    assert [baseline.leg_pain, *(a.leg_pain for a in follow_ups)] == [5, 6, 8]
    kinds = {s.kind for s in outcomes.signals(baseline, follow_ups, diary("wes"), today)}
    assert kinds == {SignalKind.GETTING_WORSE, SignalKind.SPREADING}
    assert outcomes.measure_change(Measure.LEG_PAIN, baseline, follow_ups).worsened is True
    assert outcomes.centralization_trend(diary("wes")) is Trend.PERIPHERALIZING
    last_week = [e.reach for e in diary("wes") if (today - e.day).days < 7]
    assert SymptomReach.FOOT in last_week
    flagged = patient("wes").session_logs.filter(needs_review=True)
    assert flagged.count() == len(PERSONA["wes"].spreads)
    for log in flagged:
        stopped = [item for item in log.exercises if item["status"] == ExerciseStatus.STOPPED.value]
        assert len(stopped) == 1
        assert stopped[0]["symptoms"] == SymptomMovement.SPREAD_DOWN.value
        assert stopped[0]["stop_reason"]


def test_it_shows_nora_stopping_her_sessions_after_week_three(today: date) -> None:
    weeks = adherence("nora", today)
    assert len(weeks) == 13
    assert all(week.ratio is not None and week.ratio > 0.6 for week in weeks[:3])
    assert all(week.done == 0 for week in weeks[3:])
    baseline, follow_ups = assessments("nora")
    schedule = {
        item.week: item.status
        for item in follow_up_schedule(baseline.day, today, [a.day for a in follow_ups])
    }
    assert schedule == {2: FollowUpStatus.DONE, 6: FollowUpStatus.MISSED, 12: FollowUpStatus.DUE}
    entries = diary("nora")
    first_three = [e for e in entries if (e.day - baseline.day).days < 21]
    last_six = [e for e in entries if (today - e.day).days < 42]
    assert len(first_three) >= 18
    assert len(last_six) < len(first_three) / 2


def test_it_keeps_the_others_adherent(today: date) -> None:
    for username in ("patient", "sam"):
        weeks = adherence(username, today)
        assert all(week.done > 0 for week in weeks)
        assert min(week.ratio or 0 for week in weeks[:-1]) > 0.4


def snapshot(today: date) -> dict[str, Any]:
    """Every seeded value, with dates as days before today (the database ids left out)."""
    data: dict[str, Any] = {}
    for persona in PERSONAS:
        person = patient(persona.username)
        data[persona.username] = {
            "diary": [
                ((today - e.day).days, e.leg_pain, e.back_pain, e.reach, e.sleep, e.note)
                for e in person.diary.order_by("day")
            ],
            "logs": [
                (
                    log.started_at,
                    log.finished_at,
                    log.pain_before,
                    log.pain_after,
                    log.exercises,
                    log.needs_review,
                    str(log.idempotency_key),
                )
                for log in person.session_logs.order_by("started_at")
            ],
            "checks": [(i.answers, i.measures, i.tier) for i in person.intakes.order_by("created")],
        }
    return data


def test_it_gives_the_same_history_for_the_same_seed(demo_today: date) -> None:
    first = snapshot(demo_today)
    for model in (SessionLog, DiaryEntry, Program, Intake):
        model.objects.all().delete()
    lines = list(load_demo())
    assert sum(line.startswith("created history:") for line in lines) == 4
    assert snapshot(demo_today) == first


def test_it_changes_only_todays_later_sessions_with_the_hour() -> None:
    day = date(2026, 12, 4)
    seen = []
    for hour, minute in ((0, 5), (23, 59)):
        with time_machine.travel(datetime(2026, 12, 4, hour, minute, tzinfo=ZoneInfo("UTC")), tick=False):
            build_histories()
            seen.append(snapshot(day))
        for model in (SessionLog, DiaryEntry, Program, Intake, Patient, User):
            model.objects.all().delete()
    early, late = seen
    for persona in PERSONAS:
        before, after = early[persona.username], late[persona.username]
        assert before["diary"] == after["diary"]
        assert before["checks"] == after["checks"]
        assert before["logs"] == [log for log in after["logs"] if timezone.localdate(log[0]) < day]
    assert not [log for log in early["patient"]["logs"] if timezone.localdate(log[0]) == day]
    assert [log for log in late["patient"]["logs"] if timezone.localdate(log[0]) == day]
