"""Intake answers for the domain tests: a calm baseline, overrides, and a hypothesis strategy.

The baseline matches no triage rule (age 42, mild pain, two weeks, no numbness or weakness, no red flag),
so each test adds exactly what it is about.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from sciatrack.domain.intake import IntakeAnswers, parse_intake
from sciatrack.domain.vocabulary import (
    RED_FLAG_KEYS,
    RED_FLAG_KEYS_V1,
    REGIONS,
    REGIONS_V1,
    SCHEMA,
    SCHEMA_V1,
    SENSATIONS,
    SIDES,
    TRIGGERS,
)


def intake_json(**overrides: Any) -> dict[str, Any]:
    """Baseline intake JSON; ``flags=[...]`` sets those red flags true, other keys replace the baseline."""
    flags = set(overrides.pop("flags", ()))
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "age": 42,
        "onset_weeks": 2,
        "pain": {"leg_now": 4, "back_now": 3},
        "regions": ["buttock", "back_of_thigh"],
        "side": "left",
        "sensations": ["dull_ache"],
        "worse_with": ["sitting"],
        "better_with": ["walking"],
        "red_flags": {key: key in flags for key in RED_FLAG_KEYS},
    }
    data.update(overrides)
    return data


def answers(**overrides: Any) -> IntakeAnswers:
    return parse_intake(intake_json(**overrides))


def _subset(values: tuple[str, ...]) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(values), unique=True).map(tuple)


def answers_strategy(schema: str = SCHEMA) -> st.SearchStrategy[IntakeAnswers]:
    """Any valid intake of ``schema``, built directly (parse_intake is tested apart for the same shape)."""
    version_1 = schema == SCHEMA_V1
    return st.builds(
        IntakeAnswers,
        age=st.integers(16, 110),
        onset_weeks=st.one_of(st.integers(0, 2600), st.floats(0, 2600, allow_nan=False)),
        leg_pain=st.integers(0, 10),
        back_pain=st.integers(0, 10),
        regions=_subset(REGIONS_V1 if version_1 else REGIONS),
        side=st.sampled_from(SIDES),
        sensations=_subset(SENSATIONS),
        worse_with=_subset(TRIGGERS),
        better_with=_subset(TRIGGERS),
        red_flags=st.frozensets(st.sampled_from(RED_FLAG_KEYS_V1 if version_1 else RED_FLAG_KEYS)),
        schema=st.just(schema),
    )
