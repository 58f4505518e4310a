"""The pain diary at ``/diary/``: one entry a day, changeable that day; bad answers change nothing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from sciatrack.accounts.models import Patient
from sciatrack.care.models import DiaryEntry

pytestmark = pytest.mark.django_db

MORNING = datetime(2026, 5, 12, 8, 0, tzinfo=ZoneInfo("UTC"))


def answers(**changes: Any) -> dict[str, Any]:
    data = {
        "danger_signs": "none",
        "leg_pain": "6",
        "back_pain": "3",
        "reach": "below_knee",
        "sleep": "woke_once",
        "note": "",
    }
    data.update(changes)
    return data


def test_it_sends_a_visitor_to_sign_in_first(client: Client) -> None:
    response = client.get("/diary/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/diary/"


@time_machine.travel(MORNING, tick=False)
def test_it_saves_todays_entry_and_shows_it_filled_in(alice_client: Client, alice: Patient) -> None:
    response = alice_client.post("/diary/", answers(note="Walked to the shop"))
    assert response.status_code == 302
    entry = DiaryEntry.objects.get(patient=alice)
    assert (entry.day, entry.leg_pain, entry.back_pain) == (date(2026, 5, 12), 6, 3)
    assert (entry.reach, entry.sleep, entry.note) == ("below_knee", "woke_once", "Walked to the shop")

    page = alice_client.get(response["Location"]).content.decode()
    assert "Saved for today" in page
    assert 'id="leg_pain-6" value="6" checked' in page
    assert 'id="reach-below_knee" value="below_knee" checked' in page
    assert "Update today" in page
    assert "Below my knee, into the calf" in page  # in the two-week table


@time_machine.travel(MORNING, tick=False)
def test_it_changes_todays_entry_instead_of_adding_a_second(alice_client: Client, alice: Patient) -> None:
    alice_client.post("/diary/", answers())
    alice_client.post("/diary/", answers(leg_pain="4", reach="thigh"))
    entry = DiaryEntry.objects.get(patient=alice)
    assert (entry.leg_pain, entry.reach) == (4, "thigh")


def test_it_starts_a_new_entry_the_next_day_and_keeps_yesterdays(
    alice_client: Client, alice: Patient
) -> None:
    with time_machine.travel(MORNING, tick=False):
        alice_client.post("/diary/", answers(leg_pain="7"))
    with time_machine.travel(datetime(2026, 5, 13, 8, 0, tzinfo=ZoneInfo("UTC")), tick=False):
        page = alice_client.get("/diary/").content.decode()
        assert "Save today" in page and 'value="7" checked' not in page
        alice_client.post("/diary/", answers(leg_pain="5"))
    days = {entry.day: entry.leg_pain for entry in DiaryEntry.objects.filter(patient=alice)}
    assert days == {date(2026, 5, 12): 7, date(2026, 5, 13): 5}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"leg_pain": "11"}, "leg_pain", "choose a number from 0 to 10"),
        ({"danger_signs": ""}, "danger_signs", "say whether you have any of the danger signs now"),
        ({"danger_signs": "maybe"}, "danger_signs", "choose one of: none, some"),
        ({"back_pain": ""}, "back_pain", "choose a number from 0 to 10"),
        ({"reach": "knee"}, "reach", "choose one of: none, back, buttock, thigh, below_knee, foot"),
        ({"sleep": ""}, "sleep", "choose how you slept"),
        ({"note": "x" * 501}, "note", "keep the note to 500 characters (it has 501)"),
    ],
)
def test_it_names_the_field_and_what_is_allowed_and_saves_nothing(
    alice_client: Client, changes: dict[str, str], field: str, message: str
) -> None:
    response = alice_client.post("/diary/", answers(**changes))
    assert response.status_code == 422
    page = response.content.decode()
    assert f'href="#field-{field}"' in page
    assert message in page
    assert "Nothing was changed" in page
    assert not DiaryEntry.objects.exists()


def test_it_explains_when_the_account_has_no_patient_record(client: Client) -> None:
    client.force_login(User.objects.create_user("clinic-staff", password="a long test password"))
    response = client.get("/diary/")
    assert response.status_code == 200
    assert "belongs to a patient account" in response.content.decode()


def test_it_links_the_diary_from_the_home_page_once_signed_in(alice_client: Client) -> None:
    assert 'href="/diary/"' in alice_client.get("/").content.decode()
