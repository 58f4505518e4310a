"""Which reminder times fall due at a moment, on the person's own wall clock (no Django).

A slot is a (local date, time) pair. It falls due at that time on that day in the person's time zone,
and stays due for ``GRACE`` after, so a sender that runs every minute, or missed a few minutes, still
finds it once (the delivery's unique row then keeps it to once). A quiet day has no slots.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

GRACE = timedelta(minutes=60)


def zone_or_none(name: str) -> ZoneInfo | None:
    """The IANA time zone called ``name`` (e.g. ``Pacific/Auckland``), or None when there is none."""
    if not name or name != name.strip() or ".." in name or name.startswith("/"):
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def slots_due(
    times: Iterable[time], zone: ZoneInfo, quiet_weekdays: frozenset[int], now: datetime
) -> list[tuple[date, time]]:
    """The (local date, time) slots due at ``now`` (aware): begun, less than ``GRACE`` ago, not quiet."""
    today = now.astimezone(zone).date()
    due = []
    for day in (today - timedelta(days=1), today):  # a late-evening slot stays due past midnight
        if day.weekday() in quiet_weekdays:
            continue
        for at in times:
            start = datetime.combine(day, at, tzinfo=zone)
            if start <= now < start + GRACE:
                due.append((day, at))
    return due
