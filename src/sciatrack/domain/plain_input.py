"""What any text, number or moment must be before a rule reads it or a table keeps it (no Django).

These are not clinical rules; they keep a record readable: text a database and a page can both hold,
numbers written as plain digits, and moments inside the life of the product. Django form fields
(:mod:`sciatrack.lib.fields`), the JSON parsers of the domain and the data migration that quarantines
old rows all ask these functions, so the web, the API, the command line and the stored data agree.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

# Nothing Sciatrack records happened before the product could exist.
EARLIEST_MOMENT = datetime(2000, 1, 1, tzinfo=UTC)
# A clock a little ahead (a phone set by hand, a time zone change) is forgiven; a day is not.
FUTURE_SLACK = timedelta(days=1)
# A guided session is minutes long; a log claiming more than a day is a broken clock, not a session.
LONGEST_SESSION = timedelta(hours=24)

_ASCII_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")
_UNPAIRED_SURROGATE = re.compile("[\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as text, or None: NUL (PostgreSQL refuses it) and unpaired
    surrogates (no page can encode them) break whatever later reads the row."""
    if "\x00" in value:
        return "must not contain the NUL character"
    if _UNPAIRED_SURROGATE.search(value):
        return "must not contain unpaired surrogate characters"
    return None


def storable_text(value: str) -> str:
    """``value`` without NUL and unpaired surrogates: the only change ever made to stored free text."""
    return _UNPAIRED_SURROGATE.sub("", value.replace("\x00", ""))


def whole_number(text: str, low: int, high: int) -> int | None:
    """``text`` as a whole number from ``low`` to ``high`` when it is written in ASCII digits, else None.

    ``int()`` alone would read "٣٠" as 30 and fail on "²"; only 0-9 count here.
    """
    stripped = text.strip()
    if not _ASCII_WHOLE_NUMBER.fullmatch(stripped):
        return None
    number = int(stripped)
    return number if low <= number <= high else None


def moment_problem(moment: datetime, now: datetime) -> str | None:
    """Why ``moment`` (aware) cannot be a recorded time, or None."""
    if moment < EARLIEST_MOMENT:
        return f"must not be before {EARLIEST_MOMENT:%Y-%m-%d}"
    if moment > now + FUTURE_SLACK:
        return "must not be more than a day in the future"
    return None
