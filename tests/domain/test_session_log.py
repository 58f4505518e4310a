"""Validating the log of a session: every bad field named, nothing half-accepted."""

from __future__ import annotations

from typing import Any

import pytest

from sciatrack.domain.session_log import (
    ExerciseStatus,
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
