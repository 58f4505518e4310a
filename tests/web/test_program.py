"""The program page, the session page and ``POST /api/sessions``, with real accounts and database."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils.text import capfirst

from api.as_browser import browser, post_json
from sciatrack.accounts.models import Patient
from sciatrack.api.sessions import StoredLogOut
from sciatrack.care.models import Intake, Program, SessionLog
from sciatrack.content.dosage_text import describe_dosage
from sciatrack.content.schema import Dosage
from sciatrack.domain.intake import parse_intake
from sciatrack.domain.triage import result_to_json, triage
from sciatrack.lib.page_cache import CSRF_PLACEHOLDER
from vignettes import vignette_answers
from web.test_check import walk

pytestmark = pytest.mark.django_db


def vignette(name: str) -> dict[str, Any]:
    return vignette_answers(name)


def make_intake(patient: Patient, name: str) -> Intake:
    answers = parse_intake(vignette(name))
    result = triage(answers)
    return Intake.objects.record(patient, answers.to_json(), result_to_json(result), content_version="test")


def a_log(**changes: Any) -> dict[str, Any]:
    log = {
        "idempotency_key": str(uuid.uuid4()),
        "started_at": "2026-11-25T08:00:00+00:00",
        "finished_at": "2026-11-25T08:20:00+00:00",
        "pain_before": 6,
        "pain_after": 4,
        "exercises": [
            {
                "id": "mckenzie-extension",
                "status": "done",
                "reps_done": 10,
                "holds_done": 10,
                "symptoms": "moved_up",
            },
        ],
    }
    log.update(changes)
    return log


def post(person: User | None, body: object) -> Any:
    """POST a log as the session page's script does: from a browser checking CSRF, with the page's token."""
    return post_json(browser(person), "/api/sessions", body)


# The program page --------------------------------------------------------------------------------


def test_it_asks_for_the_safety_check_before_any_program(client: Client) -> None:
    response = client.get("/program/")
    assert response.status_code == 200
    assert "Start with the safety check" in response.content.decode()
    assert "Start a guided session" not in response.content.decode()


def test_it_shows_the_program_of_a_self_care_check_with_dosages(alice_client: Client, alice: Patient) -> None:
    make_intake(alice, "disc-pattern-self-care")
    page = alice_client.get("/program/").content.decode()
    assert "McKenzie press-up on the elbows" in page
    assert "10 times, hold 2 to 3 seconds, every waking hour" in page
    assert "Start a guided session" in page
    assert Program.objects.filter(patient=alice).count() == 1  # stored, so a clinician can change it


def test_it_says_why_an_exercise_was_left_out(alice_client: Client, alice: Patient) -> None:
    make_intake(alice, "stenosis-pattern-no-extension")
    page = alice_client.get("/program/").content.decode()
    assert "Left out for now" in page
    assert "stenosis" in page
    assert 'href="/exercises/mckenzie-extension/"' not in page


def test_it_gives_no_program_and_no_session_after_an_emergency_check(
    alice_client: Client, alice: Patient
) -> None:
    make_intake(alice, "disc-pattern-self-care")
    alice_client.get("/program/")
    make_intake(alice, "cauda-equina-bladder")  # the newest check wins over the older program
    for url in ("/program/", "/session/"):
        page = alice_client.get(url).content.decode()
        assert "There is no exercise program for you" in page
        assert "session-data" not in page
        assert "/exercises/" not in page


def test_it_builds_the_program_from_an_anonymous_check_in_the_session(client: Client) -> None:
    walk(client, vignette("disc-pattern-self-care"))
    page = client.get("/program/").content.decode()
    assert "Start a guided session" in page
    assert "to keep a log of your sessions" in page


# The session page --------------------------------------------------------------------------------


def test_it_embeds_the_session_plan_for_the_browser(alice_client: Client, alice: Patient) -> None:
    make_intake(alice, "disc-pattern-self-care")
    response = alice_client.get("/session/")
    data = response.context["session_data"]
    # The coached numbers of each exercise and session kind, the pauses and the words: the page's script
    # lays out the steps from these (tests/browser/test_player_browser.py holds it to plan_session).
    assert len(data["exercises"]) == 7 and "steps" not in data
    assert all({"full", "short"} <= set(exercise) for exercise in data["exercises"].values())
    assert set(data["timing"]) == {"full", "short"} and data["words"]["hold"] == "Hold"
    assert data["save"] is True
    assert data["program"] == str(Program.objects.get(patient=alice).uuid)
    assert 'id="session-data"' in response.content.decode()


def test_it_leaves_out_an_exercise_that_spread_symptoms(alice_client: Client, alice: Patient) -> None:
    make_intake(alice, "disc-pattern-self-care")
    stopped = {
        "id": "mckenzie-extension",
        "status": "stopped",
        "symptoms": "spread_down",
        "stop_reason": "Symptoms spread down the leg.",
    }
    from django.utils import timezone

    now = timezone.now().isoformat()
    assert post(alice.user, a_log(started_at=now, finished_at=now, exercises=[stopped])).status_code == 201
    data = alice_client.get("/session/").context["session_data"]
    assert "mckenzie-extension" not in data["exercises"]
    assert "this exercise made your pain spread" in alice_client.get("/program/").content.decode()


def test_the_page_shows_a_stop_a_clinicians_change_and_a_new_check_at_once(
    alice_client: Client, alice: Patient
) -> None:
    # The page's body is kept rendered per program version; each change below must show on the next visit.
    make_intake(alice, "disc-pattern-self-care")
    first = alice_client.get("/program/").content.decode()
    assert "this exercise made your pain spread" not in first

    from django.utils import timezone

    now = timezone.now().isoformat()
    stopped = {
        "id": "mckenzie-extension",
        "status": "stopped",
        "symptoms": "spread_down",
        "stop_reason": "Spread.",
    }
    assert post(alice.user, a_log(started_at=now, finished_at=now, exercises=[stopped])).status_code == 201
    assert "this exercise made your pain spread" in alice_client.get("/program/").content.decode()

    record = Program.objects.get(patient=alice)
    changed = [dict(item) for item in record.exercises]
    with_reps = next(  # one still in the program: the stopped one is kept out
        i for i, item in enumerate(changed) if item["dosage"].get("reps") and item["id"] != stopped["id"]
    )
    before = describe_dosage(Dosage.model_validate(changed[with_reps]["dosage"]))
    changed[with_reps]["dosage"] = {**changed[with_reps]["dosage"], "reps": 17}
    after = describe_dosage(Dosage.model_validate(changed[with_reps]["dosage"]))
    record.exercises = changed
    record.save()
    page = alice_client.get("/program/").content.decode()
    assert capfirst(after) in page and capfirst(before) not in page

    make_intake(alice, "stenosis-pattern-no-extension")  # a new check: a new program, without extension
    page = alice_client.get("/program/").content.decode()
    assert capfirst(after) not in page
    assert "Left out for now" in page and Program.objects.filter(patient=alice).count() == 2


def test_a_kept_page_carries_this_requests_csrf_token_and_the_persons_name(alice: Patient) -> None:
    make_intake(alice, "disc-pattern-self-care")
    assert alice.user is not None
    laptop, phone = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    laptop.force_login(alice.user)
    phone.force_login(alice.user)
    laptop.get("/program/")  # renders the page and keeps it
    page = phone.get("/program/").content.decode()  # the kept page, on a browser with its own CSRF secret
    assert CSRF_PLACEHOLDER not in page
    token = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[0]

    Patient.objects.filter(pk=alice.pk).update(display_name="Alice Marsh")
    assert "Alice Marsh" in phone.get("/program/").content.decode()

    # The sign-out form of the kept page works on the phone: its token matches the phone's cookie.
    response = phone.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert phone.get("/program/").context["user"].is_authenticated is False


# POST /api/sessions ------------------------------------------------------------------------------


def test_it_stores_a_log_once_per_idempotency_key(alice: Patient) -> None:
    log = a_log()
    first = post(alice.user, log)
    again = post(alice.user, log)
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["uuid"] == again.json()["uuid"]
    assert SessionLog.objects.filter(patient=alice).count() == 1
    stored = SessionLog.objects.get()
    assert stored.pain_before == 6 and stored.exercises[0]["reps_done"] == 10
    assert stored.needs_review is False
    # Both answers are exactly what the API's documentation promises (StoredLogOut).
    for answer, created in ((first, True), (again, False)):
        assert StoredLogOut.model_validate(answer.json()).model_dump() == answer.json()
        assert answer.json() == {
            "uuid": str(stored.uuid),
            "idempotency_key": log["idempotency_key"],
            "needs_review": False,
            "created": created,
        }


def test_it_marks_a_spreading_exercise_for_review(alice: Patient) -> None:
    exercise = {
        "id": "glute-activation",
        "status": "stopped",
        "symptoms": "spread_down",
        "stop_reason": "spread",
    }
    response = post(alice.user, a_log(exercises=[exercise]))
    assert response.status_code == 201
    assert response.json()["needs_review"] is True


def test_it_refuses_a_bad_log_naming_every_field_and_stores_nothing(alice: Patient) -> None:
    body = a_log(pain_before=11, idempotency_key="again", exercises=[{"id": "yoga", "status": "maybe"}])
    body["colour"] = "red"
    response = post(alice.user, body)
    assert response.status_code == 422
    fields = {problem["field"] for problem in response.json()["problems"]}
    assert {"pain_before", "idempotency_key", "exercises[0].id", "exercises[0].status", "colour"} <= fields
    assert SessionLog.objects.count() == 0


def test_it_refuses_a_stopped_exercise_without_a_reason(alice: Patient) -> None:
    response = post(alice.user, a_log(exercises=[{"id": "lift-off", "status": "stopped"}]))
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "exercises[0].stop_reason"


def test_it_refuses_someone_elses_program(alice: Patient) -> None:
    bob = Patient.objects.create(display_name="Bob")
    make_intake(bob, "disc-pattern-self-care")
    from sciatrack.program.programs import create_program

    bobs = create_program(Intake.objects.get(patient=bob))
    assert bobs is not None
    response = post(alice.user, {**a_log(), "program": str(bobs.uuid)})
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "program"


def test_it_keeps_logs_only_for_signed_in_patients() -> None:
    assert post(None, a_log()).status_code == 401
    assert (
        post(User.objects.create_user("staff", password="a long test password"), a_log()).status_code == 403
    )
    assert SessionLog.objects.count() == 0


# Pregnancy: the warning signs and the side-lying notes on every page of the program --------------
# The pages are rendered from a program the domain built. A stored program (a signed-in patient's) is
# rebuilt by Program.to_domain, which does not carry the pregnancy advice yet (see the report).


def pregnant_program() -> tuple[Any, dict[str, Any]]:
    from sciatrack.domain.programs import build_program

    answers = parse_intake(vignette("pregnant-extension-pattern-no-face-down"))
    result = triage(answers)
    program = build_program(answers, result)
    assert program is not None and program.pregnancy_warning is not None
    return program, result_to_json(result)


def calm_program() -> Any:
    from sciatrack.domain.programs import build_program

    program = build_program(parse_intake(vignette("disc-pattern-self-care")))
    assert program is not None and program.pregnancy_warning is None
    return program


def render_page(rf: Any, template: str, program: Any) -> str:
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    from sciatrack.content.loader import load_exercises

    library = load_exercises()
    request = rf.get("/")
    request.user = AnonymousUser()
    request.session = {}
    context = {
        "program": program,
        "entries": [(item, library[item.id]) for item in program.exercises],
        "stopped": {},
        "stopped_names": [],
        "signed_in": False,
        "session_data": {"steps": [], "emergency_number": "999"},
    }
    return render_to_string(template, context, request)


@pytest.mark.parametrize("template", ["care/program.html", "care/session.html"])
def test_the_program_and_session_pages_show_the_pregnancy_warning_only_in_pregnancy(
    rf: Any, template: str
) -> None:
    program, _ = pregnant_program()
    page = render_page(rf, template, program)
    assert page.count("data-pregnancy-warning") == 1
    assert "call your maternity unit now" in page
    for sign in program.pregnancy_warning.signs:
        assert capfirst(sign) in page
    notes = [item.pregnancy_note for item in program.exercises if item.pregnancy_note]
    assert len(notes) == 3 and all(note in page for note in notes)
    calm = render_page(rf, template, calm_program())
    assert "data-pregnancy-warning" not in calm and "maternity unit" not in calm and "20 weeks" not in calm


def test_the_handout_and_the_text_program_list_the_pregnancy_warning() -> None:
    from datetime import date

    from sciatrack.outputs.handout import render_handout_html
    from sciatrack.outputs.program_text import format_program

    program, result = pregnant_program()
    answers = parse_intake(vignette("pregnant-extension-pattern-no-face-down"))
    flat = " ".join(render_handout_html(program, result, date(2026, 11, 25)).split())
    text = " ".join(format_program(triage(answers), program).split())
    notes = [item.pregnancy_note for item in program.exercises if item.pregnancy_note]
    for output in (flat, text):
        assert "call your maternity unit now" in output
        assert all(sign in output.lower() for sign in program.pregnancy_warning.signs)
        assert all(" ".join(note.split()) in output for note in notes)
    calm = calm_program()
    calm_result = triage(parse_intake(vignette("disc-pattern-self-care")))
    assert "maternity unit" not in render_handout_html(calm, result_to_json(calm_result), date(2026, 11, 25))
    assert "maternity unit" not in format_program(calm_result, calm)
