"""Danger signs asked again (contract section 3, v2): from the diary, the session's start and the
session itself; a "yes" re-runs the whole table, is stored linked to the check, and pauses the program.

Posts go through ``Client(enforce_csrf_checks=True)`` with the page's own token, as a browser sends them.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from sciatrack.accounts.models import Clinic, Patient
from sciatrack.care.models import Intake, SafetyUpdate
from sciatrack.domain.safety_update import danger_signs
from sciatrack.domain.vocabulary import RED_FLAG_KEYS_ADDED_IN_V2
from sciatrack.registry.models import RegistryCase, RegistryFollowUp
from sciatrack.registry.sync import sync_patient
from web.test_program import make_intake

pytestmark = pytest.mark.django_db

ALL_NO = {sign.flag: "no" for sign in danger_signs()}


@pytest.fixture
def browser(alice: Patient) -> Client:
    """Alice signed in on a browser that sends its CSRF token like a real one."""
    client = Client(enforce_csrf_checks=True)
    assert alice.user is not None
    client.force_login(alice.user)
    return client


def token(page: str) -> str:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[0]


def answer(client: Client, source: str, **yes: str) -> Any:
    page = client.get(f"/safety/?from={source}").content.decode()
    return client.post("/safety/", {"csrfmiddlewaretoken": token(page), "source": source, **ALL_NO, **yes})


def test_the_diary_opens_each_danger_sign_when_the_answer_is_not_none(
    alice: Patient, browser: Client
) -> None:
    make_intake(alice, "disc-pattern-self-care")
    page = browser.get("/diary/").content.decode()
    for sign in danger_signs():
        assert sign.label in page
    assert page.count("(emergency: go now)") == sum(sign.emergency_alone for sign in danger_signs())
    data = {"danger_signs": "some", "leg_pain": "4", "back_pain": "2", "reach": "thigh", "sleep": "woke_once"}
    response = browser.post("/diary/", {"csrfmiddlewaretoken": token(page), **data})
    assert response.status_code == 302 and response["Location"] == "/safety/?from=diary"
    questions = browser.get(response["Location"]).content.decode()
    assert questions.count('type="radio"') == 2 * len(danger_signs())
    assert "Not sure? Choose Yes" in questions


def test_each_sign_that_alone_is_an_emergency_is_marked_among_the_questions(
    alice: Patient, browser: Client
) -> None:
    make_intake(alice, "disc-pattern-self-care")
    questions = browser.get("/safety/?from=diary").content.decode()
    marked = sum(sign.emergency_alone for sign in danger_signs())
    assert marked > 0 and questions.count("(emergency)</strong>") == marked


def test_a_fever_after_a_recent_spinal_injection_reaches_the_emergency_advice_and_pauses_the_program(
    alice: Patient, browser: Client
) -> None:
    check = make_intake(alice, "recent-spinal-injection-soon")
    response = answer(browser, "diary", fever="yes")
    update = SafetyUpdate.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/safety/{update.uuid}/"
    assert (update.intake_id, update.signs, update.tier, update.where) == (
        check.pk,
        ["fever"],
        "emergency",
        "emergency_department_now",
    )
    page = browser.get(response["Location"]).content.decode()
    assert "Go to an emergency department now" in page and "A fever (38 °C or more) or shivers" in page
    assert "Your exercise program is paused" in page
    # The stored check is never edited; the update only sits beside it.
    assert Intake.objects.get().current_tier == "soon"
    for url in ("/program/", "/session/", "/"):
        shown = browser.get(url).content.decode()
        assert "Go to an emergency department now" in shown, url
        assert 'href="/session/"' not in shown and ">My program<" not in shown, url


def test_a_program_stops_for_a_danger_sign_and_starts_again_after_a_new_full_check(
    alice: Patient, browser: Client
) -> None:
    make_intake(alice, "disc-pattern-self-care")
    assert "Start the session" in browser.get("/session/").content.decode()
    answer(browser, "session_start", bilateral_new="yes")
    update = SafetyUpdate.objects.get()
    # Tingling in the first leg, and now the other: nerve signs in both legs, new.
    assert update.where == "emergency_department_now"
    session = browser.get("/session/").content.decode()
    assert "Start the session" not in session
    assert update.result["advice"]["headline"] in session
    make_intake(alice, "disc-pattern-self-care")  # seen by a doctor, a new full check
    assert "Start the session" in browser.get("/session/").content.decode()


@pytest.mark.parametrize(("source", "back_to"), [("diary", "/diary/"), ("session_start", "/session/")])
def test_no_to_every_sign_goes_back_and_stores_nothing(
    alice: Patient, browser: Client, source: str, back_to: str
) -> None:
    make_intake(alice, "disc-pattern-self-care")
    response = answer(browser, source)
    assert response.status_code == 302 and response["Location"] == f"{back_to}?no_danger=1"
    assert not SafetyUpdate.objects.exists()


def test_a_missing_answer_is_named_and_nothing_is_stored(alice: Patient, browser: Client) -> None:
    make_intake(alice, "disc-pattern-self-care")
    page = browser.get("/safety/?from=diary").content.decode()
    answers = {**ALL_NO, "fever": "maybe"}
    del answers["bowel_change"]
    response = browser.post("/safety/", {"csrfmiddlewaretoken": token(page), "source": "diary", **answers})
    assert response.status_code == 422
    body = response.content.decode()
    labels = {sign.flag: sign.label for sign in danger_signs()}
    assert f"{labels['bowel_change']}: answer Yes or No (not sure? choose Yes)" in body
    assert f"{labels['fever']}: answer Yes or No" in body
    assert not SafetyUpdate.objects.exists()


@pytest.mark.parametrize("source", ["", "garden", "x" * 5000])
def test_a_bad_source_is_refused_by_name(alice: Patient, browser: Client, source: str) -> None:
    make_intake(alice, "disc-pattern-self-care")
    response = browser.get("/safety/", {"from": source})
    assert response.status_code == 400 and "from:" in response.content.decode()


def test_without_a_check_the_full_check_asks_every_sign(alice: Patient, browser: Client) -> None:
    assert browser.get("/safety/?from=diary")["Location"] == "/check/"


def test_a_safety_update_is_never_a_registry_follow_up(alice: Patient, browser: Client) -> None:
    Patient.objects.filter(pk=alice.pk).update(clinic=Clinic.objects.create(name="Lakeside", slug="lakeside"))
    patient = Patient.objects.get(pk=alice.pk)
    make_intake(patient, "disc-pattern-self-care")
    sync_patient(patient)
    before = (RegistryCase.objects.count(), RegistryFollowUp.objects.count())
    answer(browser, "diary", progressive_weakness="yes")
    sync_patient(patient)  # as the registry would after any change to the person's records
    assert SafetyUpdate.objects.count() == 1
    assert (RegistryCase.objects.count(), RegistryFollowUp.objects.count()) == before == (1, 0)


def test_another_persons_update_is_not_found(alice: Patient, browser: Client, client: Client) -> None:
    make_intake(alice, "disc-pattern-self-care")
    answer(browser, "diary", fever="yes")
    update = SafetyUpdate.objects.get()
    from django.contrib.auth.models import User

    other = User.objects.create_user("bob", password="a long test password")
    Patient.objects.create(user=other, display_name="Bob")
    client.force_login(other)
    assert client.get(f"/safety/{update.uuid}/").status_code == 404


# A version-1 check topped up with the questions added in version 2 ----------------------------------


def test_a_version_1_check_asks_only_the_new_questions_before_the_next_session(
    alice: Patient, browser: Client
) -> None:
    make_intake(alice, "severe-leg-pain-routine")  # stored as version 1: nine questions never asked
    assert "Answer the new questions" in browser.get("/session/").content.decode()
    page = browser.get("/safety/new-questions/").content.decode()
    keys = re.findall(r'type="radio" name="([a-z_]+)" value="yes"', page)
    assert tuple(keys) == RED_FLAG_KEYS_ADDED_IN_V2
    assert "9 new safety questions" in page and "Not sure? Choose Yes" in page
    response = browser.post(
        "/safety/new-questions/", {"csrfmiddlewaretoken": token(page), **dict.fromkeys(keys, "no")}
    )
    update = SafetyUpdate.objects.get()
    assert response["Location"] == f"/safety/{update.uuid}/"
    assert (update.source, update.signs, update.where) == ("top_up", [], "clinician_review")
    assert update.result["not_asked"] == []
    assert "Start the session" in browser.get("/session/").content.decode()
    # Asked once: the questions are not offered again.
    assert browser.get("/safety/new-questions/")["Location"] == "/session/"


def test_a_yes_to_a_new_question_gives_the_new_advice_and_holds_the_exercises(
    alice: Patient, browser: Client
) -> None:
    make_intake(alice, "severe-leg-pain-routine")
    page = browser.get("/safety/new-questions/").content.decode()
    answers = dict.fromkeys(RED_FLAG_KEYS_ADDED_IN_V2, "no") | {"cancer_recent": "yes"}
    response = browser.post("/safety/new-questions/", {"csrfmiddlewaretoken": token(page), **answers})
    update = SafetyUpdate.objects.get()
    # Recent cancer with pain below the knee: the cancer team and the emergency department, now.
    assert update.where == "emergency_department_now" and update.signs == ["cancer_recent"]
    shown = browser.get(response["Location"]).content.decode()
    assert "acute oncology line" in shown and "Your exercise program is paused" in shown
    assert "Start the session" not in browser.get("/session/").content.decode()


def test_an_unanswered_new_question_is_named_and_nothing_is_stored(alice: Patient, browser: Client) -> None:
    make_intake(alice, "severe-leg-pain-routine")
    page = browser.get("/safety/new-questions/").content.decode()
    answers = dict.fromkeys(RED_FLAG_KEYS_ADDED_IN_V2[1:], "no")
    response = browser.post("/safety/new-questions/", {"csrfmiddlewaretoken": token(page), **answers})
    assert (
        response.status_code == 422 and "answer Yes or No (not sure? choose Yes)" in response.content.decode()
    )
    assert not SafetyUpdate.objects.exists()


def test_a_version_2_check_has_no_new_questions(alice: Patient, browser: Client) -> None:
    make_intake(alice, "disc-pattern-self-care")
    assert browser.get("/safety/new-questions/")["Location"] == "/session/"


def test_a_posted_source_that_asks_no_danger_signs_is_refused_by_name(
    alice: Patient, browser: Client
) -> None:
    make_intake(alice, "disc-pattern-self-care")
    page = browser.get("/safety/?from=diary").content.decode()
    response = browser.post("/safety/", {"csrfmiddlewaretoken": token(page), "source": "top_up", **ALL_NO})
    assert (
        response.status_code == 422
        and "choose one of: session_start, in_session, diary" in response.content.decode()
    )
    assert not SafetyUpdate.objects.exists()
