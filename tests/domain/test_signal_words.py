"""The signals in the clinician's words: the numbers that fired each, where they come from, and what the
person was told; never the words written to the person."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.test_outcomes import BASE, R, day, diary
from sciatrack.domain.outcomes import (
    Assessment,
    DiaryEntry,
    LegPainNow,
    Signal,
    SignalKind,
    leg_pain_now,
    signals,
)
from sciatrack.domain.signal_words import clinician_sentence, leg_pain_line


def week(leg: int, today: date, days: int = 5) -> list[DiaryEntry]:
    """``days`` diary ratings of ``leg`` up to ``today``."""
    return [DiaryEntry(today - timedelta(days=n), leg_pain=leg, reach=R.THIGH) for n in range(days)]


def test_leg_pain_now_names_its_source() -> None:
    today = day(30)
    assert leg_pain_now(week(7, today), [], today) == LegPainNow(7, "diary", today, ratings=5)
    # Two diary ratings are too few: the check taken this week stands in.
    follow_up = Assessment(day(28), leg_pain=6)
    assert leg_pain_now(week(7, today, days=2), [follow_up], today) == LegPainNow(6, "check", day(28))
    assert leg_pain_now(week(7, today, days=2), [], today) is None


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (
            LegPainNow(8.29, "diary", day(30), ratings=6),
            (
                "Leg pain (daily diary, average of 6 ratings in the last 7 days): 5 → 8.3 since the first "
                "check on 12 May."
            ),
        ),
        (
            LegPainNow(7, "check", day(28)),
            "Leg pain (the check on 9 Jun): 5 → 7 since the first check on 12 May.",
        ),
        (
            None,
            (
                "Leg pain at the first check on 12 May: 5. Leg pain now: not known (too few diary ratings in "
                "the last week, and no check in that time)."
            ),
        ),
    ],
)
def test_the_leg_pain_line_gives_one_source_named(now: LegPainNow | None, expected: str) -> None:
    assert leg_pain_line(5, BASE, now, day(30)) == expected


def test_it_gives_the_year_of_a_day_in_another_year() -> None:
    line = leg_pain_line(5, BASE, LegPainNow(4, "diary", date(2026, 1, 5), ratings=3), date(2026, 1, 5))
    assert "since the first check on 12 May 2025." in line


def test_getting_worse_says_the_numbers_that_fired_it_and_their_source() -> None:
    today = day(30)
    (found,) = signals(Assessment(BASE, leg_pain=4), [], week(7, today), today)
    assert found.kind is SignalKind.GETTING_WORSE
    assert clinician_sentence(found, today) == (
        "Leg pain is clearly worse: 4 → 7 since the first check on 12 May (daily diary, average of 5 ratings "
        "in the last 7 days). The patient was told to book an appointment in the next few days."
    )


def test_not_improving_reads_a_late_check_when_the_diary_is_quiet() -> None:
    today = day(50)
    late = Assessment(day(45), leg_pain=5)
    (found,) = signals(Assessment(BASE, leg_pain=6), [late], [], today)
    assert found.kind is SignalKind.NOT_IMPROVING_6_WEEKS
    assert clinician_sentence(found, today) == (
        "Not improving after 7 weeks: leg pain 6 → 5 since the first check on 12 May (the check on 26 Jun), "
        "not clearly better. The patient was told to ask for a review of their care."
    )


def test_spreading_says_how_far_each_week_reached() -> None:
    entries = diary([R.BUTTOCK] * 3) + diary([R.FOOT] * 3, start=14)
    (found,) = signals(None, [], entries, day(20))
    assert found.kind is SignalKind.SPREADING
    assert clinician_sentence(found, day(20)) == (
        "Symptoms reach further down the leg: the buttock in the first week of the diary (from 12 May) → "
        "the foot in the last week (to 28 May; each week's middle value). The patient was told to have "
        "their exercises checked before going on with them."
    )


@pytest.mark.parametrize("kind", list(SignalKind))
def test_the_clinician_is_never_written_to_as_the_patient(kind: SignalKind) -> None:
    bare = clinician_sentence(Signal(kind, "to the person", True), day(60))
    full = clinician_sentence(
        Signal(kind, "", True, 4, BASE, LegPainNow(7, "diary", day(60), ratings=4)), day(60)
    )
    for sentence in (bare, full):
        assert "your" not in sentence.lower().split() and "you " not in sentence.lower()
        assert "to the person" not in sentence
        assert sentence.endswith(".")
