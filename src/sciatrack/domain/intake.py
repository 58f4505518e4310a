"""Intake answers in the ``sciatrack.intake/1`` format, and their validation.

:func:`parse_intake` turns untrusted JSON-like data into :class:`IntakeAnswers` or raises
:class:`IntakeError` listing *every* problem at once, each naming its field as a dotted path
(``pain.leg_now``, ``red_flags.fever``, ``regions[2]``) and what is allowed there. A refused intake is
refused whole: nothing partial is ever returned.

Choices worth knowing:

- Unknown keys are refused at every level, so a typo (``red_flag``) can never silently drop an answer.
- ``true``/``false`` are refused where a number is expected (Python would otherwise treat them as 1 and 0).
- A repeated item in a list (``["sitting", "sitting"]``) is tolerated and kept once: it does not change the
  meaning, and refusing it would only block a person in pain.
- Every red-flag key must be answered ``true`` or ``false``; a missing one is never read as "no".

The vocabularies are exported as tuples so the web form offers exactly what the parser accepts.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

SCHEMA = "sciatrack.intake/1"

REGIONS = (
    "low_back",
    "buttock",
    "groin",
    "back_of_thigh",
    "side_of_thigh",
    "front_of_thigh",
    "back_of_calf",
    "side_of_calf",
    "front_of_shin",
    "top_of_foot",
    "sole",
    "heel",
    "big_toe",
    "little_toe",
)
SIDES = ("left", "right", "both", "alternating")
SENSATIONS = ("dull_ache", "burning", "sharp", "electric", "tingling", "numbness", "weakness")
TRIGGERS = (
    "sitting",
    "morning",
    "sit_to_stand",
    "bending_forward",
    "bending_backward",
    "walking",
    "standing",
    "lying",
    "coughing_sneezing",
    "night",
)
RED_FLAG_KEYS = (
    "saddle_numbness",
    "bladder_change",
    "bowel_change",
    "sexual_dysfunction_new",
    "bilateral_leg_symptoms",
    "progressive_weakness",
    "face_head_jaw_numbness",
    "arm_numbness_tingling",
    "upset_stomach",
    "fever",
    "sudden_severe_onset",
    "anticoagulants",
    "iv_drug_use",
    "immunosuppressed",
    "history_of_cancer",
    "unexplained_weight_loss",
    "night_pain_unrelenting",
    "tb_history_or_exposure",
    "major_trauma",
    "osteoporosis_or_steroids",
)
PAIN_KEYS = ("leg_now", "back_now")
AGE_RANGE = (16, 110)
PAIN_RANGE = (0, 10)
TOP_LEVEL_KEYS = (
    "schema",
    "age",
    "onset_weeks",
    "pain",
    "regions",
    "side",
    "sensations",
    "worse_with",
    "better_with",
    "red_flags",
)
LISTS = {"regions": REGIONS, "sensations": SENSATIONS, "worse_with": TRIGGERS, "better_with": TRIGGERS}


@dataclass(frozen=True)
class IntakeProblem:
    """One reason an intake was refused: the field's dotted path and what is allowed there."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class IntakeError(ValueError):
    """The intake was refused; ``problems`` lists every bad or missing field (never empty)."""

    def __init__(self, problems: list[IntakeProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


@dataclass(frozen=True)
class IntakeAnswers:
    """A valid intake. ``red_flags`` holds the red-flag keys answered ``true``; all others were ``false``."""

    age: int
    onset_weeks: float
    leg_pain: int
    back_pain: int
    regions: tuple[str, ...]
    side: str
    sensations: tuple[str, ...]
    worse_with: tuple[str, ...]
    better_with: tuple[str, ...]
    red_flags: frozenset[str]

    @property
    def effective_flags(self) -> frozenset[str]:
        """The red flags triage must act on: ``side: both`` counts as ``bilateral_leg_symptoms``.

        Symptoms in both legs with the bilateral question answered "no" is a contradiction; the safe
        reading is the more urgent one.
        """
        if self.side == "both":
            return self.red_flags | {"bilateral_leg_symptoms"}
        return self.red_flags

    def to_json(self) -> dict[str, Any]:
        """These answers as ``sciatrack.intake/1`` JSON; ``parse_intake`` of it gives them back."""
        return {
            "schema": SCHEMA,
            "age": self.age,
            "onset_weeks": self.onset_weeks,
            "pain": {"leg_now": self.leg_pain, "back_now": self.back_pain},
            "regions": list(self.regions),
            "side": self.side,
            "sensations": list(self.sensations),
            "worse_with": list(self.worse_with),
            "better_with": list(self.better_with),
            "red_flags": {key: key in self.red_flags for key in RED_FLAG_KEYS},
        }


def _choices(allowed: Iterable[str]) -> str:
    return ", ".join(allowed)


class _Parser:
    """Collects problems while reading; each reader returns None for a bad value."""

    def __init__(self) -> None:
        self.problems: list[IntakeProblem] = []

    def problem(self, field: str, message: str) -> None:
        self.problems.append(IntakeProblem(field, message))

    def keys(self, data: Mapping[str, Any], allowed: tuple[str, ...], prefix: str, missing: str) -> None:
        for key in data:
            if key not in allowed:
                self.problem(f"{prefix}{key}", f"unknown key; allowed keys are {_choices(allowed)}")
        for key in allowed:
            if key not in data:
                self.problem(f"{prefix}{key}", missing)

    def integer(self, value: object, field: str, low: int, high: int) -> int | None:
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            return value
        self.problem(field, f"must be an integer from {low} to {high}")
        return None

    def weeks(self, value: object, field: str) -> float | None:
        if (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and math.isfinite(value)
            and value >= 0
        ):
            return value
        self.problem(field, "must be a number of weeks, 0 or more (for example 2 or 0.5)")
        return None

    def choice(self, value: object, field: str, allowed: tuple[str, ...]) -> str | None:
        if isinstance(value, str) and value in allowed:
            return value
        shown = repr(value) if isinstance(value, str) else "this value"
        self.problem(field, f"{shown} is not allowed; choose one of {_choices(allowed)}")
        return None

    def choices(self, value: object, field: str, allowed: tuple[str, ...]) -> tuple[str, ...] | None:
        if not isinstance(value, list):
            self.problem(field, f"must be a list (it may be empty) of: {_choices(allowed)}")
            return None
        before = len(self.problems)
        kept: list[str] = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or item not in allowed:
                shown = repr(item) if isinstance(item, str) else "this value"
                self.problem(f"{field}[{index}]", f"{shown} is not allowed; choose from {_choices(allowed)}")
            elif item not in kept:  # a repeat means nothing new; keep the first
                kept.append(item)
        return tuple(kept) if len(self.problems) == before else None

    def flags(self, value: object) -> frozenset[str] | None:
        if not isinstance(value, dict):
            self.problem(
                "red_flags", f"must be an object answering each of {_choices(RED_FLAG_KEYS)} true or false"
            )
            return None
        before = len(self.problems)
        self.keys(
            value,
            RED_FLAG_KEYS,
            "red_flags.",
            "missing: every red-flag key is required, answer true or false",
        )
        for key in RED_FLAG_KEYS:
            if key in value and not isinstance(value[key], bool):
                self.problem(f"red_flags.{key}", "must be true or false")
        if len(self.problems) != before:
            return None
        return frozenset(key for key in RED_FLAG_KEYS if value[key])


def parse_intake(data: object) -> IntakeAnswers:
    """Validate ``sciatrack.intake/1`` data; raise :class:`IntakeError` with every problem found."""
    parser = _Parser()
    if not isinstance(data, dict):
        parser.problem("intake", f"must be a JSON object with the keys {_choices(TOP_LEVEL_KEYS)}")
        raise IntakeError(parser.problems)
    parser.keys(data, TOP_LEVEL_KEYS, "", "missing: this key is required")
    if "schema" in data and data["schema"] != SCHEMA:
        parser.problem("schema", f'must be "{SCHEMA}"')

    age = parser.integer(data["age"], "age", *AGE_RANGE) if "age" in data else None
    weeks = parser.weeks(data["onset_weeks"], "onset_weeks") if "onset_weeks" in data else None
    side = parser.choice(data["side"], "side", SIDES) if "side" in data else None
    pain: dict[str, int | None] = {}
    if "pain" in data:
        raw_pain = data["pain"]
        if isinstance(raw_pain, dict):
            parser.keys(raw_pain, PAIN_KEYS, "pain.", "missing: rate the pain now from 0 to 10")
            for key in PAIN_KEYS:
                if key in raw_pain:
                    pain[key] = parser.integer(raw_pain[key], f"pain.{key}", *PAIN_RANGE)
        else:
            parser.problem(
                "pain", "must be an object with leg_now and back_now, each an integer from 0 to 10"
            )
    lists = {key: parser.choices(data[key], key, allowed) for key, allowed in LISTS.items() if key in data}
    flags = parser.flags(data["red_flags"]) if "red_flags" in data else None

    if parser.problems:
        raise IntakeError(parser.problems)
    # No problems means every reader returned a value; the asserts document that for the type checker.
    assert age is not None and weeks is not None and side is not None and flags is not None
    leg, back = pain["leg_now"], pain["back_now"]
    assert leg is not None and back is not None
    regions, sensations, worse, better = (lists[key] for key in LISTS)
    assert regions is not None and sensations is not None and worse is not None and better is not None
    return IntakeAnswers(
        age=age,
        onset_weeks=weeks,
        leg_pain=leg,
        back_pain=back,
        regions=regions,
        side=side,
        sensations=sensations,
        worse_with=worse,
        better_with=better,
        red_flags=flags,
    )
