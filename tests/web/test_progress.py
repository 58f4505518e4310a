"""The progress page, the clinician report (PDF) and the CSV of a person's data, from real records."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from pypdf import PdfReader

from sciatrack.accounts.models import Patient
from sciatrack.care.models import DiaryEntry, Intake, SessionLog
from sciatrack.program.programs import create_program
from web.test_program import make_intake

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 25)
NOON = datetime(2026, 6, 25, 12, 0, tzinfo=ZoneInfo("UTC"))
BASELINE_DAY = TODAY - timedelta(weeks=6, days=2)  # the 6-week follow-up is due now


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=ZoneInfo("UTC"))


def check(patient: Patient, day: date, leg: int, back: int, sbi: float | None) -> Intake:
    intake = make_intake(patient, "disc-pattern-self-care")
    measures = {
        "nprs": {"leg_now": leg, "back_now": back},
        "sbi": {"skipped": True} if sbi is None else {"score": sbi},
        "peg": {"skipped": True},
        "psfs": {"skipped": True},
    }
    Intake.objects.filter(pk=intake.pk).update(created=at(day), measures=measures)
    intake.refresh_from_db()
    return intake


def diary(patient: Patient, days_ago: range, leg: int, reach: str = "thigh") -> None:
    for ago in days_ago:
        DiaryEntry.objects.create(
            patient=patient,
            day=TODAY - timedelta(days=ago),
            leg_pain=leg,
            back_pain=2,
            reach=reach,
            sleep="woke_once",
        )


@pytest.fixture
def history(alice: Patient) -> Patient:
    """Alice: leg pain 7 at first, 5 at two weeks, about 3 in this week's diary, one stopped exercise."""
    baseline = check(alice, BASELINE_DAY, leg=7, back=4, sbi=18)
    program = create_program(baseline)
    check(alice, BASELINE_DAY + timedelta(weeks=2), leg=5, back=3, sbi=12)
    diary(alice, range(20, 27), leg=6, reach="below_knee")
    diary(alice, range(7), leg=3, reach="buttock")
    SessionLog.objects.create(
        patient=alice,
        program=program,
        idempotency_key="6b0bb7a4-2f4c-4d43-9a39-2e4a4d59d3f0",
        started_at=at(TODAY - timedelta(days=3)),
        finished_at=at(TODAY - timedelta(days=3)) + timedelta(minutes=20),
        pain_before=4,
        pain_after=3,
        exercises=[
            {"id": "mckenzie-extension", "status": "stopped", "stop_reason": "It spread down the leg."}
        ],
        needs_review=True,
    )
    return alice


def test_it_sends_a_visitor_to_sign_in(client: Client) -> None:
    assert client.get("/progress/")["Location"] == "/accounts/login/?next=/progress/"


def test_it_starts_with_the_safety_check_when_there_is_no_baseline(alice_client: Client) -> None:
    page = alice_client.get("/progress/").content.decode()
    assert "Your progress starts with the safety check" in page
    assert 'role="img"' not in page


@time_machine.travel(NOON, tick=False)
def test_it_summarises_in_words_then_charts_with_their_tables(alice_client: Client, history: Patient) -> None:
    page = alice_client.get("/progress/").content.decode()
    since = f"{BASELINE_DAY.day} {BASELINE_DAY:%B}"
    assert f"Leg pain down from 7 (first check, {since}) to 3 (diary, today)." in page
    assert page.index("Leg pain down") < page.index('role="img"')
    assert page.count('role="img"') >= 4  # pain, reach, adherence and the SBI at each check
    assert page.count("Show the numbers") == page.count('role="img"')
    assert "Take the 6-week follow-up" in page
    assert "Clearly better" in page  # leg pain 7 to 5 at two weeks is an important improvement
    assert "It spread down the leg." in page and "McKenzie" in page
    assert "See a clinician" not in page


@time_machine.travel(NOON, tick=False)
def test_it_tells_the_person_to_see_a_clinician_when_leg_pain_gets_worse(
    alice_client: Client, alice: Patient
) -> None:
    check(alice, BASELINE_DAY, leg=4, back=3, sbi=None)
    diary(alice, range(5), leg=8)
    page = alice_client.get("/progress/").content.decode()
    assert "Leg pain up from 4 (first check, " in page and "to 8 (diary, today)." in page
    assert "See a clinician" in page


@time_machine.travel(NOON, tick=False)
def test_it_makes_a_pdf_report_for_the_clinician(alice_client: Client, history: Patient) -> None:
    response = alice_client.get("/progress/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "sciatrack-progress-report.pdf" in response["Content-Disposition"]
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Progress report: Alice" in text
    assert "Leg pain down from 7 (first check, " in text and "to 3 (diary, today)." in text
    assert "Home program" in text and "Hamstring release with a ball" in text
    assert "last changed" not in text  # nobody has adjusted this program
    assert "Exercises stopped during sessions" in text and "It spread down the leg." in text
    assert "Sciatica bother score" in text


@time_machine.travel(NOON, tick=False)
def test_it_exports_every_value_as_csv(alice_client: Client, history: Patient) -> None:
    response = alice_client.get("/progress/data.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["record", "date", "field", "value"]
    leg = [row for row in rows if row[0] == "diary" and row[2] == "leg_pain"]
    assert len(leg) == DiaryEntry.objects.filter(patient=history).count() == 14
    assert ["check", BASELINE_DAY.isoformat(), "nprs.leg_now", "7"] in rows
    assert ["check", BASELINE_DAY.isoformat(), "sbi.score", "18"] in rows
    assert [
        "session",
        (TODAY - timedelta(days=3)).isoformat(),
        "mckenzie-extension.status",
        "stopped",
    ] in rows


def test_it_gives_no_report_to_an_account_without_a_patient_record(client: Client) -> None:
    client.force_login(User.objects.create_user("staff", password="a long test password"))
    assert client.get("/progress/report.pdf").status_code == 404
    assert client.get("/progress/data.csv").status_code == 404


@time_machine.travel(NOON, tick=False)
def test_it_pauses_the_program_when_a_follow_up_finds_a_danger_sign(
    alice_client: Client, alice: Patient
) -> None:
    check(alice, BASELINE_DAY, leg=6, back=3, sbi=None)
    follow_up = make_intake(alice, "cauda-equina-bladder")
    assert follow_up.tier == "emergency"

    program = alice_client.get("/program/").content.decode()
    assert "There is no exercise program for you until a clinician has seen you" in program
    assert "Start a guided session" not in program
    session = alice_client.get("/session/").content.decode()
    assert 'id="session-data"' not in session
    progress = alice_client.get("/progress/").content.decode()
    assert "Your exercise program is paused" in progress
