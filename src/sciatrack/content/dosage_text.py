"""A dosage in plain words, e.g. "10 times, hold 2 to 3 seconds, every waking hour"."""

from __future__ import annotations

from .schema import Dosage, Frequency, SecondsRange

_TIMES_A_DAY = {1: "once a day", 2: "twice a day"}


def _range(low: int, high: int, unit: str) -> str:
    amount = str(low) if low == high else f"{low} to {high}"
    return f"{amount} {unit}{'' if high == 1 else 's'}"


def describe_seconds(span: SecondsRange) -> str:
    """Seconds in words, as whole minutes when both ends are whole minutes."""
    if span.min % 60 == 0 and span.max % 60 == 0:
        return _range(span.min // 60, span.max // 60, "minute")
    return _range(span.min, span.max, "second")


def describe_frequency(dosage: Dosage) -> str:
    """How often, e.g. "every waking hour" or "twice a day"."""
    if dosage.frequency is Frequency.EVERY_WAKING_HOUR:
        return "every waking hour"
    count = dosage.times_per_day or 1
    return _TIMES_A_DAY.get(count, f"{count} times a day")


def describe_dosage(dosage: Dosage) -> str:
    """The whole dosage as one short phrase a person can follow."""
    parts: list[str] = []
    side = " on each side" if dosage.per_side else ""
    if dosage.reps is not None:
        parts.append(f"{dosage.reps} {'time' if dosage.reps == 1 else 'times'}{side}")
        side = ""
    if dosage.hold_seconds is not None:
        parts.append(f"hold {describe_seconds(dosage.hold_seconds)}")
    if dosage.duration_seconds is not None:
        parts.append(f"{describe_seconds(dosage.duration_seconds)}{side}")
    if dosage.reposition_every_seconds is not None:
        parts.append(f"move to a new spot every {dosage.reposition_every_seconds} seconds")
    parts.append(describe_frequency(dosage))
    return ", ".join(parts)
