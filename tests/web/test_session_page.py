"""The guided session page before it starts, and what a short or partly done session leaves behind.

The page says what to fetch, how long a full and a short session take and which exercises come, and
stays small: the steps are laid out in the browser (see tests/browser/test_player_browser.py). A short
session and one ended early are each a session: they count toward the week, and the clinician and the
registry see which they were.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from api.as_browser import browser, post_json
from sciatrack.accounts.models import Clinic, Patient
from sciatrack.care.models import Intake, SessionLog
from sciatrack.content.loader import load_exercises
from sciatrack.demo_histories import PERSONAS, check_answers
from sciatrack.domain.intake import parse_intake
from sciatrack.domain.programs import build_program
from sciatrack.domain.session_log import SessionKind
from sciatrack.domain.sessions import SHORT_SESSION_RULE, plan_session, player_doses, what_you_need
from sciatrack.domain.triage import result_to_json, triage
from sciatrack.outputs import figures
from sciatrack.program.programs import create_program
from sciatrack.program.session_data import figure_alt_pattern, session_data, step_alt_pattern
from sciatrack.progress.history import progress_of
from sciatrack.registry.models import RegistryWeek
from sciatrack.registry.sync import sync_patient
from web.test_clinic import clinician

pytestmark = pytest.mark.django_db

PAGE_BUDGET = 20_000  # bytes of uncompressed HTML of /session/
LIBRARY = load_exercises()


def demo_patient(username: str, answers: dict[str, Any], clinic: Clinic | None = None) -> Patient:
    """A patient whose check gave the same answers as a demo persona's, with its program stored."""
    user = User.objects.create_user(username, password="a long test password")
    patient = Patient.objects.create(user=user, display_name=username.title(), clinic=clinic)
    parsed = parse_intake(answers)
    result = result_to_json(triage(parsed, emergency_number=settings.SCIATRACK_EMERGENCY_NUMBER))
    intake = Intake.objects.record(patient, parsed.to_json(), result, content_version="test")
    assert create_program(intake) is not None
    return patient


def signed_in(patient: Patient) -> Client:
    client = Client()
    assert patient.user is not None
    client.force_login(patient.user)
    return client


def a_log(**changes: Any) -> dict[str, Any]:
    now = timezone.now()
    log: dict[str, Any] = {
        "idempotency_key": str(uuid.uuid4()),
        "started_at": (now - timezone.timedelta(minutes=7)).isoformat(),
        "finished_at": now.isoformat(),
        "pain_before": 6,
        "pain_after": 5,
        "exercises": [{"id": "mckenzie-extension", "status": "done", "reps_done": 3, "holds_done": 3}],
    }
    log.update(changes)
    return log


def ended_after_one(kind: str = "short") -> dict[str, Any]:
    """A session ended after its first exercise: the rest are logged as not reached."""
    rest = [
        {"id": item, "status": "skipped", "stop_reason": "Not reached: the session ended before it."}
        for item in ("lift-off", "hip-holds")
    ]
    first = {"id": "mckenzie-extension", "status": "done", "reps_done": 3, "holds_done": 3}
    return a_log(
        kind=kind,
        ended_early=True,
        end_reason="Ended by the person after 1 of 3 exercises.",
        exercises=[first, *rest],
    )


def store(patient: Patient, log: dict[str, Any]) -> Any:
    """POST the log as the session page's script does, with the page's CSRF token."""
    assert patient.user is not None
    return post_json(browser(patient.user), "/api/sessions", log)


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda persona: persona.username)
def test_the_session_page_stays_under_20_kb_for_each_demo_program(persona: Any) -> None:
    last_check = max(persona.checks)
    patient = demo_patient(persona.username, check_answers(persona, last_check))
    response = signed_in(patient).get("/session/")
    assert response.status_code == 200
    assert len(response.context["session_data"]["exercises"]) == 7
    size = len(response.content)
    assert size < PAGE_BUDGET, f"/session/ is {size} bytes for {persona.username}'s program"


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda persona: persona.username)
def test_a_short_session_of_each_demo_program_takes_5_to_8_minutes(persona: Any) -> None:
    for day in persona.checks:
        program = build_program(parse_intake(check_answers(persona, day)))
        if program is None:
            continue
        short = plan_session(program, kind=SessionKind.SHORT).total_seconds
        assert 5 * 60 <= short <= 8 * 60, f"{persona.username} day {day}: {short} s"
        assert plan_session(program).total_seconds > 2 * short


def test_before_it_starts_the_page_says_what_to_fetch_how_long_and_which_exercises() -> None:
    patient = demo_patient("patient", check_answers(PERSONAS[0], 0))
    response = signed_in(patient).get("/session/")
    page = response.content.decode()
    program = patient.programs.get().to_domain()
    assert "What you need" in page
    for need in what_you_need(LIBRARY[exercise.id] for exercise in program.exercises):
        assert need[:1].upper() + need[1:] in page
    minutes = response.context["minutes"]
    assert f"Full session</strong>: about {minutes['full']} minutes" in page
    assert f"for a bad day: about {minutes['short']} minutes. {SHORT_SESSION_RULE}" in page
    assert 5 <= minutes["short"] <= 8 < minutes["full"]
    for exercise in program.exercises:
        doses = player_doses(exercise)
        assert f"<strong>{exercise.name}</strong>" in page
        assert f'<span data-dose="full">{doses["full"]["text"]}</span>' in page
        assert f'<span data-dose="short" hidden>{doses["short"]["text"]}</span>' in page
    assert page.count('data-action="end"') == 1  # End session, shown by the script once the session starts


def test_a_short_session_and_one_ended_early_each_count_toward_the_week() -> None:
    patient = demo_patient("patient", check_answers(PERSONAS[0], 0))
    before = progress_of(patient).adherence[-1].done
    assert store(patient, ended_after_one()).status_code == 201
    assert store(patient, a_log()).status_code == 201
    logs = {log.kind: log for log in SessionLog.objects.filter(patient=patient)}
    assert set(logs) == {"short", "full"}
    assert logs["short"].ended_early and logs["short"].exercises_done == 1 and logs["short"].is_short
    assert [item["status"] for item in logs["short"].exercises] == ["done", "skipped", "skipped"]
    assert progress_of(patient).adherence[-1].done == before + 2


def test_a_bad_kind_is_named_and_nothing_is_stored() -> None:
    patient = demo_patient("patient", check_answers(PERSONAS[0], 0))
    response = store(patient, a_log(kind="tiny"))
    assert response.status_code == 422
    assert {"field": "kind", "message": "must be one of full, short"} in response.json()["problems"]
    assert not SessionLog.objects.exists()


def test_the_clinician_and_the_registry_see_a_short_session_ended_early() -> None:
    riverside = Clinic.objects.create(name="Riverside", slug="riverside")
    patient = demo_patient("patient", check_answers(PERSONAS[0], 0), clinic=riverside)
    cleo = clinician("cleo", riverside)
    assert store(patient, ended_after_one()).status_code == 201
    assert store(patient, a_log()).status_code == 201
    page = cleo.get(f"/clinic/patients/{patient.uuid}/").content.decode()
    assert page.count("short session, ended early (1 of 3 exercises done)") == 1
    assert page.count("pain 6 to 5</li>") == 1  # the full one, with no mark

    case = sync_patient(patient)
    assert case is not None
    week = RegistryWeek.objects.get(case=case)
    assert (week.sessions_done, week.short_sessions, week.ended_early_sessions) == (2, 1, 1)


def test_the_drawings_text_alternatives_come_as_patterns_that_rebuild_each_one_exactly() -> None:
    exercises = list(LIBRARY.values())
    step_alt = step_alt_pattern(exercises)
    loop = figure_alt_pattern(exercises)
    assert step_alt is not None and loop is not None
    pattern, places = loop
    for exercise in exercises:
        # As the page's script fills them in (it counts the start's length in UTF-16 units).
        start, then = places[exercise.id]
        made = pattern.format(
            name=exercise.name, start=exercise.start_position[:start], then=exercise.steps[then - 1]
        )
        assert made == figures.figure_alt(exercise)
        for number, words in enumerate(exercise.steps, start=1):
            assert step_alt.format(n=number, name=exercise.name) + words == figures.step_alt(exercise, number)


def test_text_alternatives_no_pattern_fits_are_sent_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    odd = "lift-off"
    step_alt, figure_alt = figures.step_alt, figures.figure_alt
    monkeypatch.setattr(figures, "step_alt", lambda e, n: step_alt(e, n) + ("!" if e.id == odd else ""))
    monkeypatch.setattr(figures, "figure_alt", lambda e: ("A " if e.id == odd else "") + figure_alt(e))
    program = build_program(parse_intake(check_answers(PERSONAS[0], 0)))
    assert program is not None
    data = session_data(program, LIBRARY, None, save=False)
    assert data["step_alt"] is None and data["figure_alt"] is None
    lift_off = data["exercises"][odd]
    assert lift_off["figure_alt"].startswith("A Drawing of") and lift_off["step_alts"][0].endswith("!")
