"""The one line of encouragement on the today screen, made from the person's own numbers (no Django).

The line has up to two short parts, in plain words:

- **leg pain** since the first check, from the first check's rating to the latest one (the same two
  readings the progress page names, :attr:`sciatrack.progress.history.Progress.first_leg_pain` and
  ``latest_leg_pain``); lower is better. Down: "Leg pain down from 6 to 4 since your first check."
  The same: "Leg pain steady at 5 since your first check." Up: "Leg pain up from 4 to 5: ups and downs
  are normal." (Leg pain clearly worse is a signal to see a clinician, which the page shows instead of
  this line: :func:`sciatrack.domain.outcomes.signals`.) Only a first rating: "Leg pain was 6 at your
  first check: the diary shows how it changes." No rating at all: no pain part.
- **sessions** done this week against the program's aim for the week (both from
  :func:`sciatrack.domain.outcomes.weekly_adherence` and ``prescribed_sessions_per_week``): none yet,
  the first, the second ... ("Third session this week."), or all of them. Without an aim (no program,
  or a program on hold) there is no session part.

With neither part there is still a line, so the screen never shows an empty space.
"""

from __future__ import annotations

from enum import StrEnum

ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
NOTHING_YET = "Small steps each day add up. Your first check is the place to start."


class PainWay(StrEnum):
    """How leg pain moved from the first check to the latest rating."""

    BETTER = "better"
    SAME = "same"
    WORSE = "worse"
    FIRST_ONLY = "first_only"  # only the first check's rating so far
    NONE = "none"  # no rating at all


def pain_way(first: float | None, latest: float | None) -> PainWay:
    """Which way leg pain (0 to 10, lower is better) went from ``first`` to ``latest``."""
    for value in (first, latest):
        if value is not None and not 0 <= value <= 10:
            raise ValueError("leg pain is a rating from 0 to 10")
    if first is None:
        return PainWay.NONE
    if latest is None:
        return PainWay.FIRST_ONLY
    if latest < first:
        return PainWay.BETTER
    if latest > first:
        return PainWay.WORSE
    return PainWay.SAME


def pain_part(first: float | None, latest: float | None) -> str:
    """The leg pain part of the line; "" without any rating."""
    way = pain_way(first, latest)
    if way is PainWay.NONE:
        return ""
    if way is PainWay.FIRST_ONLY:
        return f"Leg pain was {first:g} at your first check: the diary shows how it changes."
    if way is PainWay.BETTER:
        return f"Leg pain down from {first:g} to {latest:g} since your first check."
    if way is PainWay.WORSE:
        return f"Leg pain up from {first:g} to {latest:g}: ups and downs are normal."
    return f"Leg pain steady at {latest:g} since your first check."


def sessions_part(done: int, aim: int) -> str:
    """The sessions part of the line: ``done`` sessions this week against an ``aim`` for the week;
    "" without an aim."""
    if done < 0 or aim < 0:
        raise ValueError("sessions cannot be fewer than none")
    if aim == 0:
        return ""
    if done == 0:
        return "No session yet this week: today is a good day for one."
    if done >= aim:
        return f"All {aim} sessions done this week: great work!"
    if done == 1:
        return "First session this week: a good start."
    if done <= len(ORDINALS):
        return f"{ORDINALS[done - 1].capitalize()} session this week: keep it up."
    return f"{done} sessions this week: keep it up."


def encouragement(
    first_leg_pain: float | None, latest_leg_pain: float | None, sessions_this_week: int, weekly_aim: int
) -> str:
    """The line for the today screen, e.g. "Leg pain down from 6 to 4 since your first check. Third
    session this week: keep it up."

    ``latest_leg_pain`` is None when nothing was rated after the first check; ``weekly_aim`` is 0 when
    no session is asked for (no program, or a program on hold), which leaves the sessions out."""
    parts = [pain_part(first_leg_pain, latest_leg_pain), sessions_part(sessions_this_week, weekly_aim)]
    line = " ".join(part for part in parts if part)
    return line or NOTHING_YET
