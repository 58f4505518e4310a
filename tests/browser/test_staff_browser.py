"""The demo clinician's pages in Chromium, on a laptop and a 360 x 740 phone: the staff menu, the
dashboard, a patient's page in the clinician's words, and the confirmation after saving the program.

Each page must pass axe and not scroll sideways; screenshots go to ``var/screenshots/staff-*.png``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from browser.signing_in import sign_in
from sciatrack.demo import DEMO_PASSWORD, load_demo
from second_factor import code_for_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
AXE = Axe()
VIEWPORTS = {"phone": {"width": 360, "height": 740}, "laptop": {"width": 1366, "height": 800}}


def audit(page: Page, shot: str) -> None:
    result = AXE.run(page)
    assert result.violations_count == 0, f"{shot}\n{result.generate_report()}"
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport_width = page.viewport_size["width"] if page.viewport_size else 0
    assert width <= viewport_width, f"{shot}: the page scrolls sideways ({width} px)"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"staff-{shot}.png"), full_page=True)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_demo_clinician_works_in_the_staff_menu_and_words(
    live_server, browser: Browser, viewport: str
) -> None:
    list(load_demo())
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    sign_in(page, live_server.url, "clinician", DEMO_PASSWORD, "/clinic/")
    secret = page.locator("[data-otp-secret]").inner_text()
    page.get_by_label("The 6-digit code from your authenticator app").fill(code_for_secret(secret))
    with page.expect_navigation():
        page.get_by_role("button", name="Turn on two-step sign-in").click()

    menu = page.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("link")).to_have_text(["Patients"])  # no patient items, no registry for her
    expect(menu.get_by_role("link", name="Patients")).to_have_attribute("aria-current", "page")
    box = menu.bounding_box()
    assert box is not None and box["x"] + box["width"] <= VIEWPORTS[viewport]["width"]
    nora = page.locator(".clinic-table tbody tr", has_text="Nora Lindqvist")
    expect(nora).to_contain_text("No session for ")
    expect(nora).not_to_contain_text("No session for 7 days")  # her last session was weeks ago
    audit(page, f"{viewport}-dashboard")

    with page.expect_navigation():
        page.get_by_role("link", name="Wes Hartley").click()
    expect(page.locator(".progress__summary")).to_contain_text("Leg pain (daily diary, average of ")
    expect(page.get_by_role("note").first).to_contain_text("Leg pain is clearly worse: ")
    expect(page.get_by_text("Your leg pain")).to_have_count(0)
    audit(page, f"{viewport}-patient")

    page.get_by_text("Adjust the program").click()
    page.get_by_role("spinbutton", name="Repetitions").first.fill("6")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the program").click()
    expect(page.get_by_role("status")).to_contain_text("The program is saved: ")
    expect(page.get_by_role("status")).to_contain_text("Wes Hartley sees the new program")
    audit(page, f"{viewport}-saved")
    context.close()
