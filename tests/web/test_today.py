"""The today screen: a signed-in patient's home page, and the check a visitor saves by signing up.

Each person is a browser (CSRF checks on, the page's token posted) and each record is real.
"""

from __future__ import annotations

import html
import re
import uuid
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from sciatrack.accounts.models import Patient
from sciatrack.accounts.views import JUST_SIGNED_UP
from sciatrack.care.models import DiaryEntry, Intake, Program, SessionLog
from sciatrack.check import steps
from sciatrack.domain.encouragement import encouragement
from sciatrack.domain.outcomes import GETTING_WORSE, prescribed_sessions_per_week
from sciatrack.domain.sessions import session_minutes
from sciatrack.program.programs import create_program
from web.test_check import ALL_CLEAR, BLADDER, form_for, next_slug, url
from web.test_program import make_intake
from web.test_stops_and_clearance import token_of

pytestmark = pytest.mark.django_db

PASSWORD = "a long test password"
TODAY = date(2026, 6, 25)
NOON = datetime(2026, 6, 25, 12, 0, tzinfo=ZoneInfo("UTC"))
BASELINE_DAY = TODAY - timedelta(weeks=3, days=2)  # this week (counted from the first check) began 2 days ago
# 11 now, however long the history: the session, the user and their patient record; the newest check with
# its program, its answers and the logs flagged for review (programs.current); the checks, diary, logs
# and program (progress_of); the menu's look for a clinician record.
QUERY_BOUND = 12


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=ZoneInfo("UTC"))


def text_of(response: Any) -> str:
    """The page's words inside <main>, as a person reads them (tags dropped, spaces joined)."""
    body = response.content.decode()
    main = body.split("<main", 1)[1].split("</main>", 1)[0]
    words = re.sub(r"<style.*?</style>|<[^>]+>", " ", main, flags=re.DOTALL)
    return re.sub(r"\s+", " ", html.unescape(words)).strip()


def browser_as(user: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def first_check(patient: Patient, day: date, leg: int, vignette: str = "disc-pattern-self-care") -> Intake:
    intake = make_intake(patient, vignette)
    measures = {"nprs": {"leg_now": leg, "back_now": 3}, "sbi": {"skipped": True}}
    Intake.objects.filter(pk=intake.pk).update(created=at(day), measures=measures)
    intake.refresh_from_db()
    return intake


def diary_on(patient: Patient, day: date, leg: int) -> None:
    DiaryEntry.objects.create(
        patient=patient, day=day, leg_pain=leg, back_pain=2, reach="thigh", sleep="woke_once"
    )


def session_on(patient: Patient, program: Program, day: date) -> None:
    SessionLog.objects.create(
        patient=patient,
        program=program,
        idempotency_key=uuid.uuid4(),
        started_at=at(day, 8),
        finished_at=at(day, 8) + timedelta(minutes=18),
        pain_before=4,
        pain_after=3,
        exercises=[{"id": "mckenzie-extension", "status": "done", "reps_done": 10, "holds_done": 10}],
    )


@pytest.fixture
def sam() -> Patient:
    user = User.objects.create_user("sam", password=PASSWORD)
    return Patient.objects.create(user=user, display_name="Sam")


@pytest.fixture
def improving(sam: Patient) -> Program:
    """Sam: leg pain 6 at the first check, 4 in today's diary, three sessions this week (one today)."""
    program = create_program(first_check(sam, BASELINE_DAY, leg=6))
    assert program is not None
    diary_on(sam, TODAY - timedelta(days=1), leg=5)
    diary_on(sam, TODAY, leg=4)
    for ago in (2, 1, 0):
        session_on(sam, program, TODAY - timedelta(days=ago))
    session_on(sam, program, TODAY - timedelta(days=5))  # last week: not counted in this one
    return program


# Who gets the today screen ------------------------------------------------------------------------


def test_a_visitor_keeps_the_home_page(client: Client) -> None:
    page = text_of(client.get("/"))
    assert "Help for back and leg pain" in page and "Start the safety check" in page
    assert "Today's session" not in page


def test_staff_without_a_patient_record_keep_the_home_page(client: Client) -> None:
    client.force_login(User.objects.create_user("staff", password=PASSWORD))
    page = text_of(client.get("/"))
    assert "Help for back and leg pain" in page
    assert "Pain diary" not in page


def test_a_patient_without_a_check_starts_with_it(sam: Patient) -> None:
    assert sam.user is not None
    response = browser_as(sam.user).get("/")
    page = text_of(response)
    assert response.templates[0].name == "care/today.html"
    assert "Start with the safety check" in page and "Fill in today's pain diary" in page
    assert "Today's session" not in page and "This week" not in page
    assert 'href="/check/"' in response.content.decode()


# What today shows ---------------------------------------------------------------------------------


@time_machine.travel(NOON, tick=False)
def test_it_shows_todays_session_diary_week_follow_up_and_a_line_from_their_numbers(
    sam: Patient, improving: Program
) -> None:
    assert sam.user is not None
    response = browser_as(sam.user).get("/")
    page = text_of(response)
    aim = prescribed_sessions_per_week(improving.to_domain())
    assert aim > 3
    # The line: the domain's rule, on Sam's numbers.
    line = encouragement(6, 4, 3, aim)
    assert line == "Leg pain down from 6 to 4 since your first check. Third session this week: keep it up."
    assert line in page
    assert "Today's session Done" in page and "Do another session" in page
    assert "Pain diary Done" in page and "See or change today's diary" in page
    assert f"This week 3 of {aim} sessions" in page
    assert f"Your weeks start on a {BASELINE_DAY:%A}" in page
    # The 2-week follow-up is late and still counts: it is the next one, and it can be taken now.
    assert "Next check: 2 weeks Due now" in page and "Take the 2-week check" in page
    assert "Needs attention" not in page
    body = response.content.decode()
    assert 'href="/program/">My program</a>' in body and 'href="/progress/"' in body


@time_machine.travel(NOON, tick=False)
def test_a_day_without_a_session_or_diary_says_not_done_and_how_long_it_takes(sam: Patient) -> None:
    program = create_program(first_check(sam, BASELINE_DAY, leg=6))
    assert program is not None
    session_on(sam, program, TODAY - timedelta(days=1))
    assert sam.user is not None
    page = text_of(browser_as(sam.user).get("/"))
    minutes = session_minutes(program.to_domain())  # as the session page says
    assert (
        f"Today's session Not done yet A full session takes about {minutes['full']} minutes. "
        f"On a bad day, a short one takes about {minutes['short']}."
    ) in page
    assert "Start today's session" in page
    assert "Pain diary Not done yet" in page and "Fill in today's pain diary" in page
    assert "Leg pain was 6 at your first check: the diary shows how it changes." in page
    assert "First session this week: a good start." in page


@time_machine.travel(NOON, tick=False)
def test_it_says_needs_attention_instead_of_encouragement(sam: Patient) -> None:
    program = create_program(first_check(sam, BASELINE_DAY, leg=4))
    assert program is not None
    for ago in range(5):
        diary_on(sam, TODAY - timedelta(days=ago), leg=8)
    session_on(sam, program, TODAY)
    assert sam.user is not None
    response = browser_as(sam.user).get("/")
    page = text_of(response)
    assert "Needs attention: see a clinician" in page
    assert GETTING_WORSE in page  # the signal's own words: what to do
    assert 'href="/progress/report.pdf"' in response.content.decode()
    assert "Leg pain up from" not in page and "session this week:" not in page
    assert "Today's session" in page  # the program is not on hold: the session is still offered
    assert "Go easy. Stop any exercise that makes your leg pain worse" in page and "Well done" not in page


@time_machine.travel(NOON, tick=False)
def test_a_danger_result_shows_its_advice_and_no_session(sam: Patient) -> None:
    first_check(sam, BASELINE_DAY, leg=6, vignette="cauda-equina-bladder")
    assert sam.user is not None
    response = browser_as(sam.user).get("/")
    page, body = text_of(response), response.content.decode()
    assert "Go to an emergency department now" in page
    assert "The exercises are hidden until a doctor has seen you" in page
    assert "Today's session" not in page and "This week" not in page
    assert 'href="/session/"' not in body and 'href="/program/"' not in body
    assert "Pain diary" in page  # the diary stays: it asks about the danger signs too


@time_machine.travel(NOON, tick=False)
def test_it_reads_in_a_few_queries_however_long_the_history(
    sam: Patient, improving: Program, django_assert_max_num_queries: Any
) -> None:
    for ago in range(2, 20):
        diary_on(sam, TODAY - timedelta(days=ago), leg=5)
        session_on(sam, improving, TODAY - timedelta(days=ago))
    assert sam.user is not None
    client = browser_as(sam.user)
    client.get("/")
    with django_assert_max_num_queries(QUERY_BOUND):
        response = client.get("/")
    assert response.status_code == 200
    assert len(response.content) < 50_000


# Signing up from a check's result ------------------------------------------------------------------


def finish_check_as_visitor(client: Client, answers: dict[str, Any]) -> str:
    """Answer every screen as a browser does (with the page's CSRF token); the result page's text."""
    slug: str | None = steps.STEPS[0].slug
    while slug is not None:
        token = token_of(client.get(url(slug)).content.decode())
        response = client.post(
            url(slug), {**form_for(steps.BY_SLUG[slug], answers), "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302, (slug, response.content.decode()[:1500])
        slug = next_slug(response["Location"])
    return text_of(client.get("/check/result/"))


def sign_up(client: Client, page: str = "/accounts/signup/") -> Any:
    """Post the sign-up form for River with the CSRF token of ``page``."""
    token = token_of(client.get(page).content.decode())
    form = {
        "username": "river",
        "display_name": "River",
        "email": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "csrfmiddlewaretoken": token,
    }
    return client.post("/accounts/signup/", form)


def test_signing_up_after_a_check_saves_it_once_and_lands_on_today_with_a_welcome() -> None:
    visitor = Client(enforce_csrf_checks=True)
    result = finish_check_as_visitor(visitor, ALL_CLEAR)
    assert "Create an account to save it" in result
    assert "we save this check as soon as your account is made" in result
    assert Intake.objects.count() == 0

    response = sign_up(visitor)
    assert (response.status_code, response["Location"]) == (302, "/")
    today = text_of(visitor.get("/"))
    assert "Welcome, River! Your check is saved." in today
    river = Patient.objects.get(user__username="river")
    intake = Intake.objects.get()
    assert intake.patient == river and intake.tier == "self_care"
    assert "Today's session Not done yet" in today  # the program of the saved check, on today

    # Once: no second welcome, no second check, on a reload, a replayed sign-up or a second landing.
    assert "Welcome" not in text_of(visitor.get("/"))
    replay = sign_up(visitor, page="/")  # signed in now: the token of a page they can open
    assert (replay.status_code, replay["Location"]) == (302, "/")
    session = visitor.session
    session[JUST_SIGNED_UP] = True  # as if the landing came again with the same check in the session
    session.save()
    assert "Welcome, River! Your check is saved." in text_of(visitor.get("/"))
    assert Intake.objects.filter(patient=river).count() == 1
    assert "Saved to" in text_of(visitor.get("/check/result/"))


def test_signing_up_after_a_danger_result_saves_it_and_today_shows_the_advice() -> None:
    visitor = Client(enforce_csrf_checks=True)
    finish_check_as_visitor(visitor, BLADDER)
    sign_up(visitor)
    response = visitor.get("/")
    today, body = text_of(response), response.content.decode()
    assert "Welcome, River! Your check is saved." in today
    assert Intake.objects.get().tier == "emergency"
    assert "Go to an emergency department now" in today
    assert "Today's session" not in today and 'href="/session/"' not in body


def test_signing_up_without_a_check_welcomes_and_saves_nothing() -> None:
    visitor = Client(enforce_csrf_checks=True)
    visitor.get(url(steps.STEPS[0].slug))  # a check begun, not finished
    sign_up(visitor)
    today = text_of(visitor.get("/"))
    assert "Welcome, River! This is your page for each day." in today
    assert "Start with the safety check" in today
    assert not Intake.objects.exists()


def test_a_failed_sign_up_sets_no_welcome() -> None:
    User.objects.create_user("river", password=PASSWORD)
    visitor = Client(enforce_csrf_checks=True)
    finish_check_as_visitor(visitor, ALL_CLEAR)
    response = sign_up(visitor)
    assert response.status_code == 400
    assert JUST_SIGNED_UP not in visitor.session
    assert not Intake.objects.exists()
