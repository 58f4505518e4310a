"""Words and numbers that agree, on a 360 x 740 phone with axe on every page.

A new patient does the check, sees plain questions over the questionnaires, saves a diary day and finds
the same leg pain on the progress page; sign-up says who sees the records; keys sit one click away.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect

from browser.signing_in import sign_in
from browser.test_session_browser import PASSWORD, audit
from sciatrack.accounts.models import Patient
from sciatrack.care.models import Intake
from sciatrack.check import steps
from sciatrack.content.rules_loader import get_questionnaire
from web.test_check import ALL_CLEAR, form_for, next_slug

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 360


@pytest.fixture
def small_phone(browser: Browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": WIDTH, "height": 740}, has_touch=True)
    yield context.new_page()
    context.close()


def fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} scrolls sideways on a phone ({width} px)"


def answer(page: Page, base_url: str, slug: str) -> str | None:
    """Send one screen's form with the page's own CSRF token; the next screen's slug, or None at the end."""
    token = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content())[0]
    form = [("csrfmiddlewaretoken", token)]
    for key, value in form_for(steps.BY_SLUG[slug], ALL_CLEAR).items():
        form += [(key, item) for item in (value if isinstance(value, list) else [value])]
    url = f"{base_url}/check/step/{slug}/"
    response = page.context.request.post(
        url,
        data=urlencode(form),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": url},
        max_redirects=0,
    )
    assert response.status == 302, (slug, response.status)
    return next_slug(response.headers["location"].removeprefix(base_url))


def test_a_patient_meets_plain_words_and_numbers_that_agree(live_server, small_phone: Page) -> None:
    user = User.objects.create_user("alice", password=PASSWORD)
    Patient.objects.create(user=user, display_name="Alice")
    page = small_phone
    sign_in(page, live_server.url, "alice", PASSWORD, "/check/")
    expect(page.locator(".check-lead")).to_contain_text(steps.check_length().sentence)

    headed = {"bothersome": "sbi", "daily-life": "peg", "activities": "psfs"}
    slug: str | None = steps.STEPS[0].slug
    while slug is not None:
        page.goto(f"{live_server.url}/check/step/{slug}/")
        if slug in headed:
            questionnaire = get_questionnaire(headed[slug])
            expect(page.get_by_role("heading", level=1)).to_have_text(questionnaire.heading)
            fits(page)
            audit(page, f"words-{slug}")
        slug = answer(page, live_server.url, slug)
    page.goto(f"{live_server.url}/check/result/")  # signed in: the finished check is saved
    assert Intake.objects.filter(patient__user=user).count() == 1

    page.goto(f"{live_server.url}/diary/")
    page.get_by_text("None of these now").tap()
    page.get_by_role("group", name="Leg pain today").get_by_text("3", exact=True).tap()
    page.get_by_role("group", name="Back pain today").get_by_text("2", exact=True).tap()
    page.get_by_text("Down to my thigh, above the knee").tap()
    page.get_by_text("Pain did not wake me").tap()
    with page.expect_navigation():
        page.get_by_role("button", name="Save today").tap()
    expect(page.get_by_role("status")).to_contain_text("Saved for today")

    page.goto(f"{live_server.url}/progress/")
    leg_now = ALL_CLEAR["pain"]["leg_now"]
    expect(page.locator(".progress__summary")).to_have_text(
        f"Leg pain down from {leg_now} (first check, today) to 3 (diary, today)."
    )
    expect(page.get_by_text("since then yet")).to_have_count(0)
    fits(page)
    audit(page, "words-progress")

    page.goto(f"{live_server.url}/accounts/")
    expect(page.get_by_label("Name of the new key")).to_have_count(0)
    with page.expect_navigation():
        page.get_by_role("link", name="Keys for scripts").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Keys for scripts")
    fits(page)
    audit(page, "words-keys")


def test_sign_up_says_who_sees_the_records(live_server, small_phone: Page) -> None:
    page = small_phone
    page.goto(f"{live_server.url}/accounts/signup/")
    expect(page.get_by_text("Who can see your records?")).to_be_visible()
    expect(page.get_by_role("button", name="Create my account")).to_have_attribute(
        "aria-describedby", "who-can-see"
    )
    expect(page.get_by_text("Required. 150 characters")).to_have_count(0)
    fits(page)
    audit(page, "words-signup")
