"""The latest leg pain reading and the sentence that names where each number comes from."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sciatrack.domain.readings import Reading, Source, latest_reading, leg_pain_sentence

DAY = date(2026, 5, 12)
UTC = ZoneInfo("UTC")


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


FIRST = Reading(DAY, 7, Source.FIRST_CHECK, at(DAY, 9))


def test_the_latest_reading_is_the_one_saved_last_wherever_it_comes_from() -> None:
    diary_same_day = Reading(DAY, 5, Source.DIARY, at(DAY, 12))
    assert latest_reading([FIRST, diary_same_day]) == diary_same_day
    check_later = Reading(DAY, 6, Source.CHECK, at(DAY, 18))
    assert latest_reading([check_later, FIRST, diary_same_day]) == check_later
    older_day_saved_late = Reading(DAY - timedelta(days=1), 2, Source.DIARY, at(DAY, 23))
    assert latest_reading([FIRST, older_day_saved_late]) == FIRST  # the day comes first
    assert latest_reading([]) is None


def test_it_names_the_source_and_day_of_each_number() -> None:
    today = DAY + timedelta(days=40)
    diary = Reading(today, 3, Source.DIARY, at(today, 8))
    assert (
        leg_pain_sentence(FIRST, diary, today)
        == "Leg pain down from 7 (first check, 12 May) to 3 (diary, today)."
    )
    check = Reading(DAY + timedelta(days=14), 8, Source.CHECK, at(DAY, 9))
    assert (
        leg_pain_sentence(FIRST, check, today)
        == "Leg pain up from 7 (first check, 12 May) to 8 (check, 26 May)."
    )
    same = Reading(today, 7, Source.DIARY, at(today, 8))
    assert (
        leg_pain_sentence(FIRST, same, today)
        == "Leg pain unchanged at 7 (first check, 12 May; diary, today)."
    )
    assert leg_pain_sentence(FIRST, diary, date(2027, 1, 5)).startswith(
        "Leg pain down from 7 (first check, 12 May 2026)"
    )


def test_it_says_when_nothing_came_after_the_first_check() -> None:
    assert leg_pain_sentence(FIRST, FIRST, DAY) == (
        "Leg pain 7 at the first check (today); no diary entry or check since then yet."
    )
    assert leg_pain_sentence(FIRST, None, DAY + timedelta(days=1)).startswith(
        "Leg pain 7 at the first check (12 May)"
    )
    assert leg_pain_sentence(None, None, DAY) == "Leg pain: no starting score yet."
