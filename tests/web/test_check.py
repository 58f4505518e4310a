"""The step-by-step safety check at /check/, driven through Django's test client.

Every vignette of the shared contract is walked through the forms, screen by screen as the server leads,
and must reach the tier and the place to go the domain gives; bad input at every step is refused with a
message that names the field, and changes nothing.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sciatrack.accounts.models import Patient
from sciatrack.care.models import Intake
from sciatrack.check import steps
from sciatrack.check.checking import SESSION_KEY
from sciatrack.content.rules_loader import get_questionnaire
from sciatrack.content.version import content_version
from sciatrack.domain.intake import parse_intake
from sciatrack.domain.triage import result_to_json, triage
from sciatrack.domain.vocabulary import (
    RED_FLAG_KEYS,
    RED_FLAG_KEYS_ADDED_IN_V2,
    REGIONS,
    SCHEMA,
    SCHEMA_V1,
    SENSATIONS,
    SIDES,
    TRIGGERS,
)
from vignettes import load_vignettes

pytestmark = pytest.mark.django_db

PASSWORD = "walk-the-dog-at-dawn-42"
VIGNETTES = load_vignettes()
ALL_CLEAR = VIGNETTES["disc-pattern-self-care"]["answers"]
BLADDER = VIGNETTES["cauda-equina-bladder"]["answers"]
MEASURES = {
    # Item ids come from the content files, so the test follows the questionnaire as shipped.
    "bothersome": dict(
        zip((item.id for item in get_questionnaire("sbi").items), ("3", "2", "4", "1"), strict=True)
    ),
    "daily-life": dict(
        zip((item.id for item in get_questionnaire("peg").items), ("5", "4", "6"), strict=True)
    ),
    "activities": {
        "activity_1": "Walking the dog",
        "activity_1_score": "4",
        "activity_2": "",
        "activity_2_score": "",
    },
}


def url(slug: str) -> str:
    return f"/check/step/{slug}/"


def form_for(step: steps.Step, answers: dict[str, Any]) -> dict[str, Any]:
    """The form a person would submit at ``step`` to give these intake answers."""
    if isinstance(step, steps.YesNoStep):
        return {"answer": "yes" if answers["red_flags"][step.question.key] else "no"}
    if isinstance(step, steps.AboutStep):
        return {
            "age": str(answers["age"]),
            "onset_amount": str(answers["onset_weeks"]),
            "onset_unit": "weeks",
        }
    if isinstance(step, steps.PainStep):
        return {key: str(answers["pain"][key]) for key in ("leg_now", "back_now")}
    if isinstance(step, steps.ChoiceStep | steps.MultiStep):
        return {step.key: answers[step.key]}
    return MEASURES[step.slug]


def next_slug(location: str) -> str | None:
    """The question a redirect leads to (through the emergency advice), or None for the result."""
    if location.startswith("/check/act-now/"):
        return location.split("next=", 1)[1] or None
    if location == "/check/result/":
        return None
    assert location.startswith("/check/step/"), location
    return location.removeprefix("/check/step/").rstrip("/")


def walk(client: Client, answers: dict[str, Any], until: str | None = None) -> list[Any]:
    """Answer each screen the server leads to (stopping before ``until``), returning each POST's response."""
    responses = []
    slug: str | None = steps.STEPS[0].slug
    while slug is not None and slug != until:
        response = client.post(url(slug), form_for(steps.BY_SLUG[slug], answers))
        assert response.status_code == 302, (slug, response.content.decode()[:2000])
        responses.append(response)
        slug = next_slug(response["Location"])
    return responses


def asked_slugs(responses: list[Any]) -> list[str]:
    """The screens a walk answered, in order."""
    return [steps.STEPS[0].slug] + [s for r in responses[:-1] if (s := next_slug(r["Location"])) is not None]


def flags(**overrides: bool) -> dict[str, Any]:
    return {**ALL_CLEAR, "red_flags": {**ALL_CLEAR["red_flags"], **overrides}}


def session_state(client: Client) -> dict[str, Any]:
    return client.session.get(SESSION_KEY, {})


@pytest.fixture
def patient_client(client: Client) -> Client:
    user = User.objects.create_user("pat", password=PASSWORD)
    Patient.objects.create(user=user, display_name="Pat")
    client.force_login(user)
    return client


# The walk ----------------------------------------------------------------------------------------


def test_it_shows_the_intro_without_asking_anyone_to_sign_up(client: Client) -> None:
    response = client.get("/check/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Start the check" in body
    assert "You do not need an account" in body
    assert 'href="/check/step/saddle-numbness/"' in body


def test_it_asks_every_red_flag_first_one_per_screen() -> None:
    red_flag_steps = [step for step in steps.STEPS if isinstance(step, steps.YesNoStep)]
    # One screen per key, every key of the intake's version.
    assert sorted(step.question.key for step in red_flag_steps) == sorted(RED_FLAG_KEYS)
    # All first, emergency signs first, background last; the one exception is "did the second leg start
    # lately", which only makes sense once the person has said which leg, so it follows that question.
    first = steps.STEPS[: steps.RED_FLAG_COUNT]
    assert first == [step for step in red_flag_steps if step.question.key != "bilateral_new"]
    assert [step.question.key for step in first][:3] == ["saddle_numbness", "bladder_change", "bowel_change"]
    assert [step.group.slug for step in first] == sorted(
        (step.group.slug for step in first), key=["emergency", "today", "background"].index
    )
    emergency_first = [step.question.key for step in first if step.group.slug == "emergency"]
    assert {"sexual_dysfunction_new", "sudden_pain_faint", "new_marked_weakness"} <= set(emergency_first)
    slugs = [step.slug for step in steps.STEPS]
    assert slugs.index("bilateral-new") == slugs.index("side") + 1


def test_it_offers_exactly_the_vocabularies_of_the_spec(client: Client) -> None:
    by_key = {step.key: step for step in steps.STEPS if isinstance(step, steps.ChoiceStep | steps.MultiStep)}
    assert set(by_key["regions"].choices) == set(REGIONS)
    assert set(by_key["sensations"].choices) == set(SENSATIONS)
    assert set(by_key["side"].choices) == set(SIDES)
    assert set(by_key["worse_with"].choices) == set(TRIGGERS)
    assert set(by_key["better_with"].choices) <= set(TRIGGERS)
    # The body map draws exactly those regions too, each with one shape a keyboard can reach.
    body = client.get(url("where")).content.decode()
    drawn = re.findall(r'data-region="([a-z_]+)"\s+role="button"', body)
    assert sorted(drawn) == sorted(REGIONS)


def test_it_walks_the_all_clear_path_to_a_self_care_result(client: Client) -> None:
    responses = walk(client, ALL_CLEAR)
    assert all("act-now" not in r["Location"] for r in responses)
    assert responses[-1]["Location"] == "/check/result/"
    response = client.get("/check/result/")
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["tier"] == "self_care"
    assert "You can start the home program" in body
    assert 'href="/exercises/"' in body
    assert "Create an account to save it" in body


def test_it_shows_each_step_with_its_progress(client: Client) -> None:
    response = client.get(url("saddle-numbness"))
    body = response.content.decode()
    assert f"Step 1 of {len(steps.SECTIONS)}" in body
    assert f"question 1 of {steps.RED_FLAG_COUNT}" in body
    # Until someone says they have a second leg, the question about it is not among the screens.
    assert f'<progress max="{len(steps.STEPS) - 1}" value="1"' in body
    response = client.get(url("pain-now"))
    assert (
        f"Step {steps.SECTIONS.index('How much it hurts') + 1} of {len(steps.SECTIONS)}"
        in response.content.decode()
    )


def test_it_shows_emergency_advice_the_moment_an_emergency_sign_is_answered_yes(client: Client) -> None:
    response = client.post(url("saddle-numbness"), {"answer": "yes"})
    assert response.status_code == 302
    assert response["Location"] == "/check/act-now/?next=bladder-change"
    page = client.get(response["Location"])
    body = page.content.decode()
    assert "Go to an emergency department now" in body
    assert 'href="tel:911"' in body
    assert 'href="/check/step/bladder-change/"' in body  # keep answering
    # Every later screen keeps the advice in view.
    assert "Go to an emergency department now" in client.get(url("fever")).content.decode()


def test_it_shows_emergency_advice_for_a_combination_that_completes_on_a_later_answer(client: Client) -> None:
    answers = flags(progressive_weakness=True)
    walk(client, answers, until="side")
    response = client.post(url("side"), {"side": "both"})  # both legs + getting weaker
    assert response["Location"] == "/check/act-now/?next=bilateral-new"


def test_it_does_not_interrupt_for_signs_that_are_not_emergencies(client: Client) -> None:
    response = client.post(url("saddle-numbness"), {"answer": "no"})
    assert response["Location"] == url("bladder-change")
    walk(client, flags(arm_numbness_tingling=True), until="about-you")
    body = client.get(url("about-you")).content.decode()
    assert "See a doctor today" in body


def test_it_walks_the_red_flag_path_to_an_emergency_result_without_exercises(client: Client) -> None:
    responses = walk(client, BLADDER)
    assert responses[1]["Location"] == "/check/act-now/?next=bowel-change"
    assert sum("act-now" in r["Location"] for r in responses) == 1  # shown once, then a banner
    response = client.get("/check/result/")
    body = response.content.decode()
    assert response.context["tier"] == "emergency"
    assert "Go to an emergency department now" in body
    assert body.index("Go to an emergency department now") < body.index("Why")
    assert 'href="tel:911"' in body
    assert response.context["exercise_allowed"] is False
    assert "See the home exercises" not in body
    assert "Do not start the exercises" in body


def as_the_form_asks(answers: dict[str, Any]) -> dict[str, Any]:
    """A vignette's answers as a version-2 form gives them.

    The two version-1 vignettes were answered before the version-2 questions existed; the form always
    asks those, so the walk answers them "no" (the web form cannot leave a question unasked). Their tier
    and place to go stay those the vignette expects, as no version-2 rule can match without a yes.
    """
    if answers["schema"] != SCHEMA_V1:
        return answers
    more = dict.fromkeys(RED_FLAG_KEYS_ADDED_IN_V2, False)
    return {**answers, "schema": SCHEMA, "red_flags": {**answers["red_flags"], **more}}


def normalised(intake: dict[str, Any]) -> dict[str, Any]:
    """Intake JSON with its lists in one order (the form lists choices in the order it shows them)."""
    return {key: sorted(value) if isinstance(value, list) else value for key, value in intake.items()}


@pytest.mark.parametrize("name", sorted(VIGNETTES))
def test_it_gives_every_vignette_the_same_tier_as_the_domain(client: Client, name: str) -> None:
    vignette = VIGNETTES[name]
    answers = as_the_form_asks(vignette["answers"])
    walk(client, answers)
    built = steps.build_intake(session_state(client))
    assert built is not None and normalised(built) == normalised(answers)  # the form said what was meant
    domain = result_to_json(triage(parse_intake(answers)))
    response = client.get("/check/result/")
    assert response.context["tier"] == domain["tier"] == vignette["expect"]["tier"]
    assert response.context["where"] == domain["where"] == vignette["expect"]["where"]
    body = response.content.decode()
    if vignette["expect"]["tier"] in ("emergency", "urgent", "soon"):
        assert response.context["exercise_allowed"] is False
        assert "See the home exercises" not in body
    else:
        assert "See the home exercises" in body


def test_it_uses_the_deployments_emergency_number(client: Client, settings: Any) -> None:
    settings.SCIATRACK_EMERGENCY_NUMBER = "112"
    walk(client, BLADDER)
    body = client.get("/check/result/").content.decode()
    assert 'href="tel:112"' in body
    assert "911" not in body


def test_it_explains_the_result_with_reasons_conditions_and_scores(client: Client) -> None:
    answers = {
        **flags(unexplained_weight_loss=True),
        "regions": ["buttock", "back_of_thigh", "side_of_calf", "big_toe"],
    }
    walk(client, answers)
    response = client.get("/check/result/")
    body = response.content.decode()
    assert response.context["tier"] == "soon"
    assert response.context["exercise_allowed"] is False
    assert "See the home exercises" not in body
    for reason in response.context["reasons"]:
        assert reason["text"] in body
    assert response.context["reasons"]
    assert "This is not a diagnosis" in body
    assert "L5" in body  # side of calf and big toe
    assert "Movement pattern" in body
    assert "Sciatica Bothersomeness Index" in body
    assert "Walking the dog" in body
    assert (
        body.index("See a doctor in the next few days")
        < body.index("Why")
        < body.index("This is not a diagnosis")
    )


def test_it_sends_an_unfinished_check_back_to_the_first_unanswered_question(client: Client) -> None:
    walk(client, ALL_CLEAR, until="feel")
    response = client.get("/check/result/")
    assert response["Location"] == url("feel")


# Keeping answers ---------------------------------------------------------------------------------


def test_it_keeps_each_answer_in_the_session_and_shows_it_again(client: Client) -> None:
    client.post(url("saddle-numbness"), {"answer": "no"})
    assert session_state(client)["steps"]["saddle-numbness"] == {"value": False}
    assert "answer--chosen" in client.get(url("saddle-numbness")).content.decode()
    walk(client, ALL_CLEAR, until="feel")
    body = client.get(url("where")).content.decode()
    assert 'value="buttock" checked' in body
    assert 'data-region="buttock"' in body and 'aria-pressed="true"' in body
    body = client.get(url("about-you")).content.decode()
    assert 'value="42"' in body


def test_it_starts_again_from_nothing(client: Client) -> None:
    walk(client, ALL_CLEAR, until="feel")
    response = client.post("/check/start-again/")
    assert response["Location"] == url("saddle-numbness")
    assert session_state(client) == {}


BAD_INPUT = [
    ("saddle-numbness", {"answer": "maybe"}, "numbness around your back passage", "choose Yes or No"),
    ("fever", {}, "fever", "choose Yes or No"),
    ("about-you", {"age": "12", "onset_amount": "3", "onset_unit": "weeks"}, "Your age", "from 16 to 110"),
    ("about-you", {"age": "forty", "onset_amount": "3", "onset_unit": "weeks"}, "Your age", "whole years"),
    (
        "about-you",
        {"age": "40", "onset_amount": "-2", "onset_unit": "weeks"},
        "How long this has lasted",
        "0 or more",
    ),
    (
        "about-you",
        {"age": "40", "onset_amount": "2", "onset_unit": "years"},
        "Days, weeks or months",
        "choose",
    ),
    ("side", {"side": "middle"}, "Which leg is affected?", "Left leg, Right leg, Both legs"),
    ("side", {}, "Which leg is affected?", "choose one of"),
    ("where", {"regions": ["buttock", "elbow"]}, "Where do you feel it?", "'elbow' is not on the list"),
    ("feel", {"sensations": ["itchy"]}, "What does it feel like?", "'itchy' is not on the list"),
    ("worse", {"worse_with": ["dancing"]}, "What makes it worse?", "'dancing' is not on the list"),
    ("better", {"better_with": ["coughing_sneezing"]}, "What makes it better?", "is not on the list"),
    ("pain-now", {"leg_now": "11", "back_now": "3"}, "pain in your leg", "from 0 (no pain) to 10"),
    ("pain-now", {"leg_now": "4"}, "pain in your back", "from 0 (no pain) to 10"),
    ("bothersome", {"sbi_1": "9", "sbi_2": "2", "sbi_3": "4", "sbi_4": "1"}, "", "from 0 to 6"),
    ("daily-life", {"peg_1": "5", "peg_3": "6"}, "", "from 0 to 10"),
    ("activities", {"activity_1": "Gardening", "activity_1_score": ""}, "Gardening", "from 0"),
    ("activities", {"activity_1": "", "activity_1_score": "5"}, "activity", "name the activity"),
]


@pytest.mark.parametrize(("slug", "form", "field_text", "allowed_text"), BAD_INPUT)
def test_it_refuses_bad_input_naming_the_field_and_changing_nothing(
    client: Client, slug: str, form: dict[str, Any], field_text: str, allowed_text: str
) -> None:
    walk(client, ALL_CLEAR)
    before = session_state(client)
    intakes_before = Intake.objects.count()
    response = client.post(url(slug), form)
    assert response.status_code == 400
    body = html.unescape(response.content.decode())
    assert "Nothing was changed" in body
    assert field_text.lower() in body.lower()
    assert allowed_text.lower() in body.lower()
    assert session_state(client) == before
    assert Intake.objects.count() == intakes_before


def test_it_refuses_a_question_that_does_not_exist(client: Client) -> None:
    assert client.get(url("favourite-colour")).status_code == 404


# Storage -----------------------------------------------------------------------------------------


def test_it_stores_nothing_for_someone_without_an_account(client: Client) -> None:
    walk(client, BLADDER)
    assert client.get("/check/result/").status_code == 200
    assert Intake.objects.count() == 0


def test_it_stores_the_finished_check_of_a_signed_in_patient(patient_client: Client) -> None:
    walk(patient_client, BLADDER)
    intake = Intake.objects.get()
    assert intake.patient.display_name == "Pat"
    assert intake.tier == "emergency"
    assert intake.answers["red_flags"]["bladder_change"] is True
    assert intake.answers["schema"] == SCHEMA
    assert set(intake.answers["red_flags"]) == set(RED_FLAG_KEYS)
    assert intake.result["tier"] == "emergency"
    assert intake.content_version == content_version()
    assert intake.measures["sbi"]["score"] == 10
    body = patient_client.get("/check/result/").content.decode()
    assert "Saved to" in body
    # Looking at the result again does not store it twice.
    patient_client.get("/check/result/")
    patient_client.post("/check/result/")
    assert Intake.objects.count() == 1


def test_it_saves_a_check_finished_before_signing_in(client: Client) -> None:
    walk(client, ALL_CLEAR)
    user = User.objects.create_user("late", password=PASSWORD)
    Patient.objects.create(user=user, display_name="Late")
    client.post("/accounts/login/", {"username": "late", "password": PASSWORD})
    body = client.get("/check/result/").content.decode()
    assert "Save to my history" in body
    assert Intake.objects.count() == 0
    client.post("/check/result/")
    assert Intake.objects.get().patient.display_name == "Late"


def test_it_lists_a_patients_own_checks_only(patient_client: Client) -> None:
    walk(patient_client, BLADDER)
    mine = Intake.objects.get()
    other_user = User.objects.create_user("other", password=PASSWORD)
    other = Patient.objects.create(user=other_user, display_name="Other")
    theirs = Intake.objects.record(other, answers={}, result={"tier": "self_care"}, content_version="x")
    body = patient_client.get("/check/history/").content.decode()
    assert str(mine.uuid) in body
    assert str(theirs.uuid) not in body
    assert patient_client.get(f"/check/history/{mine.uuid}/").status_code == 200
    assert patient_client.get(f"/check/history/{theirs.uuid}/").status_code == 404


def test_it_asks_for_sign_in_before_showing_history(client: Client) -> None:
    response = client.get("/check/history/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_shows_staff_without_a_patient_record_an_empty_history(client: Client) -> None:
    staff = User.objects.create_user("staff", password=PASSWORD, is_staff=True)
    client.force_login(staff)
    walk(client, ALL_CLEAR)
    assert client.get("/check/result/").status_code == 200
    assert Intake.objects.count() == 0
    assert "no patient record" in client.get("/check/history/").content.decode()
