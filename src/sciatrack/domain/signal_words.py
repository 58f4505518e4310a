"""What the progress signals say, and to whom: the one home of their words (pure, no Django).

:func:`sciatrack.domain.outcomes.signals` decides when a signal fires; this module only words it, for
each audience:

- **the person**, on their own progress page (:attr:`Signal.message`): what is happening and what to do,
  addressed to them ("Your leg pain is clearly worse ...");
- **the clinician**, in two places: a short line on the dashboard (:data:`CLINICIAN_WORDS`), and on the
  patient's page a sentence with the numbers that fired the signal, where each number comes from, and
  what the person was told to do (:func:`clinician_sentence`, read as :attr:`Signal.for_clinician_page`).

Leg pain for the clinician has one primary source, the one the signals read: **leg pain now** is the
daily diary's average over the last 7 days (from 3 ratings), or else a check taken in those days
(:func:`sciatrack.domain.outcomes.leg_pain_now`). Every leg pain change the clinician's page states names
that source (:func:`leg_pain_line`); the table of checks and the charts of the diary are labelled as such.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from sciatrack.content.danger_signs import fill_danger_signs

if TYPE_CHECKING:
    from .outcomes import LegPainNow, ReachChange, Signal

NOT_IMPROVING_WEEKS = 6  # "not improving" is looked for this long after the first check


class SignalKind(StrEnum):
    """The reasons to see a clinician that progress can show (:func:`sciatrack.domain.outcomes.signals`)."""

    GETTING_WORSE = "getting_worse"
    SPREADING = "spreading"
    NOT_IMPROVING_6_WEEKS = "not_improving_6_weeks"


# --- To the person --------------------------------------------------------------------------------------

GETTING_WORSE = (
    "Your leg pain is clearly worse than when you started. Please book an appointment with a clinician "
    "(your GP or physiotherapist) in the next few days. "
    # The danger signs in brief have one home (content/danger_signs.yaml).
    + fill_danger_signs("If you notice {danger_signs}, get medical help at once.")
)
SPREADING = (
    "Your symptoms have been reaching further down your leg over the past weeks. Please ask a clinician "
    "(your GP or physiotherapist) to check your exercises before you carry on with them."
)
NOT_IMPROVING = (
    "It has been {weeks} weeks and your leg pain has not improved enough. That is a good time to ask a "
    "clinician (your GP or physiotherapist) to review your care."
)

# --- To the clinician -----------------------------------------------------------------------------------

CLINICIAN_WORDS = {
    SignalKind.GETTING_WORSE: "Leg pain worse than at the first check",
    SignalKind.SPREADING: "Symptoms reaching further down the leg",
    SignalKind.NOT_IMPROVING_6_WEEKS: f"Not improving after {NOT_IMPROVING_WEEKS} weeks",
}
# What the person's own page told them to do, as the clinician reads it.
TOLD = {
    SignalKind.GETTING_WORSE: "The patient was told to book an appointment in the next few days.",
    SignalKind.SPREADING: "The patient was told to have their exercises checked before going on with them.",
    SignalKind.NOT_IMPROVING_6_WEEKS: "The patient was told to ask for a review of their care.",
}
REACH_WORDS = {
    "none": "no symptoms",
    "back": "the lower back",
    "buttock": "the buttock",
    "thigh": "the thigh",
    "below_knee": "below the knee",
    "foot": "the foot",
}


def day_words(day: date, today: date) -> str:
    """A short date, e.g. "6 Oct"; with the year when it is not ``today``'s."""
    return f"{day.day} {day:%b}" + ("" if day.year == today.year else f" {day.year}")


def number(value: float) -> str:
    """A rating to one decimal at most: 8.29 -> "8.3", 7.0 -> "7"."""
    return f"{round(value, 1):g}"


def source_words(now: LegPainNow, today: date) -> str:
    """Where "leg pain now" comes from, e.g. "daily diary, average of 6 ratings in the last 7 days"."""
    if now.source == "diary":
        return f"daily diary, average of {now.ratings} ratings in the last {now.days} days"
    return f"the check on {day_words(now.day, today)}"


def change_words(first: float, first_day: date, now: LegPainNow, today: date) -> str:
    """ "5 → 8.3 since the first check on 6 Oct" """
    return f"{number(first)} → {number(now.value)} since the first check on {day_words(first_day, today)}"


def leg_pain_line(first: float | None, first_day: date | None, now: LegPainNow | None, today: date) -> str:
    """Leg pain for the clinician's page of a patient, from the first check to now, its source named:

    - "Leg pain (daily diary, average of 6 ratings in the last 7 days): 5 → 8.3 since the first check on
      6 Oct."
    - "Leg pain (the check on 1 Dec): 5 → 7 since the first check on 6 Oct."
    - "Leg pain at the first check on 6 Oct: 5. Leg pain now: not known (too few diary ratings in the last
      week, and no check in that time)."
    """
    if first is None or first_day is None:
        return "Leg pain: no rating at a first check yet."
    if now is None:
        return (
            f"Leg pain at the first check on {day_words(first_day, today)}: {number(first)}. Leg pain now: "
            "not known (too few diary ratings in the last week, and no check in that time)."
        )
    return f"Leg pain ({source_words(now, today)}): {change_words(first, first_day, now, today)}."


def reach_words(reach: ReachChange, today: date) -> str:
    """ "the thigh in the first week of the diary (from 6 Oct) → the foot in the last (to 4 Dec)" """
    return (
        f"{REACH_WORDS[reach.first.value]} in the first week of the diary (from "
        f"{day_words(reach.first_from, today)}) → {REACH_WORDS[reach.last.value]} in the last week (to "
        f"{day_words(reach.last_to, today)}; each week's middle value)"
    )


def clinician_sentence(signal: Signal, today: date) -> str:
    """The signal on ``today``, for the clinician's page of the patient: the numbers that fired it, each
    with where it comes from, then what the person was told. Without numbers (a signal made by hand, say)
    it is the dashboard's line and what the person was told."""
    told = TOLD[signal.kind]
    first, first_day, now = signal.first, signal.first_day, signal.now
    if first is not None and first_day is not None and now is not None:
        change = f"{change_words(first, first_day, now, today)} ({source_words(now, today)})"
        if signal.kind is SignalKind.GETTING_WORSE:
            return f"Leg pain is clearly worse: {change}. {told}"
        if signal.kind is SignalKind.NOT_IMPROVING_6_WEEKS:
            weeks = (today - first_day).days // 7
            return f"Not improving after {weeks} weeks: leg pain {change}, not clearly better. {told}"
    if signal.kind is SignalKind.SPREADING and signal.reach is not None:
        return f"Symptoms reach further down the leg: {reach_words(signal.reach, today)}. {told}"
    return f"{CLINICIAN_WORDS[signal.kind]}. {told}"
