"""The session player in Chromium: the short session for a bad day, End session, and a session left part way.

The page lays out its steps itself from each exercise's coached numbers; the first test holds that plan
to the terminal guide's (:func:`sciatrack.domain.sessions.plan_session`) step by step. The page clock is
run fast by Playwright. Screenshots of a 360 x 740 phone and a laptop go to ``var/screenshots/player-*.png``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from browser.signing_in import sign_in
from browser.test_session_browser import PASSWORD, SCREENSHOTS, visible_screen
from sciatrack.accounts.models import Patient
from sciatrack.care.models import SessionLog
from sciatrack.content.loader import load_exercises
from sciatrack.domain.session_log import SYMPTOM_CHOICES, SessionKind, SymptomMovement
from sciatrack.domain.sessions import SHORT_SESSION_RULE, plan_session, step_to_json
from sciatrack.outputs import figures
from sciatrack.progress.history import progress_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Axe()
PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1366, "height": 800}
CLOCK_STEP_MS = 1_000


def look(page: Page, shot: str) -> None:
    """axe finds nothing; the page does not scroll sideways; a screenshot to look at."""
    result = AXE.run(page)
    assert result.violations_count == 0, f"{shot}\n{result.generate_report()}"
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size or {"width": 0}
    assert width <= viewport["width"], f"{shot} scrolls sideways: {width} px on {viewport['width']} px"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"player-{shot}.png"), full_page=True)


def watch_content_security_policy(page: Page) -> list[str]:
    """Every console report of something the page's Content-Security-Policy refused (as tests/conftest.py)."""
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return blocked


@pytest.fixture(params=["phone", "laptop"])
def screen(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[str, Page]]:
    """A 360 x 740 phone with touch, or a laptop; the page's Content-Security-Policy must block nothing."""
    size = PHONE if request.param == "phone" else LAPTOP
    context = browser.new_context(viewport=size, has_touch=request.param == "phone")
    page = context.new_page()
    blocked = watch_content_security_policy(page)
    yield request.param, page
    context.close()
    assert not blocked, f"the Content-Security-Policy blocked: {blocked}"


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, has_touch=True)
    page = context.new_page()
    blocked = watch_content_security_policy(page)
    yield page
    context.close()
    assert not blocked, f"the Content-Security-Policy blocked: {blocked}"


def open_session(page: Page, base_url: str) -> None:
    page.clock.install()
    sign_in(page, base_url, "alice", PASSWORD)
    page.goto(f"{base_url}/session/")
    expect(page.get_by_role("heading", name="Before you start")).to_be_visible()


def begin(page: Page, kind: str = "Full session") -> None:
    page.get_by_text(kind).click()
    page.locator("[data-screen='before'] .scale-pick").get_by_text("6", exact=True).click()
    page.get_by_role("button", name="None of these now").click()
    page.get_by_role("button", name="Start the session").click()


def run_to(page: Page, wanted: str) -> None:
    """Run the page clock until the screen ``wanted`` shows (answering nothing on the way)."""
    for _ in range(2000):
        if visible_screen(page) == wanted:
            return
        page.clock.run_for(CLOCK_STEP_MS)
    raise AssertionError(f"{wanted!r} never came; the screen is {visible_screen(page)!r}")


def week_count(patient: Patient) -> int:
    return progress_of(patient).adherence[-1].done


def test_the_page_lays_out_the_same_steps_as_the_terminal_guide(
    live_server, phone: Page, alice: Patient
) -> None:
    open_session(phone, live_server.url)
    program = alice.programs.get().to_domain()
    for kind in SessionKind:
        laid_out = phone.evaluate(
            "kind => SciatrackPlan.timeline(JSON.parse(document.querySelector('#session-data').text), kind)",
            kind.value,
        )
        planned = [step_to_json(step) for step in plan_session(program, kind=kind).steps]
        assert laid_out == planned, kind


def test_a_short_session_ended_after_one_exercise_is_saved_in_one_tap_and_counts_for_the_week(
    live_server, screen: tuple[str, Page], alice: Patient
) -> None:
    name, page = screen
    before = week_count(alice)
    open_session(page, live_server.url)
    expect(page.get_by_text(SHORT_SESSION_RULE)).to_be_visible()
    expect(page.get_by_role("heading", name="What you need")).to_be_visible()
    look(page, f"before-{name}")
    begin(page, "Short session")

    # Get ready says what comes next, and the countdown is read out.
    first = page.locator(".session-list li").first.locator("strong").inner_text()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Next: {first}")
    expect(page.locator("[data-field='announce']")).to_contain_text(f"Next: {first}")
    expect(page.locator("[data-field='start']")).not_to_be_empty()
    expect(page.locator("[data-field='steps'] li")).not_to_have_count(0)
    end = page.get_by_role("button", name="End session")
    expect(end).to_be_in_viewport()
    look(page, f"get-ready-{name}")

    run_to(page, "question")
    page.get_by_role("button", name=SYMPTOM_CHOICES[SymptomMovement.SAME]).click()
    page.get_by_role("button", name="Go on").click()
    page.clock.run_for(3_000)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Next:")
    page.mouse.wheel(0, 5000)  # End session stays in reach at the bottom of a long page
    expect(end).to_be_in_viewport()
    look(page, f"rest-{name}")

    end.click()  # one tap to the save screen
    expect(page.get_by_role("heading", name="Save what you did")).to_be_focused()
    expect(page.get_by_text("You did 1 of 7 exercises. That still counts as a session.")).to_be_visible()
    look(page, f"save-{name}")
    page.locator("[data-screen='after'] .scale-pick").get_by_text("4", exact=True).click()
    page.get_by_role("button", name="Save and finish").click()
    expect(page.locator("[data-field='saved']")).to_have_text("Saved to your log.")
    expect(page.locator("[data-field='summary']")).to_have_text(
        "1 of 7 exercises done in a short session; leg pain 6 before, 4 after."
    )

    log = SessionLog.objects.get(patient=alice)
    assert (log.kind, log.ended_early, log.pain_before, log.pain_after) == ("short", True, 6, 4)
    assert log.end_reason == "Ended by the person after 1 of 7 exercises."
    assert [item["status"] for item in log.exercises] == ["done"] + ["skipped"] * 6
    assert log.exercises[0]["reps_done"] in (0, 3, 6)  # a short dose: at most 3 on each side
    assert all("Not reached" in item["stop_reason"] for item in log.exercises[1:])
    assert week_count(alice) == before + 1
    # Nothing is kept to offer again: the next visit starts clean.
    page.goto(f"{live_server.url}/session/")
    expect(page.locator("[data-field='left-behind']")).to_be_hidden()


def test_a_full_session_still_plays_to_its_end(live_server, phone: Page, alice: Patient) -> None:
    open_session(phone, live_server.url)
    begin(phone)
    for _ in range(7):
        run_to(phone, "question")
        phone.get_by_role("button", name=SYMPTOM_CHOICES[SymptomMovement.MOVED_UP]).click()
        phone.get_by_role("button", name="Go on").click()
    run_to(phone, "after")
    expect(phone.get_by_role("heading", name="Well done")).to_be_visible()
    expect(phone.get_by_role("button", name="End session")).to_be_hidden()
    phone.locator("[data-screen='after'] .scale-pick").get_by_text("3", exact=True).click()
    phone.get_by_role("button", name="Save and finish").click()
    expect(phone.locator("[data-field='saved']")).to_have_text("Saved to your log.")
    log = SessionLog.objects.get(patient=alice)
    assert (log.kind, log.ended_early, log.exercises_done) == ("full", False, 7)
    by_id = {item["id"]: item for item in log.exercises}
    assert by_id["glute-activation"]["reps_done"] == 20 and by_id["hamstring-ball-release"]["seconds"] >= 120


def test_a_session_left_part_way_warns_and_is_offered_for_saving_next_time(
    live_server, phone: Page, alice: Patient
) -> None:
    open_session(phone, live_server.url)
    begin(phone)
    run_to(phone, "question")
    phone.get_by_role("button", name=SYMPTOM_CHOICES[SymptomMovement.SAME]).click()
    dialogs: list[str] = []

    def leave_anyway(dialog: Any) -> None:
        dialogs.append(dialog.type)
        dialog.accept()

    phone.on("dialog", leave_anyway)
    phone.goto(f"{live_server.url}/program/")
    assert dialogs == ["beforeunload"]
    assert not SessionLog.objects.exists()

    phone.goto(f"{live_server.url}/session/")
    offer = phone.locator("[data-field='left-behind']")
    expect(offer).to_contain_text("is not saved yet. You did 1 of 7 exercises.")
    look(phone, "left-behind-phone")
    offer.get_by_role("button", name="Save it").click()
    expect(phone.locator("[data-field='saved']")).to_have_text("Saved to your log.")
    log = SessionLog.objects.get(patient=alice)
    assert log.ended_early and log.end_reason == "The page was left before the end of the session."
    assert log.exercises_done == 1 and log.pain_after is None
    phone.reload()
    expect(phone.locator("[data-field='left-behind']")).to_be_hidden()


def test_each_step_shows_its_drawing_and_its_words(live_server, phone: Page, alice: Patient) -> None:
    library = load_exercises()
    open_session(phone, live_server.url)
    begin(phone, "Short session")
    first = library[alice.programs.get().to_domain().exercises[0].id]
    loop = phone.locator("[data-field='figure'] img")
    expect(loop).to_have_attribute("alt", figures.figure_alt(first))
    items = phone.locator("[data-field='steps'] li")
    expect(items).to_have_count(len(first.steps))
    for number, words in enumerate(first.steps, start=1):
        item = items.nth(number - 1)
        expect(item).to_contain_text(words)
        expect(item.locator("img")).to_have_attribute("alt", figures.step_alt(first, number))
        expect(item.locator("img")).to_have_attribute("width", re.compile(r"^\d+$"))
    # Each drawing is fetched after the step is laid out: wait for them all (a slow machine takes a
    # moment), failing if any never loads.
    phone.wait_for_function(
        "() => [...document.querySelectorAll('.session-player img')]"
        ".every(image => image.complete && image.naturalWidth > 0)",
        timeout=15_000,
    )
    look(phone, "drawings-phone")
