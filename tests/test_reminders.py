"""Exercise reminders as iCalendar: the .ics, ``/program/reminders.ics`` and ``sciatrack reminders``.

One or two reminders a day at the times the person picks, each with the day's exercises and their doses in
words, never one per dose (the McKenzie press-up's "every waking hour" once rang 15 times a day or more).
Every calendar is read back with the icalendar library.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime, time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from icalendar import Calendar, Event

from api.as_browser import browser
from sciatrack.accounts.models import Patient
from sciatrack.content.dosage_text import describe_frequency
from sciatrack.content.loader import load_common_stop_rules
from sciatrack.domain.intake import parse_intake
from sciatrack.domain.programs import Program, ProgramExercise, build_program
from sciatrack.outputs.reminders import (
    DEFAULT_DAYS,
    ReminderError,
    build_reminders,
    parse_clock,
    parse_settings,
)
from sciatrack.program.programs import create_program
from web.test_program import make_intake, vignette

SCIATRACK = str(Path(sys.executable).with_name("sciatrack"))
START = date(2026, 11, 25)
ONCE_A_DAY = "hamstring-ball-release"  # the only exercise of the disc-pattern program done once a day


def program_of(name: str) -> Program:
    program = build_program(parse_intake(vignette(name)))
    assert program is not None
    return program


def events(ics: bytes) -> list[Event]:
    return list(Calendar.from_ical(ics).walk("VEVENT"))


def start_time(event: Event) -> time:
    start = event.decoded("dtstart")
    assert isinstance(start, datetime)
    return start.time()


def exercise(program: Program, exercise_id: str) -> ProgramExercise:
    return next(item for item in program.exercises if item.id == exercise_id)


def dose_line(item: ProgramExercise) -> str:
    return f"- {item.name}: {item.dosage_text}"


@pytest.fixture(scope="module")
def program() -> Program:
    return program_of("disc-pattern-self-care")


def test_one_time_gives_one_daily_reminder_with_every_exercise_and_its_dose(program: Program) -> None:
    (event,) = events(build_reminders(program, [time(7, 45)], START, days=10))
    assert start_time(event) == time(7, 45) and event.decoded("dtstart").date() == START
    assert event["rrule"]["FREQ"] == ["DAILY"] and event["rrule"]["COUNT"] == [10]
    description = str(event["description"])
    assert [line for line in description.splitlines() if line.startswith("- ")] == [
        dose_line(item) for item in program.exercises
    ]
    alarms = event.walk("VALARM")
    assert len(alarms) == 1 and str(alarms[0]["action"]) == "DISPLAY"


def test_the_every_waking_hour_dose_is_one_reminder_that_says_the_dose_in_words(program: Program) -> None:
    mckenzie = exercise(program, "mckenzie-extension")
    ics = build_reminders(program, [time(8)], START, days=28)
    (event,) = events(ics)
    description = str(event["description"])
    assert f"{mckenzie.name}: {mckenzie.dosage_text}" in description
    assert describe_frequency(mckenzie.dosage) in description  # the dose in words, from dosage_text.py
    assert ics.count(b"BEGIN:VEVENT") == 1  # not one per waking hour


def test_two_times_give_two_daily_reminders_the_later_a_second_round(program: Program) -> None:
    first, second = events(build_reminders(program, [time(19, 30), time(8, 15)], START, days=5))
    assert (start_time(first), start_time(second)) == (time(8, 15), time(19, 30))  # earliest first
    assert all(event["rrule"]["FREQ"] == ["DAILY"] for event in (first, second))
    assert str(first["summary"]) == "Time for your back exercises"
    assert str(second["summary"]) == "Time for your back exercises: second round"
    again = [line for line in str(second["description"]).splitlines() if line.startswith("- ")]
    assert again == [dose_line(item) for item in program.exercises if item.id != ONCE_A_DAY]
    assert dose_line(exercise(program, "mckenzie-extension")) in again


def test_a_program_of_once_a_day_exercises_lists_them_all_again_in_the_second(program: Program) -> None:
    once = replace(program, exercises=(exercise(program, ONCE_A_DAY),))
    _, second = events(build_reminders(once, [time(8), time(18)], START, days=5))
    description = str(second["description"])
    assert description.startswith("Your exercises are once a day. If you have not done them yet")
    assert dose_line(exercise(program, ONCE_A_DAY)) in description


def test_each_reminder_carries_the_stop_rules_and_the_session_link(program: Program) -> None:
    link = "https://sciatrack.example/session/"
    rules = load_common_stop_rules()
    for event in events(build_reminders(program, [time(8), time(18)], START, link=link)):
        description = str(event["description"])
        assert rules.spreading in description and rules.danger_sign in description
        assert link in description and str(event["url"]) == link


def test_the_reminders_run_for_the_program_s_twelve_weeks_by_default(program: Program) -> None:
    assert DEFAULT_DAYS == 84
    ics = build_reminders(program, [time(8), time(18)], START)
    assert [event["rrule"]["COUNT"] for event in events(ics)] == [[84], [84]]


def test_it_gives_unique_uids_that_stay_the_same(program: Program) -> None:
    first = build_reminders(program, [time(7), time(21)], START, days=28)
    uids = [str(event["uid"]) for event in events(first)]
    assert uids == ["exercises-20261125-0700@sciatrack.app", "exercises-20261125-2100@sciatrack.app"]
    assert build_reminders(program, [time(7), time(21)], START, days=28) == first


def test_times_float_unless_a_time_zone_is_given(program: Program) -> None:
    (floating,) = events(build_reminders(program, [time(8)], START, days=2))
    assert "TZID" not in floating["dtstart"].params and floating.decoded("dtstart").tzinfo is None
    calendar = Calendar.from_ical(build_reminders(program, [time(8)], START, days=2, tz="Europe/Berlin"))
    assert [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert all(event["dtstart"].params["TZID"] == "Europe/Berlin" for event in calendar.walk("VEVENT"))


@pytest.mark.parametrize(
    ("times", "days", "field", "allowed"),
    [
        ([], 28, "first", "give the time of your first reminder"),
        ([time(8), time(8)], 28, "second", "08:00 is the same as the first time"),
        ([time(8), time(12), time(18)], 28, "second", "at most 2 reminder times"),
        ([time(8)], 0, "days", "from 1 to 366"),
        ([time(8)], 367, "days", "from 1 to 366"),
    ],
)
def test_it_rejects_bad_settings_naming_the_field(
    program: Program, times: list[time], days: int, field: str, allowed: str
) -> None:
    with pytest.raises(ReminderError, match=rf"^{field}: .*{allowed}") as caught:
        build_reminders(program, times, START, days)
    assert caught.value.field == field


def test_it_rejects_an_unknown_time_zone(program: Program) -> None:
    with pytest.raises(ReminderError, match=r"^tz: 'Mars/Olympus' is not a known time zone"):
        build_reminders(program, [time(8)], START, 5, tz="Mars/Olympus")


NOT_CLOCKS = ["24:00", "7am", "07:60", "\u0660\u0667:\u0660\u0660", "07:0\u0660", "", "7", "07:00:00"]


@pytest.mark.parametrize("text", NOT_CLOCKS)
def test_a_clock_is_hh_mm_in_the_digits_0_to_9(text: str) -> None:
    with pytest.raises(ReminderError, match=r"^second: .* is not a time; give HH:MM"):
        parse_clock("second", text)
    assert parse_clock("second", " 7:05 ") == time(7, 5)


def test_the_settings_read_an_empty_second_as_one_reminder() -> None:
    assert parse_settings("07:00", "", "3") == ((time(7),), 3, [])
    assert parse_settings("18:00", "07:00", None) == ((time(7), time(18)), DEFAULT_DAYS, [])
    _, _, problems = parse_settings("7am", "07:00", "400")
    assert [problem.field for problem in problems] == ["first", "days"]


# /program/reminders.ics -----------------------------------------------------------------------------


class FormReader(HTMLParser):
    """The reminders form of a page: its method and action, and each input as the browser sends it."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.form: dict[str, str] = {}
        self.inputs: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form" and values.get("id") == "reminders":
            self.inside, self.form = True, values
        elif tag == "input" and self.inside:
            self.inputs.append(values)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def reminders_form(page: str) -> FormReader:
    reader = FormReader()
    reader.feed(page)
    return reader


@pytest.fixture
def cleo() -> Client:
    user = User.objects.create_user("cleo", password="a long test password")
    make_intake(Patient.objects.create(user=user, display_name="Cleo"), "disc-pattern-self-care")
    return browser(user)


@pytest.mark.django_db
def test_the_program_page_offers_two_time_fields_the_second_optional(cleo: Client) -> None:
    form = reminders_form(cleo.get("/program/").content.decode())
    assert form.form["method"] == "get" and form.form["action"] == "/program/reminders.ics"
    assert [(field["name"], field["type"], field["value"]) for field in form.inputs] == [
        ("first", "time", "08:00"),
        ("second", "time", "18:00"),
    ]
    assert ["required" in field for field in form.inputs] == [True, False]
    assert all("max-width: 12rem" in field["style"] for field in form.inputs)  # not cut off on a phone


@pytest.mark.django_db
def test_the_form_as_the_page_sends_it_downloads_two_reminders(cleo: Client) -> None:
    form = reminders_form(cleo.get("/program/").content.decode())
    sent = {field["name"]: field["value"] for field in form.inputs}
    response = cleo.get(form.form["action"], sent)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == 'attachment; filename="sciatrack-reminders.ics"'
    found = events(response.content)
    assert [start_time(event) for event in found] == [time(8), time(18)]
    assert [event["rrule"]["COUNT"] for event in found] == [[DEFAULT_DAYS], [DEFAULT_DAYS]]
    assert str(found[0]["url"]) == "http://testserver/session/"
    assert "McKenzie press-up on the elbows: 10 times" in str(found[0]["description"])


@pytest.mark.django_db
def test_a_cleared_second_field_gives_one_reminder_at_the_time_chosen(cleo: Client) -> None:
    response = cleo.get("/program/reminders.ics", {"first": "06:40", "second": "", "days": "14"})
    assert response.status_code == 200
    (event,) = events(response.content)
    assert start_time(event) == time(6, 40) and event["rrule"]["COUNT"] == [14]
    assert "TZID" not in event["dtstart"].params  # the device's own time


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"first": "25:00"}, "first", "First reminder:</strong> &#x27;25:00&#x27; is not a time; give HH:MM"),
        ({"second": "late"}, "second", "Second reminder:</strong> &#x27;late&#x27; is not a time"),
        (
            {"first": "08:00", "second": "08:00"},
            "second",
            "Second reminder:</strong> 08:00 is the same as the first time; pick another time",
        ),
        ({"days": "0"}, "days", "Days:</strong> 0 is out of range; give a whole number from 1 to 366"),
        ({"days": "two"}, "days", "Days:</strong> &#x27;two&#x27; is not a whole number; give 1 to 366"),
    ],
)
def test_it_answers_400_naming_the_bad_field(cleo: Client, query: dict, field: str, message: str) -> None:
    response = cleo.get("/program/reminders.ics", query)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    form = reminders_form(page)  # the form again, as sent, to put it right
    invalid = [item["name"] for item in form.inputs if item.get("aria-invalid") == "true"]
    assert invalid == ([field] if field != "days" else [])
    assert f'href="#field-{field}"' in page or field == "days"


@pytest.mark.django_db
def test_it_has_no_reminders_without_a_program(client: Client) -> None:
    response = client.get("/program/reminders.ics")
    assert response.status_code == 404
    assert "Start with the safety check" in response.content.decode()


@pytest.mark.django_db
def test_a_program_with_no_exercise_left_has_nothing_to_remind_of() -> None:
    user = User.objects.create_user("dora", password="a long test password")
    record = create_program(
        make_intake(Patient.objects.create(user=user, display_name="Dora"), "disc-pattern-self-care")
    )
    assert record is not None
    record.exercises = []
    record.save()
    response = browser(user).get("/program/reminders.ics", {"first": "08:00"})
    assert response.status_code == 404
    assert "No reminders for now" in response.content.decode()


# sciatrack reminders ---------------------------------------------------------------------------------


def reminders(tmp_path: Path, name: str, *args: str) -> subprocess.CompletedProcess[str]:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(vignette(name)))
    command = [SCIATRACK, "reminders", "--answers", str(answers), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def test_it_writes_the_calendar_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "mine.ics"
    times = ("--first", "07:00", "--second", "19:00")
    args = ("--out", str(out), *times, "--days", "7", "--start", "2026-11-25")
    result = reminders(tmp_path, "stenosis-pattern-no-extension", *args)
    assert result.returncode == 0, result.stderr
    found = events(out.read_bytes())
    assert [start_time(event) for event in found] == [time(7), time(19)]
    assert all(event["rrule"]["COUNT"] == [7] for event in found)
    assert "McKenzie" not in out.read_text()  # left out of this program
    assert "Hip holds: 5 times, hold 10 seconds, 3 times a day" in str(found[0]["description"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--out", "mine.txt", "--first", "07:00"), "--out: "),
        (("--out", "mine.ics", "--first", "7am"), "--first: '7am' is not a time"),
        (("--out", "mine.ics", "--first", "07:00", "--second", "07:00"), "--second: 07:00 is the same"),
        (("--out", "mine.ics", "--first", "07:00", "--days", "400"), "--days: 400"),
    ],
)
def test_it_rejects_bad_arguments_and_writes_nothing(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    args = tuple(str(tmp_path / arg) if arg.startswith("mine.") else arg for arg in args)
    result = reminders(tmp_path, "disc-pattern-self-care", *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert {path.name for path in tmp_path.iterdir()} == {"answers.json"}
