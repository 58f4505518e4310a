"""The outcome registry in Chromium, as Riverside's clinic admin, on a laptop and a phone.

The admin signs in (two-step sign-in first), opens the registry from the dashboard, ticks a safety check
result, and sees the figures change; the page must pass axe and not scroll sideways. Screenshots go to
``var/screenshots/registry-*.png``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from browser.signing_in import sign_in
from registry.test_report import make_registry
from sciatrack.accounts.models import Clinician
from second_factor import code_for_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
AXE = Axe()
PASSWORD = "a long test password"


def audit(page: Page, shot: str) -> None:
    result = AXE.run(page)
    assert result.violations_count == 0, f"{shot}\n{result.generate_report()}"
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport_width = page.viewport_size["width"] if page.viewport_size else 0
    assert width <= viewport_width, f"{shot}: the page scrolls sideways ({width} px)"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"registry-{shot}.png"), full_page=True)


def sign_in_as_clinic_admin(page: Page, base_url: str) -> None:
    riverside = make_registry(seed=5, cases=240)[0]
    user = User.objects.create_user("ada", password=PASSWORD)
    Clinician.objects.create(user=user, clinic=riverside, role=Clinician.Role.CLINIC_ADMIN)
    sign_in(page, base_url, "ada", PASSWORD, "/clinic/")
    secret = page.locator("[data-otp-secret]").inner_text()
    page.get_by_label("The 6-digit code from your authenticator app").fill(code_for_secret(secret))
    with page.expect_navigation():
        page.get_by_role("button", name="Turn on two-step sign-in").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Outcome registry").click()


@pytest.mark.parametrize("viewport", ["laptop", "phone"])
def test_it_shows_and_filters_the_registry(
    live_server, laptop_page: Page, phone_page: Page, viewport: str
) -> None:
    page = laptop_page if viewport == "laptop" else phone_page
    sign_in_as_clinic_admin(page, live_server.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Outcome registry")
    patients = page.locator("[data-patients]")
    everyone = int(patients.inner_text())
    assert everyone > 0
    expect(page.get_by_role("heading", name="Leg pain responder at 12 weeks", exact=True)).to_be_visible()
    chart = page.get_by_role("img", name="Time to response: Leg pain responder at 12 weeks")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] >= 300, f"the chart is too small to read ({box})"
    page.get_by_text("Show the numbers").first.click()
    expect(page.locator("details[open] table")).to_be_visible()
    audit(page, f"{viewport}-all")

    page.get_by_text("Choose the group of patients").click()
    page.get_by_role("group", name="Safety check result").get_by_label("routine").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Show the figures").click()
    assert "tier=routine" in page.url
    expect(page.get_by_text("triage result routine")).to_be_visible()
    narrowed = int(patients.inner_text())
    assert 0 < narrowed < everyone
    # The choices are folded away under the figures now, but kept.
    expect(page.locator("input[name='tier'][value='routine']")).to_be_checked()
    audit(page, f"{viewport}-routine")

    if viewport == "laptop":
        with page.expect_navigation():
            page.get_by_role("link", name="Compare with another group").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Compare two groups")
        page.get_by_role("group", name="Group B").get_by_role(
            "group", name="Safety check result"
        ).get_by_label("routine").uncheck()
        page.get_by_role("group", name="Group B").get_by_role(
            "group", name="Safety check result"
        ).get_by_label("soon").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Compare").click()
        expect(page.get_by_role("columnheader", name="Difference (A minus B)")).to_be_visible()
        audit(page, "laptop-compare")

        page.goto(f"{live_server.url}/clinic/registry/?tier=later")
        expect(page.get_by_role("alert")).to_contain_text("'later' is not allowed")
        audit(page, "laptop-error")
