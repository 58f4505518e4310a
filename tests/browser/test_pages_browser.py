"""Home and the exercise library in Chromium: fits a phone, passes axe, stays on our server, stays light.

Full-page screenshots go to ``var/screenshots/pages-*.png`` for a person to look at.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, Response, expect

from sciatrack.content.danger_signs import load_danger_signs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PAGE_BUDGET_BYTES = 50 * 1024
PHONE_WIDTH = 390

PAGES = {
    "home": "/",
    "list": "/exercises/",
    "detail": "/exercises/mckenzie-extension/",
    "detail-project-dosage": "/exercises/lift-off/",
}


def origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


def visit(page: Page, url: str) -> tuple[list[str], list[Response]]:
    """Open ``url`` and return every request the page made and every response it received."""
    requested: list[str] = []
    received: list[Response] = []
    page.on("request", lambda request: requested.append(request.url))
    # A lambda, not received.append: Playwright wraps each listener and cannot wrap a builtin method.
    page.on("response", lambda response: received.append(response))  # noqa: PLW0108
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("networkidle")
    return requested, received


def compressed_size(responses: list[Response]) -> int:
    """What the page costs over the wire with gzip: every body the browser loaded, compressed."""
    return sum(len(gzip.compress(response.body())) for response in responses)


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"pages-{name}.png"), full_page=True)


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("name", ["home", "detail", "list", "detail-project-dosage"])
def test_it_fits_a_phone_passes_axe_and_stays_light(live_server: Any, phone_page: Page, name: str) -> None:
    page = phone_page
    requested, received = visit(page, live_server.url + PAGES[name])

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{name} scrolls sideways: {width}px wide on a {PHONE_WIDTH}px screen"

    assert_accessible(page)

    ours = origin(live_server.url)
    elsewhere = [url for url in requested if origin(url) != ours]
    assert not elsewhere, f"{name} asked another server for: {elsewhere}"
    assert requested, "no requests were recorded"

    size = compressed_size(received)
    assert size < PAGE_BUDGET_BYTES, f"{name} loads {size} bytes gzip-compressed, over {PAGE_BUDGET_BYTES}"
    print(f"{name}: {len(received)} responses, {size} bytes gzip-compressed")

    screenshot(page, f"phone-{name}")


def test_it_shows_the_safety_notice_and_the_way_to_the_exercises_on_a_phone(
    live_server: Any, phone_page: Page
) -> None:
    page = phone_page
    visit(page, live_server.url + "/")
    notice = page.get_by_role("region", name="Read this first: your safety")
    expect(notice).to_be_visible()
    # The danger signs' advice from their one home, then each sign.
    expect(notice).to_contain_text(load_danger_signs().advice)
    page.get_by_role("link", name="See the seven exercises").tap()
    expect(page).to_have_url(live_server.url + "/exercises/")
    expect(page.locator(".card")).to_have_count(7)
    page.locator('a[href="/exercises/mckenzie-extension/"]').tap()
    expect(page).to_have_url(live_server.url + "/exercises/mckenzie-extension/")
    expect(page.locator(".dose__text")).to_have_text("10 times, hold 2 to 3 seconds, every waking hour")
    expect(page.get_by_role("region", name="Stop straight away if")).to_be_visible()


@pytest.mark.parametrize("name", ["home", "list", "detail"])
def test_it_looks_right_on_a_laptop(live_server: Any, laptop_page: Page, name: str) -> None:
    page = laptop_page
    visit(page, live_server.url + PAGES[name])
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 1366
    assert_accessible(page)
    screenshot(page, f"laptop-{name}")


def test_it_offers_a_skip_link_to_keyboard_users(live_server: Any, laptop_page: Page) -> None:
    page = laptop_page
    visit(page, live_server.url + "/exercises/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_it_renders_the_api_docs_under_the_content_security_policy(live_server, laptop_page: Page) -> None:
    page = laptop_page
    page.goto(f"{live_server.url}/api/docs")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    expect(page.get_by_text("/api/sessions").first).to_be_visible()
