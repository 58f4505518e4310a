"""The today screen in Chromium: signing up from a check's result lands there, and the demo patients'
days on a small phone (360 x 740) and a laptop. Axe finds nothing; nothing scrolls sideways; each page
stays under 50 KB over the wire. Screenshots go to ``var/screenshots/today-*.png``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from browser.signing_in import sign_in
from browser.test_check_browser import answer_about, answer_red_flags, answer_rest, follow
from browser.test_pages_browser import PAGE_BUDGET_BYTES, SCREENSHOTS, compressed_size, visit
from browser.test_session_browser import AXE
from sciatrack.accounts.models import Patient
from sciatrack.care.models import Intake
from sciatrack.demo import DEMO_PASSWORD, load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALL_PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1366, "height": 800}


@pytest.fixture
def small_phone(browser: Browser) -> Iterator[Page]:
    """A page on a small phone: 360 x 740, with touch."""
    context = browser.new_context(viewport=SMALL_PHONE, device_scale_factor=2, has_touch=True)
    yield context.new_page()
    context.close()


def check_page(page: Page, shot: str) -> None:
    """Axe finds nothing, nothing scrolls sideways; keep a full-page screenshot."""
    page.wait_for_load_state("load")
    result = AXE.run(page)
    assert result.violations_count == 0, f"{shot}\n{result.generate_report()}"
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size
    assert viewport is not None and width <= viewport["width"], f"{shot} scrolls sideways ({width} px)"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"today-{shot}.png"), full_page=True)


def test_signing_up_from_a_check_result_lands_on_today_with_the_check_saved(
    live_server: Any, small_phone: Page
) -> None:
    page = small_phone
    page.goto(f"{live_server.url}/check/")
    follow(page, page.get_by_role("link", name="Start the check"))
    answer_red_flags(page, yes=set())
    answer_about(page, "42", "2")
    answer_rest(page, "Left leg", shots=False)
    expect(page.get_by_role("heading", level=1)).to_have_text("You can start the home program")

    follow(page, page.get_by_role("link", name="Create an account to save it"))
    page.get_by_label("Username").fill("river")
    page.get_by_label("What should we call you?").fill("River")
    # By id: the password fields' labels are Django's and may be reworded.
    page.locator("#id_password1").fill("a long test password")
    page.locator("#id_password2").fill("a long test password")
    follow(page, page.get_by_role("button", name="Create my account"))

    assert page.url == f"{live_server.url}/"
    expect(page.get_by_role("status")).to_have_text(
        "Welcome, River! Your check is saved. This is your page for each day."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    expect(page.get_by_role("heading", name="Today's session")).to_be_visible()
    expect(page.get_by_role("link", name="Start today's session")).to_be_visible()
    expect(page.get_by_role("link", name="Fill in today's pain diary")).to_be_visible()
    check_page(page, "signed-up-phone")
    assert Intake.objects.get().patient == Patient.objects.get(user__username="river")

    page.reload()  # the welcome is said once
    expect(page.get_by_role("status")).to_have_count(0)
    assert Intake.objects.count() == 1


@pytest.mark.parametrize("username", ["sam", "wes", "nora"])
@pytest.mark.parametrize("viewport", ["phone", "laptop"])
def test_it_shows_each_demo_patients_day(
    live_server: Any, browser: Browser, username: str, viewport: str
) -> None:
    list(load_demo())
    context = browser.new_context(
        viewport=SMALL_PHONE if viewport == "phone" else LAPTOP, has_touch=viewport == "phone"
    )
    page = context.new_page()
    try:
        sign_in(page, live_server.url, username, DEMO_PASSWORD, "/progress/")
        _, received = visit(page, f"{live_server.url}/")
        size = compressed_size(received)
        assert size <= PAGE_BUDGET_BYTES, f"today for {username} weighs {size} bytes"
        expect(page.get_by_role("heading", level=1)).to_have_text("Today")
        if username == "wes":  # worsening: the signal, not the cheer
            expect(page.get_by_role("heading", name="Needs attention: see a clinician")).to_be_visible()
            expect(page.locator(".today__cheer")).to_have_count(0)
        else:
            expect(page.locator(".today__cheer")).to_contain_text("Leg pain down from")
        if username == "nora":  # stopped her sessions; the 12-week check is due
            expect(page.locator(".today__cheer")).to_contain_text("No session yet this week")
            expect(page.get_by_role("link", name="Take the 12-week check")).to_be_visible()
        expect(page.get_by_role("heading", name="This week")).to_be_visible()
        check_page(page, f"{username}-{viewport}")
    finally:
        context.close()
