"""When the baseline measures are asked again: at 2, 6 and 12 weeks, each with a window (no Django).

Everything here works on calendar dates, never on datetimes: a follow-up is due on the same weekday 2, 6 or
12 weeks after the baseline whatever the clocks did in between, so a daylight-saving change can never move
a due date or make one look a day late. :func:`local_today` turns "now" into the date on the person's wall
clock, which is the only place a time zone matters.

Choices (the sources give none, so they are ours):

- the window of a follow-up runs from ``WINDOW_DAYS`` (7) days before its due date to 7 days after it;
  weeks 2, 6 and 12 give windows of days 7 to 21, 35 to 49 and 77 to 91, which never overlap;
- an answer given after the window still counts, late, until the next follow-up's window opens (for the
  last one, until ``LAST_LATE_DAYS`` (28) days after its due date); after that the follow-up is *missed*;
- an answer before a window opens (say on day 3) counts for nothing; of two answers that fall to the same
  follow-up, the first one is the one that counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

FOLLOW_UP_WEEKS = (2, 6, 12)
WINDOW_DAYS = 7
LAST_LATE_DAYS = 28


class FollowUpStatus(StrEnum):
    UPCOMING = "upcoming"  # its window has not opened yet
    DUE = "due"  # inside its window and not answered
    OVERDUE = "overdue"  # past its window, not answered, and a late answer still counts
    MISSED = "missed"  # too late: the next follow-up's window has opened (or the last one lapsed)
    DONE = "done"


@dataclass(frozen=True)
class FollowUpDue:
    week: int
    due_date: date
    window_start: date
    window_end: date
    late_until: date  # the last day a late answer still counts
    status: FollowUpStatus
    done_on: date | None = None


def local_today(zone: str | ZoneInfo, now: datetime | None = None) -> date:
    """The date on the wall clock in ``zone`` (e.g. ``"Europe/London"``) at ``now`` (default: the
    current time). ``now`` may be naive only if it is UTC."""
    tz = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
    moment = now if now is not None else datetime.now(tz)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(tz).date()


def _frames(baseline_date: date) -> list[tuple[int, date, date, date, date]]:
    """(week, due date, window start, window end, late until) for each follow-up."""
    frames = []
    for index, week in enumerate(FOLLOW_UP_WEEKS):
        due = baseline_date + timedelta(weeks=week)
        if index + 1 < len(FOLLOW_UP_WEEKS):
            next_due = baseline_date + timedelta(weeks=FOLLOW_UP_WEEKS[index + 1])
            late_until = next_due - timedelta(days=WINDOW_DAYS + 1)
        else:
            late_until = due + timedelta(days=LAST_LATE_DAYS)
        window = timedelta(days=WINDOW_DAYS)
        frames.append((week, due, due - window, due + window, late_until))
    return frames


def follow_up_week_for(baseline_date: date, day: date) -> int | None:
    """The follow-up (its week) that an answer given on ``day`` counts for, or None when ``day`` is
    outside every window and late period (before the first window, or after the last one lapsed)."""
    for week, _, start, _, late_until in _frames(baseline_date):
        if start <= day <= late_until:
            return week
    return None


def follow_up_schedule(baseline_date: date, today: date, completed: Iterable[date] = ()) -> list[FollowUpDue]:
    """Every follow-up with its due date, window and status on ``today``; ``completed`` holds the dates
    of the follow-ups answered so far, in any order (each is matched by :func:`follow_up_week_for`)."""
    done: dict[int, date] = {}
    for day in sorted(completed):
        week = follow_up_week_for(baseline_date, day)
        if week is not None and day <= today:
            done.setdefault(week, day)
    schedule = []
    for week, due, start, end, late_until in _frames(baseline_date):
        if week in done:
            status = FollowUpStatus.DONE
        elif today < start:
            status = FollowUpStatus.UPCOMING
        elif today <= end:
            status = FollowUpStatus.DUE
        elif today <= late_until:
            status = FollowUpStatus.OVERDUE
        else:
            status = FollowUpStatus.MISSED
        schedule.append(FollowUpDue(week, due, start, end, late_until, status, done.get(week)))
    return schedule


def next_follow_up(schedule: Iterable[FollowUpDue]) -> FollowUpDue | None:
    """The follow-up to ask for now or next: an overdue or due one first, else the next upcoming one;
    None when all are done or missed."""
    waiting = [f for f in schedule if f.status in (FollowUpStatus.OVERDUE, FollowUpStatus.DUE)]
    waiting = waiting or [f for f in schedule if f.status is FollowUpStatus.UPCOMING]
    return min(waiting, key=lambda f: f.due_date, default=None)
