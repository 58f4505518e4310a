"""Reading a JSON body: the nesting count sees structure only, and honest bodies pass untouched."""

from __future__ import annotations

import json

import pytest
from django.test import RequestFactory

from sciatrack.api.body import BodyError, nested_deeper_than, read_json
from sciatrack.lib.request_limits import MAX_JSON_DEPTH


@pytest.mark.parametrize(
    ("text", "deeper"),
    [
        ("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH, False),
        ("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1), True),
        (json.dumps({"a": "[" * 100, "b": ["{" * 100]}), False),  # brackets inside text nest nothing
        (json.dumps({"a": 'say \\"[[[[[[[[[[[[\\"', "b": [[1]]}), False),  # nor after an escaped quote
        (json.dumps(["]" * 50, [[[[[[[[[[[1]]]]]]]]]]]]), True),  # closing brackets in text hide nothing
    ],
)
def test_it_counts_only_the_brackets_that_nest(text: str, deeper: bool) -> None:
    assert nested_deeper_than(text, MAX_JSON_DEPTH) is deeper


def test_it_reads_an_honest_body_as_json() -> None:
    body = {"stop_reason": "it hurt [a lot] {really}", "pain_before": 5, "weeks": 0.5, "on": True}
    request = RequestFactory().post("/api/triage", json.dumps(body), content_type="application/json")
    assert read_json(request) == body


@pytest.mark.parametrize("number", ["1" * 41, "1e999", "-Infinity", "1." + "0" * 40])
def test_it_refuses_a_number_no_field_could_hold(number: str) -> None:
    request = RequestFactory().post("/api/triage", f'{{"age": {number}}}', content_type="application/json")
    with pytest.raises(BodyError) as refused:
        read_json(request)
    assert refused.value.status == 400
