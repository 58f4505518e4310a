"""The outbox in Chromium on a phone: what is recorded offline is kept, sent once, and never lost.

With the pages loaded online (and kept by the service worker), the network goes off; the person plays a
whole short session and saves a diary entry, then changes that day's entry. Reloading while still
offline shows the outbox survived (the waiting count). Back online, each is stored exactly once and the
day holds the latest answers. An entry sent twice (two tabs flushing at once) is stored once; a page
closed mid-send, whose send reached the server but whose answer never came back, is sent again when
the page is opened again: 0 lost, 0 duplicated. Offline, a "yes" to the danger signs shows the advice
kept in the page and shuts the session.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from browser.signing_in import sign_in
from browser.test_offline_browser import network_off, network_on, open_pages_until_kept
from browser.test_session_browser import AXE, play
from sciatrack.accounts.models import Patient
from sciatrack.care.models import DiaryEntry, SessionLog
from web.test_program import make_intake

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long test password"
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
WAITING = "[data-outbox-status]"
OUTBOX_SIZE = (
    """() => idbKeyval.keys().then(keys => keys.filter(key => String(key).startsWith("outbox:")).length)"""
)
EMPTIED = f"() => ({OUTBOX_SIZE})().then(n => n === 0)"


@pytest.fixture
def phone(browser: Browser) -> Any:
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, has_touch=True, service_workers="allow"
    )
    yield context
    context.close()


@pytest.fixture
def alice() -> Patient:
    user = User.objects.create_user("alice", password=PASSWORD)
    patient = Patient.objects.create(user=user, display_name="Alice")
    make_intake(patient, "disc-pattern-self-care")
    return patient


def shot(page: Page, name: str) -> None:
    result = AXE.run(page)
    assert result.violations_count == 0, f"{name}\n{result.generate_report()}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"outbox-{name}.png"), full_page=True)


def fill_diary(page: Page, leg: str, note: str) -> None:
    page.get_by_text("None of these now").tap()
    page.get_by_role("group", name="Leg pain today").get_by_text(leg, exact=True).tap()
    page.get_by_role("group", name="Back pain today").get_by_text("2", exact=True).tap()
    page.get_by_text("Down to my thigh, above the knee").tap()
    page.get_by_text("Pain did not wake me").tap()
    page.get_by_label("Anything else?").fill(note)


def play_short_session(page: Page) -> None:
    page.locator("input[name='session-kind'][value='short']").check()
    page.locator("[data-screen='before']").get_by_text("4", exact=True).tap()
    page.get_by_role("button", name="None of these now").tap()
    page.get_by_role("button", name="Start the session").tap()
    play(page, {})
    page.locator("[data-screen='after']").get_by_text("2", exact=True).tap()
    page.get_by_role("button", name="Save and finish").tap()
    expect(page.get_by_role("heading", name="Session finished")).to_be_visible()


def test_a_session_and_diary_days_recorded_offline_are_each_stored_once(
    live_server: Any, phone: Any, alice: Patient
) -> None:
    context: BrowserContext = phone
    page = context.new_page()
    page.clock.install()
    sign_in(page, live_server.url, "alice", PASSWORD)
    open_pages_until_kept(page, live_server.url)
    page.goto(f"{live_server.url}/session/")
    diary = context.new_page()
    diary.goto(f"{live_server.url}/diary/")

    network_off(context)
    play_short_session(page)
    expect(page.locator("[data-field='saved']")).to_contain_text("Kept on this device")
    expect(page.locator(WAITING).first).to_contain_text("1 entry waits to be sent")
    shot(page, "session-kept")

    fill_diary(diary, "6", "Stiff in the morning")
    diary.get_by_role("button", name="Save today").tap()
    expect(diary.locator("[data-outbox-diary-said]")).to_contain_text("will be sent when you are back online")
    fill_diary(diary, "3", "Better after the walk")  # the same day changed: the latest wins
    diary.get_by_role("button", name="Save today").tap()
    expect(diary.locator(WAITING).first).to_contain_text("3 entries wait to be sent")
    shot(diary, "diary-kept")

    diary.reload()  # still offline: the service worker's kept page, and the outbox is still there
    expect(diary.get_by_role("heading", name="Pain diary")).to_be_visible()
    expect(diary.locator(WAITING).first).to_contain_text("3 entries wait to be sent")
    assert not SessionLog.objects.exists() and not DiaryEntry.objects.exists()

    # One tab sends them all (the test database, SQLite in memory, takes one writer at a time and
    # refuses a second one at once, where a real server's waits its turn).
    page.close()
    network_on(context)
    diary.wait_for_function(EMPTIED, polling=200, timeout=15_000)
    expect(diary.locator(WAITING).first).to_be_hidden()
    log = SessionLog.objects.get(patient=alice)
    assert (log.kind, log.pain_before, log.pain_after, log.ended_early) == ("short", 4, 2, False)
    entry = DiaryEntry.objects.get(patient=alice)
    assert (entry.day, entry.leg_pain, entry.note) == (timezone.localdate(), 3, "Better after the walk")
    assert entry.idempotency_key is not None and entry.recorded_at is not None


def a_diary_body(patient: Patient, leg: int = 5) -> dict[str, Any]:
    return {
        "idempotency_key": str(uuid.uuid4()),
        "patient": str(patient.uuid),
        "day": timezone.localdate().isoformat(),
        "recorded_at": timezone.now().isoformat(),
        "danger_signs": "none",
        "leg_pain": leg,
        "back_pain": 1,
        "reach": "back",
        "sleep": "undisturbed",
        "note": "",
    }


def test_the_same_entry_sent_twice_is_stored_once(live_server: Any, phone: Any, alice: Patient) -> None:
    context: BrowserContext = phone
    first = context.new_page()
    sign_in(first, live_server.url, "alice", PASSWORD)
    first.goto(f"{live_server.url}/diary/")
    second = context.new_page()
    second.goto(f"{live_server.url}/diary/")
    body = json.dumps(a_diary_body(alice))
    network_off(context)
    first.evaluate(f"() => SciatrackOutbox.add('diary', '/api/diary', {body})")
    network_on(context)
    # Two tabs flush the same entry at the same moment.
    second.evaluate("() => { window.secondFlush = SciatrackOutbox.flush(); }")
    statuses = first.evaluate("() => SciatrackOutbox.flush().then(results => results.map(r => r.status))")
    statuses += second.evaluate("() => window.secondFlush.then(results => results.map(r => r.status))")
    # On SQLite in memory (the test database) a second writer at once is refused with a 500, and the
    # entry stays for the next flush, as the 30-second timer would send it.
    first.wait_for_function(
        "() => SciatrackOutbox.flush().then(() => (" + OUTBOX_SIZE + ")()).then(n => n === 0)",
        polling=500,
        timeout=10_000,
    )
    assert set(statuses) <= {200, 201, 500}
    assert 201 in statuses or DiaryEntry.objects.exists()
    assert DiaryEntry.objects.filter(patient=alice).count() == 1


def test_a_page_closed_mid_send_loses_nothing_and_stores_nothing_twice(
    live_server: Any, phone: Any, alice: Patient
) -> None:
    context: BrowserContext = phone
    page = context.new_page()
    sign_in(page, live_server.url, "alice", PASSWORD)
    page.goto(f"{live_server.url}/diary/")
    network_off(context)
    fill_diary(page, "7", "Sore")
    page.get_by_role("button", name="Save today").tap()
    expect(page.locator(WAITING).first).to_contain_text("1 entry waits")

    reached: list[int] = []

    def arrives_but_no_answer(route: Route) -> None:
        reached.append(route.fetch().status)  # the server stores it ...
        route.abort("connectionreset")  # ... and the answer is lost as the page dies

    context.route("**/api/diary", arrives_but_no_answer)
    network_on(context)  # the page flushes as it comes online
    for _ in range(50):
        if reached:
            break
        page.wait_for_timeout(100)
    page.close()
    assert reached == [201]
    assert DiaryEntry.objects.filter(patient=alice).count() == 1

    context.unroute("**/api/diary")
    again = context.new_page()
    again.goto(f"{live_server.url}/diary/")  # flushed on load: the same key again, answered 200
    again.wait_for_function(EMPTIED, polling=200, timeout=10_000)
    entry = DiaryEntry.objects.get(patient=alice)
    assert (entry.leg_pain, entry.note) == (7, "Sore")


def test_a_yes_to_the_danger_signs_offline_shows_the_advice_and_shuts_the_session(
    live_server: Any, phone: Any, alice: Patient
) -> None:
    context: BrowserContext = phone
    page = context.new_page()
    sign_in(page, live_server.url, "alice", PASSWORD)
    open_pages_until_kept(page, live_server.url)
    page.goto(f"{live_server.url}/session/")
    network_off(context)
    page.get_by_role("link", name="Yes, or I am not sure").tap()
    expect(page.get_by_role("heading", name="Stop exercising now")).to_be_visible()
    advice = page.locator("[data-screen='red-flag']")
    expect(advice).to_contain_text("Stop and get medical help at once")
    expect(advice).to_contain_text("A fever (38 °C or more) or shivers")  # the signs, kept in the page
    expect(advice.get_by_role("link", name="Answer the danger-sign questions")).to_be_hidden()  # offline
    shot(page, "danger-offline")
    page.reload()  # still shut after a reload, until the questions are answered
    expect(page.get_by_role("heading", name="Stop exercising now")).to_be_visible()
    expect(page.get_by_role("button", name="Start the session")).to_be_hidden()

    network_on(context)
    page.reload()
    link = page.get_by_role("link", name="Answer the danger-sign questions")
    expect(link).to_be_visible()
    with page.expect_navigation(url="**/safety/?from=session_start"):
        link.tap()
    expect(page.get_by_role("heading", name="Do you have any of these now?")).to_be_visible()
