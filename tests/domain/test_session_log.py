"""Validating the log of a session: every bad field named, nothing half-accepted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sciatrack.domain.plain_input import EARLIEST_MOMENT, FUTURE_SLACK, LONGEST_SESSION
from sciatrack.domain.session_log import (
    ExerciseStatus,
    SessionKind,
    SessionLogError,
    SymptomMovement,
    parse_session_log,
    session_log_to_json,
)

KEY = "5b0f0c2e-6a0a-4f55-9d0e-0b6d6f1f7f11"


def log(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "idempotency_key": KEY,
        "started_at": "2026-05-12T08:00:00+02:00",
        "finished_at": "2026-05-12T08:18:00+02:00",
        "pain_before": 5,
        "exercises": [{"id": "glute-activation", "status": "done", "reps_done": 20, "holds_done": 20}],
    }
    data.update(changes)
    return data


def problems(data: object) -> dict[str, str]:
    with pytest.raises(SessionLogError) as caught:
        parse_session_log(data)
    return {problem.field: problem.message for problem in caught.value.problems}


def test_it_reads_a_log_and_writes_it_back_the_same() -> None:
    parsed = parse_session_log(log(pain_after=3, ended_early=False))
    assert parsed.exercises[0].status is ExerciseStatus.DONE
    assert parsed.exercises[0].reps_done == 20
    assert parsed.pain_after == 3
    assert parse_session_log(session_log_to_json(parsed)) == parsed


def test_it_flags_a_log_with_a_danger_sign() -> None:
    stopped = {"id": "lift-off", "status": "stopped", "symptoms": "red_flag", "stop_reason": "numb"}
    parsed = parse_session_log(log(exercises=[stopped], ended_early=True, end_reason="danger sign"))
    assert parsed.red_flag
    assert parsed.exercises[0].symptoms is SymptomMovement.RED_FLAG
    assert parsed.exercises[0].needs_review


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"idempotency_key": "1"}, "idempotency_key", "UUID"),
        ({"started_at": "yesterday"}, "started_at", "ISO 8601"),
        ({"started_at": "2026-05-12T08:00:00"}, "started_at", "time zone"),
        ({"finished_at": "2026-05-12T07:00:00+02:00"}, "finished_at", "before started_at"),
        ({"pain_before": "5"}, "pain_before", "0 to 10"),
        ({"pain_after": 11}, "pain_after", "0 to 10"),
        ({"ended_early": "no"}, "ended_early", "true or false"),
        ({"exercises": []}, "exercises", "1 to 7"),
        (
            {"exercises": [{"id": "lift-off", "status": "done", "reps_done": -1}]},
            "exercises[0].reps_done",
            "0 to",
        ),
        (
            {"exercises": [{"id": "lift-off", "status": "done", "symptoms": "worse"}]},
            "exercises[0].symptoms",
            "spread_down",
        ),
        ({"exercises": [{"id": "lift-off", "status": "done"}] * 2}, "exercises[1].id", "once"),
        ({"mood": "fine"}, "mood", "unknown key"),
    ],
)
def test_it_names_each_bad_field_and_what_is_allowed(changes: dict[str, Any], field: str, words: str) -> None:
    found = problems(log(**changes))
    assert field in found, found
    assert words in found[field]


def test_it_lists_every_problem_at_once() -> None:
    found = problems({"pain_before": 99})
    assert {"idempotency_key", "started_at", "finished_at", "exercises", "pain_before"} <= set(found)


def test_it_refuses_what_is_not_an_object() -> None:
    assert problems([1, 2]) == {"(body)": "must be a JSON object"}


# A sane window for moments, and text every page can hold (issue 19) ----------------------------------

NOW = datetime(2026, 5, 12, 12, 0, tzinfo=UTC)


def problems_at(data: object, now: datetime) -> dict[str, str]:
    with pytest.raises(SessionLogError) as caught:
        parse_session_log(data, now=now)
    return {problem.field: problem.message for problem in caught.value.problems}


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"started_at": "0001-01-01T01:00:00+03:00"}, "started_at", "before 2000-01-01"),
        ({"started_at": "1999-12-31T23:59:59+00:00"}, "started_at", "before 2000-01-01"),
        ({"finished_at": "9999-12-31T23:59:00-05:00"}, "finished_at", "future"),
        ({"finished_at": "2026-05-13T12:00:01+00:00"}, "finished_at", "future"),
        ({"finished_at": "2026-05-13T08:00:01+02:00"}, "finished_at", "24 hours"),
        ({"end_reason": "fine\x00"}, "end_reason", "NUL"),
        ({"end_reason": "\udfff"}, "end_reason", "surrogate"),
        ({"started_at": "2026-05-12T08:00:00+02:00\x00"}, "started_at", "ISO 8601"),
        ({"idempotency_key": 5}, "idempotency_key", "UUID"),
        ({"idempotency_key": ["5b0f0c2e-6a0a-4f55-9d0e-0b6d6f1f7f11"]}, "idempotency_key", "UUID"),
        (
            {"exercises": [{"id": "lift-off", "status": "stopped", "stop_reason": "a\udc00"}]},
            "exercises[0].stop_reason",
            "surrogate",
        ),
    ],
)
def test_it_refuses_moments_outside_the_window_and_text_no_page_can_hold(
    changes: dict[str, Any], field: str, words: str
) -> None:
    found = problems_at(log(**changes), NOW)
    assert field in found, found
    assert words in found[field]


def test_it_takes_a_session_of_exactly_24_hours_ending_a_day_ahead_of_the_clock() -> None:
    data = log(started_at="2026-05-12T12:00:00+00:00", finished_at="2026-05-13T12:00:00+00:00")
    parsed = parse_session_log(data, now=NOW)
    assert parsed.finished_at - parsed.started_at == LONGEST_SESSION
    assert parsed.finished_at == NOW + FUTURE_SLACK


def test_it_reads_the_window_from_the_real_clock_by_default() -> None:
    tomorrow_and_more = datetime.now(UTC) + FUTURE_SLACK + timedelta(minutes=5)
    data = log(started_at=tomorrow_and_more.isoformat(), finished_at=tomorrow_and_more.isoformat())
    assert "started_at" in problems(data)
    assert parse_session_log(
        log(started_at=EARLIEST_MOMENT.isoformat(), finished_at=EARLIEST_MOMENT.isoformat())
    )


def test_it_names_an_unknown_key_briefly_whatever_it_holds() -> None:
    found = problems(log(**{"k" * 5000: 1, "bad\x00": 2}))
    assert "k" * 5000 not in found and "bad\x00" not in found
    assert all(len(field) <= 60 for field in found)


def test_a_log_says_which_session_was_played_full_unless_told() -> None:
    assert parse_session_log(log()).kind is SessionKind.FULL
    short = parse_session_log(log(kind="short", ended_early=True, end_reason="Ended by the person."))
    assert short.kind is SessionKind.SHORT
    assert session_log_to_json(short)["kind"] == "short"
    assert parse_session_log(session_log_to_json(short)) == short


@pytest.mark.parametrize("kind", ["quick", "", None, 1, "SHORT"])
def test_it_names_a_kind_that_is_not_full_or_short(kind: object) -> None:
    assert problems(log(kind=kind)) == {"kind": "must be one of full, short"}
