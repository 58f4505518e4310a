"""The whole safety check in Chromium on a phone-sized screen, with an axe audit of every screen.

Screenshots of each kind of screen go to ``var/screenshots/check-*.png`` for a person to look at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect

from sciatrack.check import steps, wording

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
AXE = Axe()


def audit(page: Page, shot: str | None = None) -> None:
    """No axe violations on this screen; optionally keep a full-page screenshot of it."""
    page.wait_for_load_state("load")
    result = AXE.run(page)
    assert result.violations_count == 0, f"{page.url}\n{result.generate_report()}"
    if shot:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"check-{shot}.png"), full_page=True)


def follow(page: Page, locator: Locator) -> None:
    """Tap a link or submit button and wait for the page it leads to."""
    with page.expect_navigation():
        locator.tap()


def tap_region(page: Page, name: str) -> None:
    """Tap one drawn shape of a body-map region (its group spans both legs, with a gap between)."""
    page.get_by_role("button", name=name).locator("polygon, ellipse").first.tap()


def tap(page: Page, name: str) -> None:
    page.get_by_text(name, exact=True).first.tap()


def answer_red_flags(page: Page, yes: set[str], screenshots: dict[str, str] | None = None) -> None:
    """Answer every danger-sign screen; after an emergency answer, carry on from the advice page."""
    for step in steps.STEPS[: steps.RED_FLAG_COUNT]:
        assert isinstance(step, steps.YesNoStep)
        expect(page).to_have_url(f"{page.url.split('/check/')[0]}/check/step/{step.slug}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(step.question.question)
        expect(page.locator(".check-progress__step")).to_have_text(f"Step 1 of {len(steps.SECTIONS)}")
        expect(page.locator(".check-hint")).to_have_text(wording.NOT_SURE)
        audit(page, (screenshots or {}).get(step.slug))
        follow(page, page.get_by_role("button", name="Yes" if step.question.key in yes else "No", exact=True))
        if "/act-now/" in page.url:
            expect(page.get_by_role("heading", level=1)).to_have_text("Go to an emergency department now")
            audit(page, "act-now")
            follow(page, page.get_by_role("link", name="Keep answering the questions"))


def answer_about(page: Page, age: str, weeks: str) -> None:
    audit(page, "about")
    page.get_by_label("How old are you?").fill(age)
    page.get_by_label("Number of days, weeks or months").fill(weeks)
    tap(page, "weeks")
    follow(page, page.get_by_role("button", name="Next"))


def answer_rest(page: Page, side: str, shots: bool) -> None:
    """From the side question to the result, tapping through the body map on the way."""
    audit(page, "side" if shots else None)
    tap(page, side)
    follow(page, page.get_by_role("button", name="Next"))

    # The body map: the picture replaces the list once the script runs.
    body_map = page.locator("[data-bodymap]")
    expect(body_map).to_be_visible()
    audit(page)
    buttock = page.get_by_role("button", name="Buttock")
    tap_region(page, "Buttock")
    expect(buttock).to_have_attribute("aria-pressed", "true")
    tap_region(page, "Back of the thigh")
    tap_region(page, "Outer side of the calf")
    tap_region(page, "Big toe")
    tap_region(page, "Big toe")  # a second tap clears it
    expect(page.get_by_role("button", name="Big toe")).to_have_attribute("aria-pressed", "false")
    # Keyboard: focus a region and press Space.
    heel = page.get_by_role("button", name="Heel")
    heel.focus()
    page.keyboard.press("Space")
    expect(heel).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[data-chosen]")).to_contain_text("Buttock")
    audit(page, "where" if shots else None)
    follow(page, page.get_by_role("button", name="Next"))

    for label in ("Tingling or pins and needles", "A dull ache"):
        tap(page, label)
    audit(page, "feel" if shots else None)
    follow(page, page.get_by_role("button", name="Next"))
    tap(page, "Sitting")
    tap(page, "Getting up from sitting")
    audit(page)
    follow(page, page.get_by_role("button", name="Next"))
    tap(page, "Walking")
    audit(page)
    follow(page, page.get_by_role("button", name="Next"))

    page.locator("label[for='leg_now-5']").tap()
    page.locator("label[for='back_now-3']").tap()
    audit(page, "pain" if shots else None)
    follow(page, page.get_by_role("button", name="Next"))

    for label in page.locator(".scale__points").all():
        label.locator("label").nth(2).tap()
    audit(page, "sbi" if shots else None)
    follow(page, page.get_by_role("button", name="Next"))
    for label in page.locator(".scale__points").all():
        label.locator("label").nth(4).tap()
    audit(page)
    follow(page, page.get_by_role("button", name="Next"))

    page.get_by_label("Activity 1", exact=True).fill("Putting on socks")
    page.locator("label[for='activity_1_score-3']").tap()
    audit(page, "psfs" if shots else None)
    follow(page, page.get_by_role("button", name="See my result"))
    expect(page).to_have_url(f"{page.url.split('/check/')[0]}/check/result/")


def test_it_walks_the_all_clear_path_on_a_phone(live_server: Any, phone_page: Page) -> None:
    page = phone_page
    page.goto(f"{live_server.url}/check/")
    audit(page, "intro")
    follow(page, page.get_by_role("link", name="Start the check"))
    answer_red_flags(
        page,
        yes=set(),
        screenshots={
            "saddle-numbness": "red-flag",
            "sudden-pain-faint": "red-flag-new",
            "pregnant-or-postpartum": "red-flag-last",
        },
    )
    answer_about(page, "42", "2")
    answer_rest(page, "Left leg", shots=True)

    expect(page.get_by_role("heading", level=1)).to_have_text("You can start the home program")
    expect(page.get_by_role("link", name="See the home exercises")).to_be_visible()
    expect(page.get_by_text("Putting on socks")).to_be_visible()
    audit(page, "result-self-care")
    page.emulate_media(media="print")
    page.screenshot(path=str(SCREENSHOTS / "check-result-print.png"), full_page=True)
    page.emulate_media(media="screen")


def test_it_walks_the_red_flag_path_on_a_phone(live_server: Any, phone_page: Page) -> None:
    page = phone_page
    page.goto(f"{live_server.url}/check/")
    follow(page, page.get_by_role("link", name="Start the check"))
    answer_red_flags(page, yes={"bladder_change", "history_of_cancer"})
    # The advice stays in view on every later screen.
    expect(page.locator(".check-alert--emergency")).to_be_visible()
    expect(page.locator(".check-alert--emergency a[href='tel:911']")).to_be_visible()
    audit(page, "about-with-alert")
    answer_about(page, "61", "3")
    answer_rest(page, "Right leg", shots=False)

    expect(page.get_by_role("heading", level=1)).to_have_text("Go to an emergency department now")
    expect(page.locator(".tier-box a[href='tel:911']")).to_be_visible()
    expect(page.get_by_role("link", name="See the home exercises")).to_have_count(0)
    expect(page.locator("a[href='/exercises/']")).to_have_count(0)
    audit(page, "result-emergency")


def test_it_asks_about_a_second_leg_and_the_middle_of_the_back_on_a_phone(
    live_server: Any, phone_page: Page
) -> None:
    page = phone_page
    page.goto(f"{live_server.url}/check/step/side/")
    tap(page, "Both legs")
    follow(page, page.get_by_role("button", name="Next"))
    expect(page).to_have_url(f"{live_server.url}/check/step/bilateral-new/")
    second_leg = steps.BY_SLUG["bilateral-new"]
    assert isinstance(second_leg, steps.YesNoStep)
    expect(page.get_by_role("heading", level=1)).to_have_text(second_leg.question.question)
    expect(page.locator(".check-progress__section")).to_have_text("Which side")
    expect(page.locator(".check-hint")).to_have_text(wording.NOT_SURE)
    audit(page, "second-leg")
    follow(page, page.get_by_role("button", name="No", exact=True))
    expect(page).to_have_url(f"{live_server.url}/check/step/where/")

    mid_back = page.get_by_role("button", name=wording.REGION_LABELS["mid_back"])
    expect(mid_back).to_have_count(1)  # one shape for the keyboard, on the back view
    tap_region(page, wording.REGION_LABELS["mid_back"])
    expect(mid_back).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[data-chosen]")).to_contain_text("Middle or upper back")
    # The band around the chest on the front view is the same place: a tap there clears it again.
    page.locator(".bodymap__view--front [data-region='mid_back'] polygon").tap()
    expect(mid_back).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#regions-mid_back")).not_to_be_checked()
    page.locator(".bodymap__view--front [data-region='mid_back'] polygon").tap()
    expect(page.locator("#regions-mid_back")).to_be_checked()
    audit(page, "where-mid-back")
    follow(page, page.get_by_role("button", name="Next"))
    expect(page).to_have_url(f"{live_server.url}/check/step/feel/")


def test_it_keeps_answers_on_reload_and_after_the_back_button(live_server: Any, phone_page: Page) -> None:
    page = phone_page
    page.goto(f"{live_server.url}/check/step/saddle-numbness/")
    follow(page, page.get_by_role("button", name="No", exact=True))
    expect(page).to_have_url(f"{live_server.url}/check/step/bladder-change/")
    page.go_back()
    expect(page).to_have_url(f"{live_server.url}/check/step/saddle-numbness/")
    expect(page.locator(".answer--chosen")).to_contain_text("No")
    page.reload()
    expect(page.locator(".answer--chosen")).to_contain_text("No")

    page.goto(f"{live_server.url}/check/step/where/")
    tap_region(page, "Low back")
    follow(page, page.get_by_role("button", name="Next"))
    expect(page).to_have_url(f"{live_server.url}/check/step/feel/")
    page.go_back()
    page.reload()
    expect(page.get_by_role("button", name="Low back")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#regions-low_back")).to_be_checked()


def test_it_shows_refused_answers_accessibly(live_server: Any, phone_page: Page) -> None:
    page = phone_page
    page.goto(f"{live_server.url}/check/step/about-you/")
    page.get_by_label("How old are you?").fill("12")
    page.get_by_label("Number of days, weeks or months").fill("three")
    follow(page, page.get_by_role("button", name="Next"))
    errors = page.locator(".check-errors")
    expect(errors).to_contain_text("Your age: enter your age in whole years, from 16 to 110.")
    expect(errors).to_contain_text("How long this has lasted")
    expect(page.get_by_label("How old are you?")).to_have_value("12")
    audit(page, "error")


def test_it_works_without_javascript(live_server: Any, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/check/step/where/")
        expect(page.locator("[data-bodymap]")).to_be_hidden()
        page.get_by_role("checkbox", name="Back of the calf").check()
        page.get_by_role("button", name="Next").click()
        expect(page).to_have_url(f"{live_server.url}/check/step/feel/")
        page.goto(f"{live_server.url}/check/step/where/")
        expect(page.get_by_role("checkbox", name="Back of the calf")).to_be_checked()
    finally:
        context.close()
    # axe itself is JavaScript, so it cannot run in a page with JavaScript switched off (the call never
    # returns). Audit the same screen with our scripts blocked instead: the page the browser builds is
    # the one a no-JavaScript visitor gets.
    blocked = browser.new_context(viewport={"width": 390, "height": 844})
    blocked.route("**/*.js", lambda route: route.abort())
    page = blocked.new_page()
    try:
        page.goto(f"{live_server.url}/check/step/where/")
        expect(page.locator("[data-bodymap]")).to_be_hidden()
        audit(page, "where-no-js")
    finally:
        blocked.close()
