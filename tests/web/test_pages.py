"""The public pages: home, the exercise library, sign-in pages, the 404 page and the admin's door."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils.html import escape

from sciatrack.accounts.models import Patient
from sciatrack.content.danger_signs import load_danger_signs
from sciatrack.content.loader import get_exercise
from sciatrack.content.schema import EXERCISE_IDS
from sciatrack.domain.safety_update import danger_signs

pytestmark = pytest.mark.django_db


def html(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def test_it_renders_home_with_the_safety_notice(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = html(response)
    assert '<html lang="en">' in page
    assert 'name="viewport"' in page
    assert 'id="safety-title"' in page
    # Every danger sign from its one home, those that alone mean the emergency department now marked.
    signs = danger_signs()
    for words in (
        escape(load_danger_signs().advice),
        *(escape(sign.label) for sign in signs),
        "See a doctor before you start",
        "Stop any exercise that brings on leg pain",
    ):
        assert words in page, words
    mark = f"({load_danger_signs().emergency_mark})"
    assert page.count(mark) == sum(sign.emergency_alone for sign in signs)
    assert 'href="/exercises/"' in page


def test_it_says_who_sciatrack_is_for(client: Client) -> None:
    page = html(client.get("/"))
    for audience in ("People with sciatica", "Clinicians", "Clinic networks"):
        assert f"<h3>{audience}</h3>" in page


def test_it_loads_one_local_stylesheet_and_nothing_from_elsewhere(client: Client) -> None:
    paths = ("/", "/exercises/", "/exercises/mckenzie-extension/", "/accounts/login/", "/accounts/signup/")
    for path in paths:
        page = html(client.get(path))
        assert page.count('rel="stylesheet"') == 1, path
        assert 'href="/static/css/site.css"' in page, path
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), path


def test_it_has_a_skip_link_main_landmark_and_footer_reminder(client: Client) -> None:
    page = html(client.get("/exercises/"))
    assert '<a class="skip-link" href="#main">' in page
    assert '<main id="main"' in page
    assert '<nav class="site-nav" aria-label="Main">' in page
    assert "<footer" in page and "stop any exercise that brings on new leg pain" in page


def test_it_lists_all_seven_exercises(client: Client) -> None:
    response = client.get("/exercises/")
    assert response.status_code == 200
    page = html(response)
    assert page.count('<li class="card">') == len(EXERCISE_IDS) == 7
    for exercise_id in EXERCISE_IDS:
        exercise = get_exercise(exercise_id)
        assert f'href="/exercises/{exercise_id}/"' in page
        assert escape(exercise.name) in page
        assert escape(exercise.summary) in page
    assert "10 times, hold 2 to 3 seconds, every waking hour" in page


def test_it_shows_the_steps_in_order_and_the_dosage_in_words(client: Client) -> None:
    response = client.get("/exercises/mckenzie-extension/")
    assert response.status_code == 200
    page = html(response)
    exercise = get_exercise("mckenzie-extension")
    assert f'<h1 id="exercise-title">{escape(exercise.name)}</h1>' in page
    assert "10 times, hold 2 to 3 seconds, every waking hour" in page

    steps_list = page.split('<ol class="steps">', 1)[1].split("</ol>", 1)[0]
    items = re.findall(r"<li>(.*?)</li>", steps_list, flags=re.DOTALL)
    assert items == [escape(step) for step in exercise.steps]

    for rule in exercise.stop_rules:
        assert escape(rule) in page
    for text in (exercise.purpose, exercise.start_position, *exercise.feel, *exercise.do_not_feel):
        assert escape(text) in page
    assert escape(exercise.easier.name) in page and escape(exercise.harder.name) in page


def test_it_shows_every_exercise_with_its_stop_rules(client: Client) -> None:
    for exercise_id in EXERCISE_IDS:
        response = client.get(f"/exercises/{exercise_id}/")
        assert response.status_code == 200, exercise_id
        page = html(response)
        assert 'aria-labelledby="stop-title"' in page
        for rule in get_exercise(exercise_id).stop_rules:
            assert escape(rule) in page, (exercise_id, rule)


def test_it_says_when_the_dosage_is_the_projects_default() -> None:
    client = Client()
    for exercise_id in EXERCISE_IDS:
        exercise = get_exercise(exercise_id)
        page = html(client.get(f"/exercises/{exercise_id}/"))
        own_default = "Sciatrack's own default, not the source's" in page
        assert own_default == (exercise.dosage.dosage_source == "project"), exercise_id
    # The first three exercises have no dosage in their source.
    assert get_exercise("lift-off").dosage.dosage_source == "project"


def test_it_answers_an_unknown_exercise_with_a_helpful_404(client: Client) -> None:
    response = client.get("/exercises/toe-curls/")
    assert response.status_code == 404
    page = html(response)
    assert "We could not find that page" in page
    assert "toe-curls" in page
    assert 'href="/exercises/"' in page and 'href="/"' in page


def test_it_answers_an_unknown_address_with_the_friendly_404(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = html(response)
    assert "We could not find that page" in page
    assert "Resolver404" not in page


def test_it_opens_the_admin_login_page(client: Client) -> None:
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "Django administration" in html(response) or "Log in" in html(response)


def test_it_renders_the_sign_in_and_sign_up_pages(client: Client) -> None:
    page = html(client.get("/accounts/login/"))
    assert "<h1>Sign in</h1>" in page
    assert 'for="id_username"' in page and 'for="id_password"' in page
    page = html(client.get("/accounts/signup/"))
    assert "<h1>Create an account</h1>" in page
    for field in ("username", "display_name", "email", "password1", "password2"):
        assert f'for="id_{field}"' in page, field


def test_it_marks_sign_in_errors_in_words(client: Client) -> None:
    response = client.post("/accounts/login/", {"username": "nobody", "password": "wrong"})
    page = html(response)
    assert "<title>Error: Sign in" in page
    assert "We could not sign you in" in page


def test_it_shows_the_signed_in_name_and_a_post_sign_out_form(client: Client) -> None:
    page = html(client.get("/"))
    assert 'href="/accounts/login/"' in page and 'href="/accounts/signup/"' in page

    user = User.objects.create_user("carol", password="walk-the-dog-at-dawn-42")
    Patient.objects.create(user=user, display_name="Carol")
    client.force_login(user)
    page = html(client.get("/"))
    assert "Carol" in page
    form = re.search(
        r'<form class="account__form" method="post" action="/accounts/logout/">(.*?)</form>', page, re.DOTALL
    )
    assert form is not None and "csrfmiddlewaretoken" in form.group(1)
    assert 'href="/accounts/login/"' not in page


def test_it_sends_a_content_security_policy_that_allows_no_inline_script(client: Client) -> None:
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
