"""The signals as the clinician's dashboard reads them: in the clinician's words, and from only the diary
days :func:`sciatrack.domain.outcomes.signal_diary_days` names, with the same result as the whole diary
(the person's progress page reads the whole diary)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.test_outcomes import BASE, R, day, diary, kinds
from sciatrack.domain.outcomes import (
    Assessment,
    DiaryEntry,
    Signal,
    SignalKind,
    SymptomReach,
    signal_diary_days,
    signals,
)


def test_it_has_words_for_the_clinician_for_every_signal() -> None:
    found = signals(Assessment(BASE, leg_pain=4), [Assessment(day(44), leg_pain=7)], [], day(45))
    assert found[0].for_clinician == "Leg pain worse than at the first check"
    worded = [Signal(kind, "", True).for_clinician for kind in SignalKind]
    assert all(worded) and len(set(worded)) == len(worded)


def kept_for_fetching(entries: list[DiaryEntry], today: date) -> list[DiaryEntry]:
    """The entries on the days :func:`signal_diary_days` names, as the dashboard fetches them."""
    up_to_today = [entry for entry in entries if entry.day <= today]
    if not up_to_today:
        return []
    spans = signal_diary_days(up_to_today[0].day, up_to_today[-1].day)
    return [entry for entry in up_to_today if any(start <= entry.day <= end for start, end in spans)]


@pytest.mark.parametrize(
    ("entries", "today", "expected"),
    [
        # The first week's third entry is on its last day (6): without it there is no trend.
        (
            diary([R.BUTTOCK, R.BUTTOCK]) + diary([R.BUTTOCK], start=6) + diary([R.FOOT] * 3, start=14),
            30,
            [SignalKind.SPREADING],
        ),
        # The last week's third entry is on its first day (last entry 20, so day 14).
        (
            diary([R.BUTTOCK] * 3) + diary([R.FOOT], start=14) + diary([R.FOOT] * 2, start=19),
            25,
            [SignalKind.SPREADING],
        ),
        # This week's third rating is on its first day (today - 6): without it, no "leg pain now".
        (
            diary([R.THIGH], leg=7, start=24) + diary([R.THIGH] * 2, leg=7, start=29),
            30,
            [SignalKind.GETTING_WORSE],
        ),
    ],
)
def test_the_signals_need_each_edge_of_the_days_named_for_fetching(
    entries: list[DiaryEntry], today: int, expected: list[SignalKind]
) -> None:
    baseline = Assessment(BASE, leg_pain=4)
    found = signals(baseline, [], entries, day(today))
    assert kinds(found) == expected
    assert signals(baseline, [], kept_for_fetching(entries, day(today)), day(today)) == found


@given(
    start=st.integers(0, 20),
    days=st.lists(
        st.none() | st.tuples(st.integers(0, 10), st.sampled_from(list(SymptomReach))), max_size=45
    ),
    first_leg=st.none() | st.integers(0, 10),
    checks=st.lists(st.tuples(st.integers(1, 70), st.integers(0, 10)), max_size=3),
    today=st.integers(0, 75),
)
def test_the_signals_read_no_diary_day_outside_the_days_named_for_fetching(
    start: int,
    days: list[tuple[int, SymptomReach] | None],
    first_leg: int | None,
    checks: list[tuple[int, int]],
    today: int,
) -> None:
    """The dashboard fetches only the days :func:`signal_diary_days` names; the signals must not change."""
    entries = [
        DiaryEntry(day(start + n), leg_pain=entry[0], reach=entry[1])
        for n, entry in enumerate(days)
        if entry is not None  # a day without an entry
    ]
    baseline = Assessment(BASE, leg_pain=first_leg)
    follow_ups = [Assessment(day(n), leg_pain=leg) for n, leg in checks]
    kept = kept_for_fetching(entries, day(today))
    assert signals(baseline, follow_ups, kept, day(today)) == signals(
        baseline, follow_ups, entries, day(today)
    )
