"""Exercise reminders as iCalendar: the .ics, ``/program/reminders.ics`` and ``sciatrack reminders``."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import date, datetime, time
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from icalendar import Calendar, Event

from sciatrack.accounts.models import Patient
from sciatrack.content.loader import load_exercises
from sciatrack.content.schema import Dosage
from sciatrack.domain.intake import parse_intake
from sciatrack.domain.programs import Program, build_program
from sciatrack.outputs.reminders import ReminderError, build_reminders, reminder_times
from web.test_program import make_intake, vignette

SCIATRACK = str(Path(sys.executable).with_name("sciatrack"))
START = date(2026, 11, 25)
# every_waking_hour: 07:30 to 21:30 is 15 reminders; times_per_day N: N reminders.
EXPECTED_PER_DAY = {
    "hamstring-ball-release": 1,
    "mckenzie-extension": 15,
    "lift-off": 2,
    "hip-holds": 3,
    "heel-slides": 2,
    "glute-activation": 2,
    "hip-flexor-activation": 2,
}


def program_of(name: str) -> Program:
    program = build_program(parse_intake(vignette(name)))
    assert program is not None
    return program


def events(ics: bytes) -> list[Event]:
    return list(Calendar.from_ical(ics).walk("VEVENT"))


def exercise_of(event: Event) -> str:
    return str(event["uid"]).split("-2026")[0]


def occurrences(ics: bytes) -> Counter[str]:
    """Reminders per exercise over the whole period: each event times its RRULE COUNT."""
    counts: Counter[str] = Counter()
    for event in events(ics):
        counts[exercise_of(event)] += event["rrule"]["COUNT"][0]
    return counts


@pytest.fixture(scope="module")
def program() -> Program:
    return program_of("disc-pattern-self-care")


def test_it_gives_each_exercise_its_reminders_per_day(program: Program) -> None:
    ics = build_reminders(program, time(7), time(22), START, days=10)
    per_event = Counter(exercise_of(event) for event in events(ics))
    assert dict(per_event) == EXPECTED_PER_DAY
    assert dict(occurrences(ics)) == {key: count * 10 for key, count in EXPECTED_PER_DAY.items()}
    assert all(event["rrule"]["FREQ"] == ["DAILY"] for event in events(ics))


def test_it_keeps_every_reminder_within_waking_hours(program: Program) -> None:
    ics = build_reminders(program, time(6, 15), time(20, 45), START, days=3)
    starts = [event.decoded("dtstart") for event in events(ics)]
    assert starts and all(isinstance(start, datetime) and start.date() == START for start in starts)
    assert all(time(6, 15) < start.time() < time(20, 45) for start in starts)
    assert min(start.time() for start in starts) == time(6, 45)
    hip_holds = sorted(e.decoded("dtstart").time() for e in events(ics) if exercise_of(e) == "hip-holds")
    assert hip_holds == [time(6, 45), time(13, 30), time(20, 15)]  # evenly spread


def test_it_names_the_exercise_dosage_and_stop_rule_and_sets_an_alarm(program: Program) -> None:
    by_id = {exercise.id: exercise for exercise in program.exercises}
    for event in events(build_reminders(program, time(7), time(22), START, days=2)):
        exercise = by_id[exercise_of(event)]
        assert str(event["summary"]) == f"Exercise: {exercise.name}"
        description = str(event["description"])
        assert exercise.dosage_text[1:] in description
        assert exercise.stop_rules[0] in description
        alarms = event.walk("VALARM")
        assert len(alarms) == 1 and str(alarms[0]["action"]) == "DISPLAY"


def test_it_gives_unique_uids_that_stay_the_same(program: Program) -> None:
    first = build_reminders(program, time(7), time(22), START, days=28)
    uids = [str(event["uid"]) for event in events(first)]
    assert len(uids) == len(set(uids)) == sum(EXPECTED_PER_DAY.values())
    assert all(uid.endswith("@sciatrack.app") for uid in uids)
    assert "mckenzie-extension-20261125-0730@sciatrack.app" in uids
    assert build_reminders(program, time(7), time(22), START, days=28) == first


def test_it_uses_a_named_time_zone_when_given(program: Program) -> None:
    ics = build_reminders(program, time(7), time(22), START, days=2, tz="Europe/Berlin")
    calendar = Calendar.from_ical(ics)
    assert [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert all(event["dtstart"].params["TZID"] == "Europe/Berlin" for event in calendar.walk("VEVENT"))


def test_it_schedules_every_frequency_in_the_library() -> None:
    for exercise in load_exercises().values():
        assert reminder_times(exercise.dosage, time(7), time(22))


def test_it_rejects_a_frequency_it_has_no_schedule_for() -> None:
    dosage = Dosage.model_construct(reps=5, frequency="weekly", times_per_day=None)
    with pytest.raises(ValueError, match=r"^frequency: 'weekly' has no reminder schedule"):
        reminder_times(dosage, time(7), time(22))


@pytest.mark.parametrize(
    ("wake", "sleep", "days", "field", "allowed"),
    [
        (time(22), time(7), 28, "wake", "wake must be earlier"),
        (time(7), time(7), 28, "wake", "wake must be earlier"),
        (time(7), time(7, 30), 28, "sleep", "at least 1 hour after wake"),
        (time(7), time(22), 0, "days", "from 1 to 366"),
        (time(7), time(22), 367, "days", "from 1 to 366"),
    ],
)
def test_it_rejects_bad_settings_naming_the_field(
    program: Program, wake: time, sleep: time, days: int, field: str, allowed: str
) -> None:
    with pytest.raises(ReminderError, match=rf"^{field}: .*{allowed}") as caught:
        build_reminders(program, wake, sleep, START, days)
    assert caught.value.field == field


def test_it_rejects_an_unknown_time_zone(program: Program) -> None:
    with pytest.raises(ReminderError, match=r"^tz: 'Mars/Olympus' is not a known time zone"):
        build_reminders(program, time(7), time(22), START, 5, tz="Mars/Olympus")


# /program/reminders.ics -----------------------------------------------------------------------------


@pytest.fixture
def cleo_client(client: Client) -> Client:
    user = User.objects.create_user("cleo", password="a long test password")
    make_intake(Patient.objects.create(user=user, display_name="Cleo"), "disc-pattern-self-care")
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_it_downloads_the_calendar_from_the_web(cleo_client: Client) -> None:
    response = cleo_client.get("/program/reminders.ics", {"wake": "08:00", "sleep": "23:00", "days": "14"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == 'attachment; filename="sciatrack-reminders.ics"'
    counts = occurrences(response.content)
    assert counts["hip-holds"] == 3 * 14 and counts["mckenzie-extension"] == 15 * 14


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"wake": "25:00"}, "Wake:</strong> &#x27;25:00&#x27; is not a time; give HH:MM"),
        ({"sleep": "late"}, "Sleep:</strong> &#x27;late&#x27; is not a time"),
        ({"wake": "22:00", "sleep": "07:00"}, "Wake:</strong> 22:00 is not before sleep 07:00"),
        ({"days": "0"}, "Days:</strong> 0 is out of range; give a whole number from 1 to 366"),
        ({"days": "two"}, "Days:</strong> &#x27;two&#x27; is not a whole number; give 1 to 366"),
    ],
)
def test_it_answers_400_naming_the_bad_field(cleo_client: Client, query: dict, message: str) -> None:
    response = cleo_client.get("/program/reminders.ics", query)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.django_db
def test_it_offers_the_reminder_form_on_the_program_page(cleo_client: Client) -> None:
    page = cleo_client.get("/program/").content.decode()
    assert 'action="/program/reminders.ics"' in page
    for name in ("wake", "sleep", "days"):
        assert f'name="{name}"' in page


@pytest.mark.django_db
def test_it_has_no_reminders_without_a_program(client: Client) -> None:
    response = client.get("/program/reminders.ics")
    assert response.status_code == 404
    assert "Start with the safety check" in response.content.decode()


# sciatrack reminders ---------------------------------------------------------------------------------


def reminders(tmp_path: Path, name: str, *args: str) -> subprocess.CompletedProcess[str]:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(vignette(name)))
    command = [SCIATRACK, "reminders", "--answers", str(answers), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def test_it_writes_the_calendar_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "mine.ics"
    args = ("--out", str(out), "--wake", "07:00", "--sleep", "22:00", "--days", "7", "--start", "2026-11-25")
    result = reminders(tmp_path, "stenosis-pattern-no-extension", *args)
    assert result.returncode == 0, result.stderr
    counts = occurrences(out.read_bytes())
    assert "mckenzie-extension" not in counts  # left out of this program
    assert counts["hip-holds"] == 21


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--out", "mine.txt", "--wake", "07:00", "--sleep", "22:00"), "--out: "),
        (("--out", "mine.ics", "--wake", "7am", "--sleep", "22:00"), "--wake: '7am' is not a time"),
        (("--out", "mine.ics", "--wake", "07:00", "--sleep", "06:00"), "--wake: 07:00 is not before sleep"),
        (("--out", "mine.ics", "--wake", "07:00", "--sleep", "22:00", "--days", "400"), "--days: 400"),
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
