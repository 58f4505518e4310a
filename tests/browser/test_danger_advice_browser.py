"""A danger result is never hidden: every page that shows its advice shows it readable, and no page
offers exercises (menu, home, library, program, session) until a new check or a clearance allows them.

Each persona's newest check is stored as the app stores it; the pages are opened signed in, in Chromium,
on a phone and a laptop, and checked with axe. Screenshots go to ``var/screenshots/danger-*.png``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect
from signing_in import sign_in

from sciatrack.accounts.models import Patient
from sciatrack.care.models import Intake
from sciatrack.domain.triage import Where, place_advice
from web.test_program import make_intake

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PASSWORD = "a long test password"
# A persona per place a danger result can send a person, by the vignette that leads there.
PERSONAS = {
    Where.EMERGENCY_DEPARTMENT_NOW: "cauda-equina-bladder",
    Where.EMERGENCY_DEPARTMENT_TODAY: "major-trauma-emergency-department-today",
    Where.DOCTOR_TODAY: "fever-alone",
    Where.DOCTOR_WITHIN_DAYS: "upset-stomach",
}
PAGES = ("/", "/program/", "/session/", "/exercises/", "/exercises/lift-off/", "/progress/", "/diary/")


def person_with(where: Where) -> Intake:
    user = User.objects.create_user(where.value, password=PASSWORD)
    check = make_intake(Patient.objects.create(user=user, display_name="Dana"), PERSONAS[where])
    assert check.where == where.value
    return check


def assert_advice_readable_and_no_exercise_offered(page: Page, where: Where, url: str) -> None:
    advice = place_advice(where)
    box = page.locator(".tier-box").first
    expect(box).to_be_visible()
    expect(box).to_contain_text(advice.headline)
    # Nothing on the page leads to the exercises: not the menu, not a button, not a card.
    offers = page.locator('main a[href^="/program/"], main a[href^="/session/"], main a[href^="/exercises/"]')
    expect(offers).to_have_count(0)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Program")).to_have_count(0)
    expect(nav.get_by_role("link", name="Exercises")).to_have_count(0)
    results = Axe().run(page)
    assert results.violations_count == 0, f"{url}: {results.generate_report()}"


@pytest.mark.parametrize("url", PAGES)
def test_it_shows_the_emergency_advice_readable_on_every_page_of_a_phone(
    live_server: Any, phone_page: Page, url: str
) -> None:
    person_with(Where.EMERGENCY_DEPARTMENT_NOW)
    sign_in(phone_page, live_server.url, Where.EMERGENCY_DEPARTMENT_NOW.value, PASSWORD)
    phone_page.goto(live_server.url + url)
    assert_advice_readable_and_no_exercise_offered(phone_page, Where.EMERGENCY_DEPARTMENT_NOW, url)
    new_check = phone_page.locator(".tier-box").first.get_by_role("link", name="Do a new check")
    if new_check.count():
        # The button keeps words a person can read on the red box.
        expect(new_check.first).to_have_css("color", "rgb(163, 18, 31)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = url.strip("/").replace("/", "-") or "home"
    phone_page.screenshot(path=str(SCREENSHOTS / f"danger-phone-{name}.png"), full_page=True)


@pytest.mark.parametrize("where", list(PERSONAS))
def test_it_holds_the_exercises_for_every_danger_result_on_a_laptop(
    live_server: Any, laptop_page: Page, where: Where
) -> None:
    check = person_with(where)
    sign_in(laptop_page, live_server.url, where.value, PASSWORD)
    for url in ("/", "/program/", "/exercises/", f"/check/history/{check.uuid}/"):
        laptop_page.goto(live_server.url + url)
        assert_advice_readable_and_no_exercise_offered(laptop_page, where, url)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    laptop_page.screenshot(path=str(SCREENSHOTS / f"danger-laptop-{where.value}.png"), full_page=True)
