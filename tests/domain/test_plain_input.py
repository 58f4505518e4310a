"""The input rules every door shares: storable text, ASCII whole numbers, moments in a sane window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sciatrack.domain.plain_input import (
    EARLIEST_MOMENT,
    FUTURE_SLACK,
    moment_problem,
    storable_text,
    text_problem,
    whole_number,
)


@pytest.mark.parametrize("text", ["", "plain", "Schmerz", "痛み", "emoji 🦵"])
def test_ordinary_text_is_storable(text: str) -> None:
    assert text_problem(text) is None
    assert storable_text(text) == text


@pytest.mark.parametrize(
    ("text", "named"), [("a\x00b", "NUL"), ("a\udfffb", "surrogate"), ("\ud800", "surrogate")]
)
def test_text_that_would_break_a_page_or_a_database_is_named(text: str, named: str) -> None:
    problem = text_problem(text)
    assert problem is not None and named in problem
    assert storable_text(text) == text.replace("\x00", "").replace("\udfff", "").replace("\ud800", "")
    assert text_problem(storable_text(text)) is None


@pytest.mark.parametrize(("text", "number"), [("0", 0), ("7", 7), (" 10 ", 10), ("007", 7)])
def test_ascii_digits_in_range_are_numbers(text: str, number: int) -> None:
    assert whole_number(text, 0, 10) == number


@pytest.mark.parametrize("text", ["²", "①", "٣", "٣٠", "1.5", "-1", "+3", "11", "", "1e3", "9" * 5000])
def test_anything_else_is_not_a_number(text: str) -> None:
    assert whole_number(text, 0, 10) is None


def test_moments_must_fall_inside_the_life_of_the_product() -> None:
    now = datetime(2026, 12, 4, 12, tzinfo=UTC)
    assert moment_problem(now, now) is None
    assert moment_problem(EARLIEST_MOMENT, now) is None
    assert moment_problem(now + FUTURE_SLACK, now) is None
    assert moment_problem(EARLIEST_MOMENT - timedelta(seconds=1), now) is not None
    assert moment_problem(now + FUTURE_SLACK + timedelta(seconds=1), now) is not None
