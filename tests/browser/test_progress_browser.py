"""The demo patient's progress page on a phone and a laptop: readable charts, tables, and no axe issues."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from browser.signing_in import sign_in
from browser.test_session_browser import audit
from sciatrack.demo import DEMO_PASSWORD, load_demo
from second_factor import code_for_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_as_demo_patient(page: Page, base_url: str) -> None:
    list(load_demo())
    sign_in(page, base_url, "patient", DEMO_PASSWORD, "/progress/")


@pytest.mark.parametrize("viewport", ["phone", "laptop"])
def test_it_shows_the_demo_patients_progress(
    live_server, phone_page: Page, laptop_page: Page, viewport: str
) -> None:
    page = phone_page if viewport == "phone" else laptop_page
    sign_in_as_demo_patient(page, live_server.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("My progress")
    expect(page.locator(".progress__summary")).to_contain_text("Leg pain down from")
    charts = page.get_by_role("img")
    assert charts.count() >= 4
    first = charts.first
    box = first.bounding_box()
    assert box is not None and box["width"] >= 300, f"the chart is too small to read ({box})"
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport_width = page.viewport_size["width"] if page.viewport_size else 0
    assert width <= viewport_width, f"the page scrolls sideways ({width} px)"

    page.get_by_text("Show the numbers").first.click()
    expect(page.locator("details[open] table")).to_be_visible()
    audit(page, f"progress-{viewport}")


def test_it_shows_the_demo_clinician_their_patients_and_a_record(live_server, laptop_page: Page) -> None:
    list(load_demo())
    page = laptop_page
    sign_in(page, live_server.url, "clinician", DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("link", name="Your clinic's patients").click()

    # Two-step sign-in comes first: set up an authenticator with the key on the page, then type its code.
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step sign-in")
    expect(page.get_by_role("img", name="QR code holding your two-step sign-in key")).to_be_visible()
    audit(page, "two-factor-setup")
    secret = page.locator("[data-otp-secret]").inner_text()
    page.get_by_label("The 6-digit code from your authenticator app").fill(code_for_secret(secret))
    with page.expect_navigation():
        page.get_by_role("button", name="Turn on two-step sign-in").click()

    rows = page.locator(".clinic-table tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.first).to_contain_text("flagged for review")  # Wes, worsening, comes first
    audit(page, "clinic-dashboard")
    with page.expect_navigation():
        rows.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wes Hartley")
    expect(page.get_by_role("img").first).to_be_visible()
    audit(page, "clinic-patient")

    with page.expect_navigation():
        page.get_by_role("link", name="All patients").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Invite a patient").click()
    page.get_by_label("Name").fill("Dora")
    with page.expect_navigation():
        page.get_by_role("button", name="Make the invitation link").click()
    expect(page.get_by_role("status")).to_contain_text("Invitation for Dora")
    audit(page, "clinic-invite")
