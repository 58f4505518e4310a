"""A dosage in plain words, e.g. "10 times, hold 2 to 3 seconds, every waking hour".

Also the one home of the mark on a dose that is the project's own (``dosage_source: project``): the web
program page, the PDF handout and ``sciatrack program`` all ask :func:`project_dose_mark` and
:func:`project_dose_note`. A dose taken from the source gets no mark.
"""

from __future__ import annotations

from .schema import Dosage, DosageSource, Frequency, SecondsRange

PROJECT_DOSE_MARK = "Sciatrack's starting dose"
PROJECT_DOSE_WHY = "The source article gives no dosage for this exercise"

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


def project_dose_mark(dosage: Dosage) -> str:
    """The short mark of a dose that is the project's own, or "" for a dose taken from the source."""
    return PROJECT_DOSE_MARK if dosage.dosage_source is DosageSource.PROJECT else ""


def project_dose_why(dosage: Dosage) -> str:
    """Why a project dose is marked, or "" for a dose taken from the source."""
    return PROJECT_DOSE_WHY if dosage.dosage_source is DosageSource.PROJECT else ""


def project_dose_note(dosage: Dosage) -> str:
    """The mark and its reason as one line for print and text, or "" for a dose taken from the source.

    E.g. "Sciatrack's starting dose: the source article gives no dosage for this exercise."
    """
    if dosage.dosage_source is not DosageSource.PROJECT:
        return ""
    return f"{PROJECT_DOSE_MARK}: {PROJECT_DOSE_WHY[:1].lower()}{PROJECT_DOSE_WHY[1:]}."
