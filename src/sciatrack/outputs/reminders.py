"""Exercise reminders as an iCalendar (.ics) file a person can import into any calendar app.

Each exercise gets one daily-repeating event (``RRULE:FREQ=DAILY;COUNT=days``) per time of day it is
due. The times come from the dosage's frequency and the person's waking hours: reminders fall in the
window from 30 minutes after waking to 30 minutes before sleep.

- ``every_waking_hour``: at the start of the window and then every hour until its end;
- ``times_per_day`` N: N times evenly spread over the window (once a day is at the start of the window,
  i.e. 30 minutes after waking).

Without a time zone the times are "floating": 07:30 means 07:30 wherever the person's device is, which
is what a reminder to exercise should do. With a time zone name the events carry that zone.
Output is deterministic for the same arguments (DTSTAMP is the start date), so UIDs and files are stable.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Alarm, Calendar, Event

from sciatrack.content.schema import Dosage, Frequency
from sciatrack.domain.programs import Program, ProgramExercise

DEFAULT_DAYS = 28
MAX_DAYS = 366
MARGIN = timedelta(minutes=30)  # first reminder after waking, last one before sleep
MIN_AWAKE = timedelta(hours=1)
EVENT_LENGTH = timedelta(minutes=10)
UID_DOMAIN = "sciatrack.app"
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class ReminderError(ValueError):
    """A bad reminder setting; ``field`` names it (``wake``, ``sleep``, ``days``, ``tz``, ``frequency``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def parse_clock(field: str, value: str) -> time:
    """``HH:MM`` on the 24-hour clock (00:00 to 23:59) as a time; ReminderError naming ``field`` if not."""
    match = _CLOCK.match(value.strip())
    if match is None:
        raise ReminderError(
            field, f"{value!r} is not a time; give HH:MM on the 24-hour clock, 00:00 to 23:59"
        )
    return time(int(match.group(1)), int(match.group(2)))


def parse_days(value: str | int) -> int:
    """A whole number of days from 1 to 366; ReminderError naming ``days`` if not."""
    try:
        days = int(str(value).strip())
    except ValueError:
        raise ReminderError("days", f"{value!r} is not a whole number; give 1 to {MAX_DAYS}") from None
    check_days(days)
    return days


def check_days(days: int) -> None:
    if not 1 <= days <= MAX_DAYS:
        raise ReminderError("days", f"{days} is out of range; give a whole number from 1 to {MAX_DAYS}")


def check_waking_hours(wake: time, sleep: time) -> None:
    """Wake must come at least an hour before sleep on the same day (no overnight waking hours)."""
    awake = _minutes(sleep) - _minutes(wake)
    if awake <= 0:
        raise ReminderError("wake", f"{wake:%H:%M} is not before sleep {sleep:%H:%M}; wake must be earlier")
    if timedelta(minutes=awake) < MIN_AWAKE:
        raise ReminderError("sleep", f"{sleep:%H:%M} must be at least 1 hour after wake {wake:%H:%M}")


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _clock(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def reminder_times(dosage: Dosage, wake: time, sleep: time) -> tuple[time, ...]:
    """The times of day ``dosage`` is due, for the given waking hours (see the module docstring)."""
    check_waking_hours(wake, sleep)
    first = _minutes(wake) + MARGIN.seconds // 60
    last = _minutes(sleep) - MARGIN.seconds // 60
    if dosage.frequency is Frequency.EVERY_WAKING_HOUR:
        return tuple(_clock(minute) for minute in range(first, last + 1, 60))
    if dosage.frequency is Frequency.TIMES_PER_DAY:
        count = dosage.times_per_day or 1
        if count == 1:
            return (_clock(first),)
        step = (last - first) / (count - 1)
        return tuple(_clock(round(first + index * step)) for index in range(count))
    known = ", ".join(item.value for item in Frequency)
    raise ReminderError("frequency", f"{dosage.frequency!r} has no reminder schedule; known: {known}")


def check_tz(tz: str | None) -> ZoneInfo | None:
    """The zone named ``tz`` (None for floating times); ReminderError naming ``tz`` if unknown."""
    if tz is None:
        return None
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        message = f"{tz!r} is not a known time zone name, e.g. Europe/Berlin or UTC"
        raise ReminderError("tz", message) from None


def _description(exercise: ProgramExercise) -> str:
    dose = exercise.dosage_text[:1].upper() + exercise.dosage_text[1:]
    return "\n".join([f"{dose}.", "", "Stop rules:", *(f"- {rule}" for rule in exercise.stop_rules)])


def exercise_events(
    exercise: ProgramExercise, wake: time, sleep: time, start: date, days: int, zone: ZoneInfo | None
) -> list[Event]:
    """One daily-repeating event, with a display alarm, per time of day ``exercise`` is due."""
    events = []
    stamp = datetime.combine(start, time(0), tzinfo=UTC)
    for moment in reminder_times(exercise.dosage, wake, sleep):
        event = Event()
        event.add("uid", f"{exercise.id}-{start:%Y%m%d}-{moment:%H%M}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("summary", f"Exercise: {exercise.name}")
        event.add("description", _description(exercise))
        event.add("dtstart", datetime.combine(start, moment, tzinfo=zone))
        event.add("duration", EVENT_LENGTH)
        event.add("rrule", {"freq": "daily", "count": days})
        event.add("categories", ["Sciatrack"])
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Time for {exercise.name}: {exercise.dosage_text}")
        alarm.add("trigger", timedelta(0))
        event.add_component(alarm)
        events.append(event)
    return events


def build_reminders(
    program: Program,
    wake: time,
    sleep: time,
    start: date,
    days: int = DEFAULT_DAYS,
    tz: str | None = None,
) -> bytes:
    """The .ics calendar of reminders for every exercise of ``program``, for ``days`` days from ``start``.

    Raises :class:`ReminderError` (a ValueError naming the field) when wake is not at least an hour
    before sleep, ``days`` is not 1 to 366, ``tz`` is unknown or an exercise has a frequency with no
    schedule.
    """
    check_days(days)
    check_waking_hours(wake, sleep)
    zone = check_tz(tz)
    calendar = Calendar()
    calendar.add("prodid", "-//Sciatrack//Exercise reminders//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Sciatrack exercises")
    for exercise in program.exercises:
        for event in exercise_events(exercise, wake, sleep, start, days, zone):
            calendar.add_component(event)
    if zone is not None and tz != "UTC":
        calendar.add_missing_timezones()
    ical: bytes = calendar.to_ical()
    return ical


def parse_settings(wake: str, sleep: str, days: str | int) -> tuple[time, time, int, Sequence[ReminderError]]:
    """Parse the three form values, collecting every problem (the parsed values are only meaningful
    when the problem list is empty)."""
    problems: list[ReminderError] = []
    parsed_wake, parsed_sleep, parsed_days = time(7), time(22), DEFAULT_DAYS
    try:
        parsed_wake = parse_clock("wake", wake)
    except ReminderError as error:
        problems.append(error)
    try:
        parsed_sleep = parse_clock("sleep", sleep)
    except ReminderError as error:
        problems.append(error)
    try:
        parsed_days = parse_days(days)
    except ReminderError as error:
        problems.append(error)
    if not {"wake", "sleep"} & {problem.field for problem in problems}:
        try:
            check_waking_hours(parsed_wake, parsed_sleep)
        except ReminderError as error:
            problems.append(error)
    return parsed_wake, parsed_sleep, parsed_days, problems
