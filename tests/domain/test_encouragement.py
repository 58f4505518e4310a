"""The today screen's line of encouragement: one rule, from the person's own leg pain and sessions."""

from __future__ import annotations

import pytest

from sciatrack.domain.encouragement import (
    NOTHING_YET,
    PainWay,
    encouragement,
    pain_part,
    pain_way,
    sessions_part,
)

AIM = 14


@pytest.mark.parametrize(
    ("first", "latest", "way"),
    [
        (6, 4, PainWay.BETTER),
        (6, 5.5, PainWay.BETTER),
        (5, 5, PainWay.SAME),
        (0, 0, PainWay.SAME),
        (4, 5, PainWay.WORSE),
        (6, None, PainWay.FIRST_ONLY),
        (None, None, PainWay.NONE),
        (None, 3, PainWay.NONE),  # a later rating means nothing without a start to compare with
    ],
)
def test_it_tells_which_way_leg_pain_went(first: float | None, latest: float | None, way: PainWay) -> None:
    assert pain_way(first, latest) is way


@pytest.mark.parametrize(("first", "latest"), [(11, 4), (6, -1), (-0.5, None)])
def test_it_refuses_a_rating_off_the_scale(first: float | None, latest: float | None) -> None:
    with pytest.raises(ValueError, match="0 to 10"):
        pain_way(first, latest)


def test_improving_gives_both_numbers() -> None:
    assert pain_part(6, 4) == "Leg pain down from 6 to 4 since your first check."
    assert pain_part(7.5, 3) == "Leg pain down from 7.5 to 3 since your first check."


def test_the_same_says_steady() -> None:
    assert pain_part(5, 5) == "Leg pain steady at 5 since your first check."


def test_worse_says_ups_and_downs_are_normal() -> None:
    assert pain_part(4, 5) == "Leg pain up from 4 to 5: ups and downs are normal."


def test_a_first_rating_only_points_to_the_diary() -> None:
    assert pain_part(6, None) == "Leg pain was 6 at your first check: the diary shows how it changes."


def test_no_rating_gives_no_pain_part() -> None:
    assert pain_part(None, None) == ""


@pytest.mark.parametrize(
    ("done", "words"),
    [
        (0, "No session yet this week: today is a good day for one."),
        (1, "First session this week: a good start."),
        (2, "Second session this week: keep it up."),
        (3, "Third session this week: keep it up."),
        (4, "Fourth session this week: keep it up."),
        (10, "Tenth session this week: keep it up."),
        (11, "11 sessions this week: keep it up."),
        (13, "13 sessions this week: keep it up."),
        (14, "All 14 sessions done this week: great work!"),
        (15, "All 14 sessions done this week: great work!"),
    ],
)
def test_it_counts_this_weeks_sessions_against_the_aim(done: int, words: str) -> None:
    assert sessions_part(done, AIM) == words


def test_a_small_aim_is_reached_sooner() -> None:
    assert sessions_part(2, 2) == "All 2 sessions done this week: great work!"
    assert sessions_part(1, 2) == "First session this week: a good start."


def test_no_aim_gives_no_sessions_part() -> None:
    assert sessions_part(0, 0) == ""
    assert sessions_part(3, 0) == ""


def test_it_refuses_fewer_than_no_sessions() -> None:
    with pytest.raises(ValueError, match="fewer than none"):
        sessions_part(-1, AIM)
    with pytest.raises(ValueError, match="fewer than none"):
        sessions_part(1, -7)


def test_the_line_joins_pain_and_sessions() -> None:
    assert encouragement(6, 4, 3, AIM) == (
        "Leg pain down from 6 to 4 since your first check. Third session this week: keep it up."
    )
    assert encouragement(5, 5, 0, AIM) == (
        "Leg pain steady at 5 since your first check. No session yet this week: today is a good day for one."
    )
    assert encouragement(4, 5, 1, AIM) == (
        "Leg pain up from 4 to 5: ups and downs are normal. First session this week: a good start."
    )


def test_the_line_keeps_what_it_has() -> None:
    assert encouragement(None, None, 2, AIM) == "Second session this week: keep it up."
    assert encouragement(6, 4, 5, 0) == "Leg pain down from 6 to 4 since your first check."


def test_with_no_data_yet_there_is_still_a_line() -> None:
    assert encouragement(None, None, 0, 0) == NOTHING_YET
    assert NOTHING_YET
