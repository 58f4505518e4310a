"""Exercise reminders as an iCalendar (.ics) file a person can import into any calendar app.

One or two reminders a day, at the times the person picks, never one per dose: a dose of "every waking
hour" would otherwise ring 15 times a day or more. Each reminder is one event that repeats daily
(``RRULE:FREQ=DAILY;COUNT=days``) with a display alarm, and its text says what to do:

- the earlier reminder (the only one, when there is one) lists every exercise of the program with its
  dose in words, e.g. "McKenzie press-up on the elbows: 10 times, hold 2 to 3 seconds, every waking hour";
- the later one lists again the exercises due more than once a day (twice a day, 3 times a day, every
  waking hour), as a second round.

The dose words are the program's own (``ProgramExercise.dosage_text``, written once by
:mod:`sciatrack.content.dosage_text`); the stop rules every exercise shares come from ``stop_rules.yaml``.
By default the reminders run for 12 weeks, up to the last follow-up check
(:mod:`sciatrack.domain.follow_ups`).

Without a time zone the times are "floating": 08:00 means 08:00 wherever the person's device is, which
is what a reminder to exercise should do. With a time zone name the events carry that zone.
Output is deterministic for the same arguments (DTSTAMP is the start date), so UIDs and files are stable.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Alarm, Calendar, Event

from sciatrack.content.loader import load_common_stop_rules
from sciatrack.content.schema import Frequency
from sciatrack.domain.follow_ups import FOLLOW_UP_WEEKS
from sciatrack.domain.plain_input import whole_number
from sciatrack.domain.programs import Program, ProgramExercise

DEFAULT_DAYS = FOLLOW_UP_WEEKS[-1] * 7  # 12 weeks: up to the last follow-up check
MAX_DAYS = 366
MAX_TIMES = 2
EVENT_LENGTH = timedelta(minutes=15)
UID_DOMAIN = "sciatrack.app"
_CLOCK = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")  # ASCII digits only, never other scripts'

TITLE = "Time for your back exercises"
SECOND_TITLE = "Time for your back exercises: second round"
TODAY = "What to do today:"
AGAIN = "Do these again now:"
ONCE_ONLY = "Your exercises are once a day. If you have not done them yet, do them now:"
START_HERE = "Start a guided session here:"


class ReminderError(ValueError):
    """A bad reminder setting; ``field`` names it (``first``, ``second``, ``days``, ``tz``, ``start``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def parse_clock(field: str, value: str) -> time:
    """``HH:MM`` on the 24-hour clock (00:00 to 23:59) as a time; ReminderError naming ``field`` if not.

    Only the digits 0-9 count: ``\\d`` and ``int`` would also read other scripts' digits as numbers.
    """
    match = _CLOCK.fullmatch(value.strip())
    if match is None:
        raise ReminderError(
            field, f"{value!r} is not a time; give HH:MM on the 24-hour clock, 00:00 to 23:59"
        )
    return time(int(match.group(1)), int(match.group(2)))


def parse_days(value: str | int) -> int:
    """A whole number of days from 1 to 366; ReminderError naming ``days`` if not."""
    days = whole_number(str(value), 0, 10**9 - 1)  # any size of number, so a big one hears its range
    if days is None:
        raise ReminderError("days", f"{value!r} is not a whole number; give 1 to {MAX_DAYS}")
    check_days(days)
    return days


def check_days(days: int) -> None:
    if not 1 <= days <= MAX_DAYS:
        raise ReminderError("days", f"{days} is out of range; give a whole number from 1 to {MAX_DAYS}")


def check_times(times: Sequence[time]) -> tuple[time, ...]:
    """One or two different times of day, earliest first; ReminderError naming the field if not."""
    if not times:
        raise ReminderError("first", "give the time of your first reminder, as HH:MM")
    if len(times) > MAX_TIMES:
        raise ReminderError("second", f"give at most {MAX_TIMES} reminder times a day")
    if len(times) == MAX_TIMES and times[0] == times[1]:
        raise ReminderError("second", f"{times[1]:%H:%M} is the same as the first time; pick another time")
    return tuple(sorted(times))


def check_tz(tz: str | None) -> ZoneInfo | None:
    """The zone named ``tz`` (None for floating times); ReminderError naming ``tz`` if unknown."""
    if tz is None:
        return None
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        message = f"{tz!r} is not a known time zone name, e.g. Europe/Berlin or UTC"
        raise ReminderError("tz", message) from None


def more_than_once_a_day(exercise: ProgramExercise) -> bool:
    """Whether the exercise's dose asks for it more than once a day."""
    dosage = exercise.dosage
    return dosage.frequency is Frequency.EVERY_WAKING_HOUR or (dosage.times_per_day or 1) > 1


def _line(exercise: ProgramExercise) -> str:
    return f"- {exercise.name}: {exercise.dosage_text}"


def reminder_text(program: Program, second_round: bool, link: str | None = None) -> str:
    """What one reminder says: the exercises to do, each with its dose in words, and the stop rules.

    The first reminder of the day (``second_round`` False) lists every exercise; the second lists those
    due more than once a day, or every exercise again when each is once a day.
    """
    exercises = list(program.exercises)
    heading = TODAY
    if second_round:
        again = [exercise for exercise in exercises if more_than_once_a_day(exercise)]
        heading, exercises = (AGAIN, again) if again else (ONCE_ONLY, exercises)
    rules = load_common_stop_rules()
    stops = [rules.new_leg_pain, rules.spreading, rules.numbness_or_weakness_worse, rules.danger_sign]
    lines = [heading, *(_line(exercise) for exercise in exercises), ""]
    if link is not None:
        lines += [START_HERE, link, ""]
    return "\n".join([*lines, *stops])


def reminder_events(
    program: Program,
    times: Sequence[time],
    start: date,
    days: int,
    zone: ZoneInfo | None,
    link: str | None = None,
) -> list[Event]:
    """One daily-repeating event with a display alarm per time of day (``times``, checked: one or two)."""
    events = []
    stamp = datetime.combine(start, time(0), tzinfo=UTC)
    for index, moment in enumerate(check_times(times)):
        title = SECOND_TITLE if index else TITLE
        event = Event()
        event.add("uid", f"exercises-{start:%Y%m%d}-{moment:%H%M}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("summary", title)
        event.add("description", reminder_text(program, second_round=index > 0, link=link))
        event.add("dtstart", datetime.combine(start, moment, tzinfo=zone))
        event.add("duration", EVENT_LENGTH)
        event.add("rrule", {"freq": "daily", "count": days})
        event.add("categories", ["Sciatrack"])
        if link is not None:
            event.add("url", link)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", title)
        alarm.add("trigger", timedelta(0))
        event.add_component(alarm)
        events.append(event)
    return events


def build_reminders(
    program: Program,
    times: Sequence[time],
    start: date,
    days: int = DEFAULT_DAYS,
    tz: str | None = None,
    link: str | None = None,
) -> bytes:
    """The .ics calendar of one or two daily reminders (``times``) for ``days`` days from ``start``.

    ``link``, when given, is the address of the guided session, put in each reminder.
    Raises :class:`ReminderError` (a ValueError naming the field) when there is no time or more than
    two, the two times are the same, ``days`` is not 1 to 366 or ``tz`` is unknown.
    """
    check_days(days)
    zone = check_tz(tz)
    calendar = Calendar()
    calendar.add("prodid", "-//Sciatrack//Exercise reminders//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Sciatrack exercises")
    for event in reminder_events(program, times, start, days, zone, link):
        calendar.add_component(event)
    if zone is not None and tz != "UTC":
        calendar.add_missing_timezones()
    ical: bytes = calendar.to_ical()
    return ical


def parse_settings(
    first: str, second: str | None, days: str | int | None
) -> tuple[tuple[time, ...], int, Sequence[ReminderError]]:
    """Parse the command line's values (an empty or missing ``second`` means one reminder, a missing
    ``days`` 12 weeks), collecting every problem; the parsed values are only meaningful when the problem
    list is empty."""
    problems: list[ReminderError] = []
    times: list[time] = []
    parsed_days = DEFAULT_DAYS
    for field, value in (("first", first), ("second", second)):
        if field == "second" and not (value or "").strip():
            continue
        try:
            times.append(parse_clock(field, value or ""))
        except ReminderError as error:
            problems.append(error)
    try:
        parsed_days = DEFAULT_DAYS if days is None else parse_days(days)
    except ReminderError as error:
        problems.append(error)
    if not {"first", "second"} & {problem.field for problem in problems}:
        try:
            return check_times(times), parsed_days, problems
        except ReminderError as error:
            problems.append(error)
    return tuple(times), parsed_days, problems
