"""The calendar reminders form on a 360 x 740 phone: whole time fields, a download, and the error page.

The time fields were once cut off on a phone ("07:"). Screenshots of the reminders part go to
``var/screenshots/reminders-*.png``.
"""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from icalendar import Calendar
from playwright.sync_api import Page, expect

from browser.signing_in import PASSWORD, sign_in
from sciatrack.accounts.models import Patient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def small_phone(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, has_touch=True)
    page = context.new_page()
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: blocked.append(message.text) if "Content Security" in message.text else None,
    )
    yield page
    context.close()
    assert not blocked, f"the Content-Security-Policy blocked: {blocked}"


def no_violations(page: Page, shot: str) -> None:
    result = Axe().run(page)
    assert result.violations_count == 0, f"{shot}\n{result.generate_report()}"


def test_the_time_fields_show_whole_on_a_phone_and_download_one_reminder(
    live_server, small_phone: Page, alice: Patient
) -> None:
    page = small_phone
    sign_in(page, live_server.url, "alice", PASSWORD)
    page.goto(f"{live_server.url}/program/")
    form = page.locator("form#reminders")
    form.scroll_into_view_if_needed()
    for label in ("First reminder", "Second reminder"):
        field = form.get_by_label(label)
        expect(field).to_be_visible()
        box = field.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert box["width"] >= 150, f"{label}: {box['width']} px is too narrow for a time"
        clipped = field.evaluate("element => element.scrollWidth > element.clientWidth")
        assert not clipped, f"{label}: the time is cut off"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    form.screenshot(path=str(SCREENSHOTS / "reminders-phone-360.png"))
    no_violations(page, "program")

    form.get_by_label("First reminder").fill("07:15")
    form.get_by_label("Second reminder").fill("")
    with page.expect_download() as download:
        form.get_by_role("button", name="Download reminders (.ics)").tap()
    (event,) = Calendar.from_ical(Path(download.value.path()).read_bytes()).walk("VEVENT")
    start = event.decoded("dtstart")
    assert isinstance(start, datetime) and start.time() == time(7, 15)
    assert "McKenzie press-up on the elbows: 10 times" in str(event["description"])


def test_the_same_time_twice_shows_the_form_again_naming_the_second(
    live_server, small_phone: Page, alice: Patient
) -> None:
    page = small_phone
    sign_in(page, live_server.url, "alice", PASSWORD)
    response = page.goto(f"{live_server.url}/program/reminders.ics?first=08:00&second=08:00")
    assert response is not None and response.status == 400
    expect(page.get_by_role("alert")).to_contain_text("Second reminder: 08:00 is the same as the first time")
    expect(page.get_by_label("Second reminder")).to_have_attribute("aria-invalid", "true")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width} px)"
    page.screenshot(path=str(SCREENSHOTS / "reminders-error-phone-360.png"), full_page=True)
    no_violations(page, "reminders error")
