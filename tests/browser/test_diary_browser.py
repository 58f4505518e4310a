"""The daily check-in on a phone: reachable from home, quick to fill, readable, and passes axe."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from browser.signing_in import sign_in
from browser.test_session_browser import PASSWORD, audit
from sciatrack.accounts.models import Patient
from sciatrack.care.models import DiaryEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_takes_todays_check_in_from_the_home_page(live_server, phone_page: Page) -> None:
    user = User.objects.create_user("alice", password=PASSWORD)
    patient = Patient.objects.create(user=user, display_name="Alice")
    page = phone_page
    sign_in(page, live_server.url, "alice", PASSWORD)

    with page.expect_navigation():
        page.get_by_role("link", name="Today's pain diary").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pain diary")
    audit(page, "diary-empty")

    page.get_by_role("group", name="Leg pain today").get_by_text("5", exact=True).tap()
    with page.expect_navigation():
        page.get_by_role("button", name="Save today").tap()
    expect(page.get_by_role("alert")).to_contain_text("Back pain")  # the answers still missing
    expect(page.get_by_role("alert")).to_contain_text("Nothing was changed")
    assert not DiaryEntry.objects.exists()

    page.get_by_text("None of these now").tap()
    page.get_by_role("group", name="Back pain today").get_by_text("2", exact=True).tap()
    page.get_by_text("Down to my thigh, above the knee").tap()
    page.get_by_text("Pain did not wake me").tap()
    page.get_by_label("Anything else?").fill("Better after the walk")
    with page.expect_navigation():
        page.get_by_role("button", name="Save today").tap()
    expect(page.get_by_role("status")).to_contain_text("Saved for today")
    audit(page, "diary-saved")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the diary scrolls sideways on a phone ({width} px)"

    entry = DiaryEntry.objects.get(patient=patient)
    assert (entry.leg_pain, entry.back_pain, entry.reach, entry.sleep) == (5, 2, "thigh", "undisturbed")
    assert entry.note == "Better after the walk"


def test_it_reaches_the_account_page_from_the_header(live_server, phone_page: Page) -> None:
    user = User.objects.create_user("alice", password=PASSWORD)
    Patient.objects.create(user=user, display_name="Alice")
    page = phone_page
    sign_in(page, live_server.url, "alice", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("link", name="My account: signed in as Alice").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    expect(page.get_by_role("button", name="Delete my account and all my data")).to_be_visible()
    audit(page, "account")
