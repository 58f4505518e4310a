"""A whole guided session in Chromium on a phone, with the page clock run fast by Playwright.

The person signs in, rates their pain, plays every step, says on one exercise that the leg symptoms
spread further down, and finishes. The log the page sends is checked in the database; so is the
red-flag answer that ends a session. Screenshots go to ``var/screenshots/session-*.png``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from browser.signing_in import PASSWORD, sign_in
from sciatrack.accounts.models import Patient
from sciatrack.care.models import SessionLog
from sciatrack.domain.safety_update import danger_signs
from sciatrack.domain.session_log import SYMPTOM_CHOICES, SymptomMovement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
AXE = Axe()
STOPPED_EXERCISE = "McKenzie"  # the second exercise of the disc-pattern program
CLOCK_STEP_MS = 30_000


def audit(page: Page, shot: str) -> None:
    result = AXE.run(page)
    assert result.violations_count == 0, f"{shot}\n{result.generate_report()}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"session-{shot}.png"), full_page=True)


def sign_in_and_open_session(page: Page, base_url: str) -> None:
    page.clock.install()
    sign_in(page, base_url, "alice", PASSWORD)
    page.goto(f"{base_url}/session/")
    expect(page.get_by_role("heading", name="Before you start")).to_be_visible()


def begin(page: Page, pain: str) -> None:
    start = page.get_by_role("button", name="Start the session")
    expect(start).to_be_disabled()
    page.locator("[data-screen='before']").get_by_text(pain, exact=True).tap()
    # The danger signs are asked before every session: a pain rating alone does not start it.
    expect(start).to_be_disabled()
    page.get_by_role("button", name="None of these now").tap()
    expect(start).to_be_enabled()
    start.tap()


def answer_the_danger_signs(page: Page, yes: set[str]) -> None:
    """On /safety/: each sign its own yes/no question; the labels in ``yes`` answered yes."""
    expect(page.get_by_role("heading", name="Do you have any of these now?")).to_be_visible()
    for sign in danger_signs():
        group = page.get_by_role("group", name=sign.label)
        group.get_by_label("Yes" if sign.flag in yes else "No", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="See what to do").tap()


def visible_screen(page: Page) -> str:
    """The shown session screen's name, read in one step in the page ("" when there is none).

    After a red flag the page goes on to the danger-sign questions, which have no session screens; a
    count and then a read could fall on either side of that navigation and wait for a screen that is gone.
    """
    try:
        screen = page.evaluate(
            "() => document.querySelector('.session-screen:not([hidden])')?.dataset.screen ?? ''"
        )
    except PlaywrightError:  # the page was navigating away as it was asked
        return ""
    return str(screen)


def play(page: Page, answer_for: dict[str, SymptomMovement]) -> list[str]:
    """Run the clock until the session asks for pain after (or a red flag ends it); answer every question.

    Returns the exercise names asked about, in order.
    """
    asked: list[str] = []
    shots = {"player", "question", "feedback"}
    for _ in range(400):
        screen = visible_screen(page)
        if screen in shots:
            shots.discard(screen)
            audit(page, screen)
        if screen == "player":
            expect(page.locator("[data-field='count']")).not_to_be_empty()
            page.clock.run_for(CLOCK_STEP_MS)
        elif screen == "question":
            name = page.locator("[data-field='question-exercise']").inner_text()
            asked.append(name)
            movement = next((move for key, move in answer_for.items() if key in name), SymptomMovement.SAME)
            page.get_by_role("button", name=SYMPTOM_CHOICES[movement]).tap()
        elif screen == "feedback":
            page.get_by_role("button", name="Go on").tap()
        else:
            return asked
    raise AssertionError(f"the session did not end; last screen {visible_screen(page)!r}")


def test_it_plays_a_whole_session_and_logs_the_exercise_stopped_for_spreading(
    live_server, phone_page: Page, alice: Patient
) -> None:
    page = phone_page
    sign_in_and_open_session(page, live_server.url)
    audit(page, "before")
    begin(page, "6")
    expect(page.locator("[data-field='title']")).not_to_be_empty()

    asked = play(page, {STOPPED_EXERCISE: SymptomMovement.SPREAD_DOWN})
    assert len(asked) == 7
    assert visible_screen(page) == "after"
    audit(page, "after")
    page.locator("[data-screen='after']").get_by_text("3", exact=True).tap()
    page.get_by_role("button", name="Save and finish").tap()
    expect(page.get_by_role("heading", name="Session finished")).to_be_visible()
    expect(page.locator("[data-field='saved']")).to_have_text("Saved to your log.")
    expect(page.locator("[data-field='summary']")).to_contain_text("6 of 7 exercises done")
    audit(page, "done")

    log = SessionLog.objects.get(patient=alice)
    assert (log.pain_before, log.pain_after, log.ended_early, log.needs_review) == (6, 3, False, True)
    by_id = {item["id"]: item for item in log.exercises}
    assert by_id["mckenzie-extension"]["status"] == "stopped"
    assert by_id["mckenzie-extension"]["symptoms"] == "spread_down"
    assert "clinician" in by_id["mckenzie-extension"]["stop_reason"]
    assert by_id["mckenzie-extension"]["reps_done"] == 10
    done = [item for item in log.exercises if item["status"] == "done"]
    assert len(done) == 6 and all(item["symptoms"] == "same" for item in done)
    assert by_id["hamstring-ball-release"]["seconds"] >= 120

    # The stopped exercise stays out for the rest of the day, with the reason.
    page.goto(f"{live_server.url}/session/")
    expect(page.get_by_text("Left out today because they spread your symptoms earlier")).to_contain_text(
        "McKenzie"
    )


def test_a_red_flag_answer_ends_the_session_and_asks_each_danger_sign(
    live_server, phone_page: Page, alice: Patient
) -> None:
    page = phone_page
    sign_in_and_open_session(page, live_server.url)
    begin(page, "4")
    with page.expect_navigation(url="**/safety/?from=in_session"):
        asked = play(page, {"": SymptomMovement.RED_FLAG})
    assert len(asked) == 1
    log = SessionLog.objects.filter(patient=alice).first()
    assert log is not None and log.ended_early and log.needs_review
    # The exercises never reached are logged too, as skipped: the log says how much of the session was done.
    assert [item["status"] for item in log.exercises] == ["stopped"] + ["skipped"] * 6
    assert log.exercises[0]["symptoms"] == "red_flag" and log.exercises_done == 0
    audit(page, "danger-questions")
    answer_the_danger_signs(page, {"fever"})
    # Fever alone is a doctor today; the whole table ran on the check's answers plus the fever.
    expect(page.locator(".tier-box")).to_contain_text("See a doctor today")
    expect(page.locator(".tier-box")).to_contain_text("Your exercise program is paused")
    audit(page, "danger-result")
    page.goto(f"{live_server.url}/session/")
    expect(page.get_by_role("button", name="Start the session")).to_have_count(0)


def test_something_is_wrong_keeps_the_log_and_asks_each_danger_sign(
    live_server, phone_page: Page, alice: Patient
) -> None:
    page = phone_page
    sign_in_and_open_session(page, live_server.url)
    begin(page, "5")
    with page.expect_navigation(url="**/safety/?from=in_session"):
        page.get_by_role("link", name="Something is wrong").tap()
    log = SessionLog.objects.filter(patient=alice).first()
    assert log is not None and log.ended_early and log.end_reason == "The person pressed Something is wrong."
    answer_the_danger_signs(page, {"saddle_numbness"})
    expect(page.locator(".tier-box")).to_contain_text("Go to an emergency department now")
    expect(page.get_by_role("link", name="911")).to_have_attribute("href", "tel:911")


def test_yes_or_not_sure_before_a_session_asks_each_danger_sign_and_none_goes_back(
    live_server, phone_page: Page, alice: Patient
) -> None:
    page = phone_page
    sign_in_and_open_session(page, live_server.url)
    with page.expect_navigation():
        page.get_by_role("link", name="Yes, or I am not sure").tap()
    answer_the_danger_signs(page, set())
    expect(page).to_have_url(f"{live_server.url}/session/?no_danger=1")
    expect(page.get_by_role("heading", name="Before you start")).to_be_visible()
    assert not SessionLog.objects.exists()


def test_it_shows_the_program_its_handout_and_reminders_on_a_phone(
    live_server, phone_page: Page, alice: Patient
) -> None:
    page = phone_page
    sign_in_and_open_session(page, live_server.url)
    page.goto(f"{live_server.url}/program/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your home program")
    expect(page.locator(".program-item")).to_have_count(7)
    audit(page, "program")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the program page scrolls sideways on a phone ({width} px)"

    with page.expect_download() as download:
        page.get_by_role("button", name="Download reminders (.ics)").tap()
    calendar = Path(download.value.path()).read_text()
    assert calendar.startswith("BEGIN:VCALENDAR") and calendar.count("BEGIN:VEVENT") == 2  # 08:00, 18:00

    with page.expect_navigation():
        page.get_by_role("link", name="Printable handout").tap()
    expect(page.get_by_role("heading", name="McKenzie", exact=False).first).to_be_visible()
    audit(page, "handout")
