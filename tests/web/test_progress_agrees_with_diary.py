"""The progress page reads the same latest leg pain as the diary just saved, and says where it came from."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from api.as_browser import browser
from sciatrack.accounts.models import Patient
from sciatrack.care.models import Intake
from web.test_progress import check

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")
NINE = datetime(2026, 6, 25, 9, 0, tzinfo=UTC)
NOON = datetime(2026, 6, 25, 12, 0, tzinfo=UTC)
EVENING = datetime(2026, 6, 25, 18, 0, tzinfo=UTC)


@pytest.fixture
def alice_browser(alice: Patient) -> Client:
    assert alice.user is not None
    return browser(alice.user)


def save_diary(client: Client, leg_pain: int) -> None:
    """Fill in today's diary as a person does: open the page, then send its form with its token."""
    page = client.get("/diary/").content.decode()
    token = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[0]
    answers: dict[str, Any] = {
        "csrfmiddlewaretoken": token,
        "danger_signs": "none",
        "leg_pain": str(leg_pain),
        "back_pain": "3",
        "reach": "thigh",
        "sleep": "woke_once",
        "note": "",
    }
    response = client.post("/diary/", answers)
    assert response.status_code == 302, response.content.decode()
    assert "Saved for today" in client.get(response["Location"]).content.decode()


def summary(page: str) -> str:
    found = re.search(r'<p class="progress__summary">(.*?)</p>', page, re.DOTALL)
    assert found is not None
    return " ".join(found.group(1).split())


def first_check_this_morning(patient: Patient, leg: int = 7) -> Intake:
    intake = check(patient, NINE.date(), leg=leg, back=4, sbi=18)
    Intake.objects.filter(pk=intake.pk).update(created=NINE)
    return intake


def test_a_diary_day_saved_after_the_first_check_is_the_latest_reading(
    alice: Patient, alice_browser: Client
) -> None:
    first_check_this_morning(alice)
    with time_machine.travel(NOON, tick=False):
        page = alice_browser.get("/progress/").content.decode()
        assert summary(page) == (
            "Leg pain 7 at the first check (today); no diary entry or check since then yet."
        )
        save_diary(alice_browser, leg_pain=5)
        page = alice_browser.get("/progress/").content.decode()
    assert summary(page) == "Leg pain down from 7 (first check, today) to 5 (diary, today)."
    assert "no diary entry" not in page and "since then yet" not in page
    assert "Leg pain was 5 on 25 Jun." in page  # the diary chart says the same number
    # The table of checks says where its numbers come from, so its "No check yet" is no contradiction.
    assert "These numbers come from your checks only." in page
    assert "No check yet" in page

    with time_machine.travel(EVENING, tick=False):
        save_diary(alice_browser, leg_pain=4)  # changed later the same day: the newer value wins
        page = alice_browser.get("/progress/").content.decode()
    assert summary(page) == "Leg pain down from 7 (first check, today) to 4 (diary, today)."


def test_a_check_saved_after_the_diary_is_the_latest_reading(alice: Patient, alice_browser: Client) -> None:
    first_check_this_morning(alice)
    with time_machine.travel(NOON, tick=False):
        save_diary(alice_browser, leg_pain=5)
    later = check(alice, EVENING.date(), leg=6, back=4, sbi=16)
    Intake.objects.filter(pk=later.pk).update(created=EVENING)
    with time_machine.travel(EVENING, tick=False):
        page = alice_browser.get("/progress/").content.decode()
    assert summary(page) == "Leg pain down from 7 (first check, today) to 6 (check, today)."


@pytest.mark.parametrize(
    ("leg_pain", "recovered"),
    [(1, True), (3, False)],
)
def test_it_judges_recovered_on_the_number_it_shows(
    alice: Patient, alice_browser: Client, leg_pain: int, recovered: bool
) -> None:
    first_check_this_morning(alice)
    with time_machine.travel(NOON, tick=False):
        save_diary(alice_browser, leg_pain=leg_pain)
        page = alice_browser.get("/progress/").content.decode()
    assert f"to {leg_pain} (diary, today)." in summary(page)
    assert ("That counts as recovered" in page) is recovered
