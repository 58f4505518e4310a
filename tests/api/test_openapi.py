"""The served OpenAPI document describes every body, status and error shape, from the rules' own homes."""

from __future__ import annotations

from typing import Any

import pytest

from api.as_browser import browser
from sciatrack.content.schema import EXERCISE_IDS
from sciatrack.domain import intake, session_log
from sciatrack.domain.vocabulary import (
    AGE_RANGE,
    PAIN_RANGE,
    RED_FLAG_KEYS,
    RED_FLAG_KEYS_V1,
    REGIONS,
    REGIONS_V1,
    SCHEMA_V1,
    SCHEMA_V2,
    SENSATIONS,
    SIDES,
    TRIGGERS,
)
from sciatrack.lib.request_limits import MAX_JSON_BODY_BYTES


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    response = browser().get("/api/openapi.json")
    assert response.status_code == 200
    schema: dict[str, Any] = response.json()
    return schema


def body_schema(document: dict[str, Any], path: str) -> dict[str, Any]:
    operation = document["paths"][path]["post"]
    assert operation["requestBody"]["required"] is True
    found: dict[str, Any] = operation["requestBody"]["content"]["application/json"]["schema"]
    return found


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """``schema``, following one ``$ref`` into the document's components."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        resolved: dict[str, Any] = document["components"]["schemas"][name]
        return resolved
    return schema


def test_the_session_log_body_lists_every_field_with_its_type_range_and_choices(
    document: dict[str, Any],
) -> None:
    log = body_schema(document, "/api/sessions")
    assert log["type"] == "object" and log["additionalProperties"] is False
    fields = log["properties"]
    assert set(fields) == {*session_log.LOG_KEYS, "program", "patient"}
    assert set(log["required"]) == set(session_log.LOG_KEYS) - session_log.OPTIONAL
    assert fields["idempotency_key"] == {
        "type": "string",
        "format": "uuid",
        "description": fields["idempotency_key"]["description"],
    }
    assert fields["started_at"]["format"] == "date-time"
    assert "2000-01-01" in fields["started_at"]["description"]
    assert "24 hours" in fields["finished_at"]["description"]
    assert (fields["pain_before"]["minimum"], fields["pain_before"]["maximum"]) == PAIN_RANGE
    exercise = fields["exercises"]["items"]
    assert fields["exercises"]["maxItems"] == len(EXERCISE_IDS) and fields["exercises"]["minItems"] == 1
    assert exercise["properties"]["id"]["enum"] == list(EXERCISE_IDS)
    assert exercise["properties"]["status"]["enum"] == [status.value for status in session_log.ExerciseStatus]
    assert set(exercise["properties"]["symptoms"]["enum"]) == {
        *(movement.value for movement in session_log.SymptomMovement),
        None,
    }
    assert exercise["properties"]["seconds"]["maximum"] == session_log.MAX_EXERCISE_SECONDS
    assert exercise["properties"]["stop_reason"]["maxLength"] == session_log.MAX_TEXT_LENGTH
    assert fields["end_reason"]["maxLength"] == session_log.MAX_TEXT_LENGTH
    assert fields["kind"]["enum"] == [kind.value for kind in session_log.SessionKind]
    assert fields["kind"]["default"] == "full" and "kind" not in log["required"]


def test_the_triage_body_describes_both_intake_versions(document: dict[str, Any]) -> None:
    versions = {
        variant["properties"]["schema"]["const"]: variant
        for variant in body_schema(document, "/api/triage")["oneOf"]
    }
    assert set(versions) == {SCHEMA_V1, SCHEMA_V2}
    for version, regions, flags in (
        (SCHEMA_V2, REGIONS, RED_FLAG_KEYS),
        (SCHEMA_V1, REGIONS_V1, RED_FLAG_KEYS_V1),
    ):
        answers = versions[version]
        fields = answers["properties"]
        assert answers["additionalProperties"] is False
        assert set(answers["required"]) == set(intake.TOP_LEVEL_KEYS)
        assert (fields["age"]["type"], fields["age"]["minimum"], fields["age"]["maximum"]) == (
            "integer",
            *AGE_RANGE,
        )
        assert fields["onset_weeks"]["maximum"] == intake.ONSET_WEEKS_RANGE[1]
        assert fields["pain"]["properties"]["leg_now"]["maximum"] == PAIN_RANGE[1]
        assert fields["regions"]["items"]["enum"] == list(regions)
        assert fields["regions"]["maxItems"] == intake.MAX_LIST_ITEMS
        assert fields["sensations"]["items"]["enum"] == list(SENSATIONS)
        assert fields["worse_with"]["items"]["enum"] == list(TRIGGERS)
        assert fields["side"]["enum"] == list(SIDES)
        assert fields["red_flags"]["required"] == list(flags)
        assert fields["red_flags"]["additionalProperties"] is False
        assert all(answer == {"type": "boolean"} for answer in fields["red_flags"]["properties"].values())


@pytest.mark.parametrize(
    ("path", "statuses"),
    [
        ("/api/sessions", {"200", "201", "400", "401", "403", "413", "422"}),
        ("/api/triage", {"200", "400", "413", "422"}),
    ],
)
def test_every_answer_and_its_error_shape_is_documented(
    document: dict[str, Any], path: str, statuses: set[str]
) -> None:
    responses = document["paths"][path]["post"]["responses"]
    assert set(responses) == statuses
    for status in statuses - {"200", "201"}:
        shape = resolve(document, responses[status]["content"]["application/json"]["schema"])
        assert "detail" in shape["required"], status
        if status in {"400", "413", "422"}:
            problem = resolve(document, shape["properties"]["problems"]["items"])
            assert set(problem["required"]) == {"field", "message"}
    assert str(MAX_JSON_BODY_BYTES // 1024) in responses["413"]["description"]


def test_the_session_api_documents_both_ways_in(document: dict[str, Any]) -> None:
    schemes = document["components"]["securitySchemes"]
    kinds = {(scheme["type"], scheme.get("scheme", scheme.get("in"))) for scheme in schemes.values()}
    assert kinds == {("http", "bearer"), ("apiKey", "cookie")}
    assert "X-CSRFToken" in document["paths"]["/api/sessions"]["post"]["description"]
