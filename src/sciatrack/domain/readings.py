"""Leg pain now, as one value that every line of the progress page reads (pure logic, no Django).

A person rates leg pain at each check (the first check is the start) and in the pain diary. The
*latest reading* is the one saved last, wherever it came from: a diary entry saved after a check on the
same day is newer than that check. The summary line names where each number comes from, so it agrees
with the diary just saved and with the table of checks ("Leg pain down from 7 (first check, 12 May) to
5 (diary, today)."), and "recovered" is judged on that same number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class Source(StrEnum):
    """Where a reading was written down, in the words the summary uses."""

    FIRST_CHECK = "first check"
    CHECK = "check"
    DIARY = "diary"


@dataclass(frozen=True)
class Reading:
    """One leg pain rating (0 to 10), the day it is for, where it was written and when it was saved."""

    day: date
    value: float
    source: Source
    saved: datetime


def latest_reading(readings: Iterable[Reading]) -> Reading | None:
    """The reading saved last (by its day, then the moment it was saved), or None without any."""
    return max(readings, key=lambda reading: (reading.day, reading.saved), default=None)


def _when(day: date, today: date) -> str:
    if day == today:
        return "today"
    return f"{day.day} {day:%B}" + ("" if day.year == today.year else f" {day.year}")


def _where(reading: Reading, today: date) -> str:
    return f"{reading.source.value}, {_when(reading.day, today)}"


def leg_pain_sentence(first: Reading | None, latest: Reading | None, today: date) -> str:
    """One plain sentence from the first check to the latest reading, each with its source and day:

    - "Leg pain down from 7 (first check, 12 May) to 3 (diary, today)."
    - "Leg pain unchanged at 5 (first check, 12 May; check, 9 June)."
    - "Leg pain 7 at the first check (today); no diary entry or check since then yet."
    """
    if first is None:
        return "Leg pain: no starting score yet."
    if latest is None or latest == first:
        return (
            f"Leg pain {first.value:g} at the first check ({_when(first.day, today)}); "
            "no diary entry or check since then yet."
        )
    if latest.value == first.value:
        return f"Leg pain unchanged at {latest.value:g} ({_where(first, today)}; {_where(latest, today)})."
    way = "down" if latest.value < first.value else "up"
    return (
        f"Leg pain {way} from {first.value:g} ({_where(first, today)}) "
        f"to {latest.value:g} ({_where(latest, today)})."
    )
