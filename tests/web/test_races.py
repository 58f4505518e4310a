"""Requests sent at the same moment: the database, not a look before the write, lets only one through.

Each test lines its requests up on a barrier in real threads, each with its own browser
(``Client(enforce_csrf_checks=True)``, posting the token its page carries) and its own database
connection, so on PostgreSQL they run at once. SQLite takes writers one at a time, so there the race
may not happen; the tests must pass on both.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any, TypeVar

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

from sciatrack.accounts.models import Patient
from sciatrack.care.models import Intake, Program
from sciatrack.check import steps
from sciatrack.program.programs import create_program
from web.test_check import ALL_CLEAR, MEASURES, asked_slugs, form_for, next_slug, url, walk
from web.test_program import make_intake

pytestmark = pytest.mark.django_db(transaction=True)

T = TypeVar("T")
PASSWORD = "walk-the-dog-at-dawn-42"


def at_once(actions: list[Callable[[], T]]) -> list[T]:
    """Run each action in its own thread, all let go together; their results, in order.

    Each thread closes its own database connection at the end, as a server's worker would. The test
    suite's SQLite database lives in memory, where a connection finding another one writing fails at
    once instead of waiting its turn; there the actions take turns, as SQLite's one writer at a time
    would make them.
    """
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    turns: AbstractContextManager[Any] = threading.Lock() if in_memory else nullcontext()
    barrier = threading.Barrier(len(actions))
    results: list[Any] = [None] * len(actions)
    errors: list[BaseException] = []

    def run(index: int, action: Callable[[], T]) -> None:
        try:
            barrier.wait(timeout=30)
            with turns:
                results[index] = action()
        except BaseException as error:  # handed to the test below, which fails with it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def browser() -> Client:
    """A browser: CSRF checks on, and a server error answered as a browser gets it (a 500 page)."""
    return Client(enforce_csrf_checks=True, raise_request_exception=False)


def token_of(page: str) -> str:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[0]


def same_session(original: Client) -> Client:
    """A second browser tab: another connection, the same cookies (session and CSRF)."""
    tab = browser()
    tab.cookies.load({name: morsel.value for name, morsel in original.cookies.items()})
    return tab


# Sign-up -----------------------------------------------------------------------------------------


def test_ten_sign_ups_at_once_with_one_new_name_make_one_account_and_refuse_the_rest() -> None:
    forms = []
    for _ in range(10):
        visitor = browser()
        token = token_of(visitor.get("/accounts/signup/").content.decode())
        forms.append((visitor, token))
    form = {"username": "river", "display_name": "River", "password1": PASSWORD, "password2": PASSWORD}

    responses = at_once(
        [
            lambda visitor=visitor, token=token: visitor.post(
                "/accounts/signup/", {**form, "csrfmiddlewaretoken": token}
            )
            for visitor, token in forms
        ]
    )

    statuses = [response.status_code for response in responses]
    assert statuses.count(302) == 1, statuses
    assert statuses.count(400) == 9, statuses  # never a 500: a taken name is the form's own error
    for response in responses:
        if response.status_code == 400:
            body = response.content.decode()
            assert "A user with that username already exists." in body
            assert 'name="username"' in body  # the form again, to choose another name
    assert User.objects.filter(username="river").count() == 1
    assert Patient.objects.filter(user__username="river").count() == 1


# The check's last step ---------------------------------------------------------------------------


def last_step_of(answers: dict[str, Any]) -> steps.Step:
    """The last screen these answers lead through (found by a visitor, who stores nothing)."""
    return steps.BY_SLUG[asked_slugs(walk(Client(), answers))[-1]]


def signed_in_patient() -> tuple[Client, str]:
    user = User.objects.create_user("pat", password=PASSWORD)
    Patient.objects.create(user=user, display_name="Pat")
    person = browser()
    person.force_login(user)
    return person, token_of(person.get(url(steps.STEPS[0].slug)).content.decode())


def walk_until(person: Client, token: str, answers: dict[str, Any], last: steps.Step) -> None:
    """Answer each screen the server leads to, with the page's CSRF token, up to ``last``."""
    slug: str | None = steps.STEPS[0].slug
    while slug != last.slug:
        assert slug is not None
        response = person.post(
            url(slug), {**form_for(steps.BY_SLUG[slug], answers), "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302, (slug, response.content.decode()[:2000])
        slug = next_slug(response["Location"])


def clicks(person: Client, token: str, last: steps.Step, form: dict[str, Any], times: int) -> None:
    """``times`` clicks at once on the last step's button, from the same signed-in browser."""
    tabs = [same_session(person) for _ in range(times)]
    responses = at_once(
        [lambda tab=tab: tab.post(url(last.slug), {**form, "csrfmiddlewaretoken": token}) for tab in tabs]
    )
    assert [response.status_code for response in responses] == [302] * times
    assert {response["Location"] for response in responses} == {"/check/result/"}


def test_a_double_click_on_the_last_step_stores_the_check_once() -> None:
    last = last_step_of(ALL_CLEAR)
    person, token = signed_in_patient()
    walk_until(person, token, ALL_CLEAR, last)

    clicks(person, token, last, form_for(last, ALL_CLEAR), times=3)

    stored = Intake.objects.get()
    assert stored.submission is not None
    page = person.get("/check/result/").content.decode()
    assert "Saved to" in page and "Save to my history" not in page
    person.post("/check/result/", {"csrfmiddlewaretoken": token})  # the save button, too late: no copy
    assert Intake.objects.count() == 1


def test_a_changed_answer_after_saving_still_stores_a_new_check_once() -> None:
    last = last_step_of(ALL_CLEAR)
    assert last.slug in MEASURES  # the last screen asks a score, whose change changes the check
    person, token = signed_in_patient()
    walk_until(person, token, ALL_CLEAR, last)
    first = form_for(last, ALL_CLEAR)
    changed = {**first, **{key: "1" for key, value in first.items() if value.isdigit()}}
    assert changed != first

    clicks(person, token, last, first, times=2)
    clicks(person, token, last, changed, times=2)
    assert Intake.objects.count() == 2
    # Back to the first answer: a new check again (it is the newest), not the first one handed back.
    clicks(person, token, last, first, times=2)
    checks = list(Intake.objects.order_by("created", "pk"))
    assert len(checks) == 3
    assert checks[0].measures == checks[2].measures != checks[1].measures
    assert len({check.submission for check in checks}) == 3


def test_starting_the_check_again_with_the_same_answers_stores_another_check() -> None:
    last = last_step_of(ALL_CLEAR)
    person, token = signed_in_patient()
    walk_until(person, token, ALL_CLEAR, last)
    clicks(person, token, last, form_for(last, ALL_CLEAR), times=2)
    person.post("/check/start-again/", {"csrfmiddlewaretoken": token})
    walk_until(person, token, ALL_CLEAR, last)
    clicks(person, token, last, form_for(last, ALL_CLEAR), times=2)
    assert Intake.objects.count() == 2


# The program page --------------------------------------------------------------------------------


def test_first_visits_to_the_program_at_once_make_one_program(alice: Patient) -> None:
    check = make_intake(alice, "disc-pattern-self-care")
    assert alice.user is not None
    visits = []
    for _ in range(3):
        visitor = browser()
        visitor.force_login(alice.user)
        visits.append(visitor)

    responses = at_once([lambda visitor=visitor: visitor.get("/program/") for visitor in visits])

    assert [response.status_code for response in responses] == [200, 200, 200]
    program = Program.objects.get(patient=alice)
    assert program.intake_id == check.pk
    first_exercise = program.exercises[0]["id"]
    assert all(f"/{first_exercise}/" in response.content.decode() for response in responses)


def test_creating_the_program_of_a_check_again_hands_back_the_stored_one(alice: Patient) -> None:
    check = make_intake(alice, "disc-pattern-self-care")
    first = create_program(check)
    again = create_program(Intake.objects.get(pk=check.pk))
    assert first is not None and again is not None
    assert again.pk == first.pk
    assert Program.objects.filter(intake=check).count() == 1
