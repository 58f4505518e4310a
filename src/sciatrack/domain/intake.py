"""Intake answers (``sciatrack.intake/2``, and version 1 as stored before), and their validation.

:func:`parse_intake` turns untrusted JSON-like data into :class:`IntakeAnswers` or raises
:class:`IntakeError` listing *every* problem at once, each naming its field as a dotted path
(``pain.leg_now``, ``red_flags.fever``, ``regions[2]``) and what is allowed there. A refused intake is
refused whole: nothing partial is ever returned.

Choices worth knowing:

- Unknown keys are refused at every level, so a typo (``red_flag``) can never silently drop an answer.
- ``true``/``false`` are refused where a number is expected (Python would otherwise treat them as 1 and 0).
- A repeated item in a list (``["sitting", "sitting"]``) is tolerated and kept once: it does not change the
  meaning, and refusing it would only block a person in pain. A list longer than :data:`MAX_LIST_ITEMS`
  is refused: no honest answer needs it.
- Every red-flag key of the intake's version must be answered ``true`` or ``false``; a missing one, a
  ``null`` or an ``"unknown"`` is never read as "no".
- A version-1 intake (as stored before version 2) stays valid with its own keys only; the version-2
  questions are listed in ``not_asked`` and never read as "no" in words, only left unmatched by the rules.
  A version-1 intake carrying a version-2 key or region is refused: it would claim answers its version
  never asked.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .plain_input import text_problem
from .vocabulary import (
    AGE_RANGE,
    IMPLIED_FLAGS,
    ONSET_WEEKS_RANGE,
    PAIN_KEYS,
    PAIN_RANGE,
    RED_FLAG_KEYS,
    RED_FLAG_KEYS_ADDED_IN_V2,
    RED_FLAG_KEYS_V1,
    REGION_IMPLIES,
    REGIONS,
    REGIONS_ADDED_IN_V2,
    REGIONS_V1,
    SCHEMA,
    SCHEMA_V1,
    SCHEMA_V2,
    SCHEMAS,
    SENSATIONS,
    SIDE_IMPLIES,
    SIDES,
    TRIGGERS,
)

__all__ = [
    "AGE_RANGE",
    "IMPLIED_FLAGS",
    "MAX_LIST_ITEMS",
    "ONSET_WEEKS_RANGE",
    "PAIN_KEYS",
    "PAIN_RANGE",
    "RED_FLAG_KEYS",
    "REGIONS",
    "SCHEMA",
    "SENSATIONS",
    "SIDES",
    "TRIGGERS",
    "IntakeAnswers",
    "IntakeError",
    "IntakeProblem",
    "parse_intake",
]

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
MAX_LIST_ITEMS = 50


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
    """A valid intake. ``red_flags`` holds the red-flag keys answered ``true``.

    ``schema`` is the version the answers were given in; for version 1 the keys added in version 2 were
    never asked (:attr:`not_asked`), and they are not in ``red_flags``.
    """

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
    schema: str = SCHEMA

    @property
    def not_asked(self) -> tuple[str, ...]:
        """The red-flag questions these answers never had (version 1 lacks those of version 2; one
        answered yes later, in a safety update, was asked then)."""
        if self.schema != SCHEMA_V1:
            return ()
        return tuple(key for key in RED_FLAG_KEYS_ADDED_IN_V2 if key not in self.red_flags)

    @property
    def asked_flags(self) -> tuple[str, ...]:
        return RED_FLAG_KEYS_V1 if self.schema == SCHEMA_V1 else RED_FLAG_KEYS

    @property
    def effective_flags(self) -> frozenset[str]:
        """The red flags triage must act on, with the safe readings of contradictions added.

        ``side: both`` and ``bilateral_new`` count as ``bilateral_leg_symptoms``; ``mid_back`` among the
        regions counts as ``thoracic_pain``; ``cancer_recent`` counts as ``history_of_cancer``.
        """
        flags = set(self.red_flags)
        if self.side in SIDE_IMPLIES:
            flags.add(SIDE_IMPLIES[self.side])
        flags.update(REGION_IMPLIES[region] for region in self.regions if region in REGION_IMPLIES)
        flags.update(IMPLIED_FLAGS[flag] for flag in self.red_flags if flag in IMPLIED_FLAGS)
        return frozenset(flags)

    def to_json(self) -> dict[str, Any]:
        """These answers as intake JSON of their own version; ``parse_intake`` of it gives them back."""
        return {
            "schema": self.schema,
            "age": self.age,
            "onset_weeks": self.onset_weeks,
            "pain": {"leg_now": self.leg_pain, "back_now": self.back_pain},
            "regions": list(self.regions),
            "side": self.side,
            "sensations": list(self.sensations),
            "worse_with": list(self.worse_with),
            "better_with": list(self.better_with),
            "red_flags": {key: key in self.red_flags for key in self.asked_flags},
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
                plain = isinstance(key, str) and len(key) <= 60 and text_problem(key) is None
                shown = key if plain else "(a key)"  # a key no page could show is named only this way
                self.problem(f"{prefix}{shown}", f"unknown key; allowed keys are {_choices(allowed)}")
        for key in allowed:
            if key not in data:
                self.problem(f"{prefix}{key}", missing)

    def integer(self, value: object, field: str, low: int, high: int) -> int | None:
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            return value
        self.problem(field, f"must be an integer from {low} to {high}")
        return None

    def weeks(self, value: object, field: str) -> float | None:
        low, high = ONSET_WEEKS_RANGE
        if (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and math.isfinite(value)
            and low <= value <= high
        ):
            return value
        self.problem(field, f"must be a number of weeks from {low} to {high} (for example 2 or 0.5)")
        return None

    def choice(self, value: object, field: str, allowed: tuple[str, ...]) -> str | None:
        if isinstance(value, str) and value in allowed:
            return value
        shown = repr(value) if isinstance(value, str) and len(value) <= 60 else "this value"
        self.problem(field, f"{shown} is not allowed; choose one of {_choices(allowed)}")
        return None

    def choices(
        self, value: object, field: str, allowed: tuple[str, ...], newer: tuple[str, ...] = ()
    ) -> tuple[str, ...] | None:
        if not isinstance(value, list) or len(value) > MAX_LIST_ITEMS:
            self.problem(
                field, f"must be a list (it may be empty) of at most {MAX_LIST_ITEMS} of: {_choices(allowed)}"
            )
            return None
        before = len(self.problems)
        kept: list[str] = []
        for index, item in enumerate(value):
            if isinstance(item, str) and item in newer:
                self.problem(f"{field}[{index}]", f'{item!r} needs "schema": "{SCHEMA_V2}"')
            elif not isinstance(item, str) or item not in allowed:
                shown = repr(item) if isinstance(item, str) and len(item) <= 60 else "this value"
                self.problem(f"{field}[{index}]", f"{shown} is not allowed; choose from {_choices(allowed)}")
            elif item not in kept:  # a repeat means nothing new; keep the first
                kept.append(item)
        return tuple(kept) if len(self.problems) == before else None

    def flags(self, value: object, asked: tuple[str, ...], newer: tuple[str, ...]) -> frozenset[str] | None:
        if not isinstance(value, dict):
            self.problem("red_flags", f"must be an object answering each of {_choices(asked)} true or false")
            return None
        before = len(self.problems)
        for key in value:
            if key in newer:
                self.problem(f"red_flags.{key}", f'a version-2 question: it needs "schema": "{SCHEMA_V2}"')
        self.keys(
            {key: answer for key, answer in value.items() if key not in newer},
            asked,
            "red_flags.",
            "missing: every red-flag key is required, answer true or false",
        )
        for key in asked:
            if key in value and not isinstance(value[key], bool):
                self.problem(f"red_flags.{key}", "must be true or false (not null, not unknown)")
        if len(self.problems) != before:
            return None
        return frozenset(key for key in asked if value[key])


def parse_intake(data: object) -> IntakeAnswers:
    """Validate intake data of either version; raise :class:`IntakeError` with every problem found."""
    parser = _Parser()
    if not isinstance(data, dict):
        parser.problem("intake", f"must be a JSON object with the keys {_choices(TOP_LEVEL_KEYS)}")
        raise IntakeError(parser.problems)
    parser.keys(data, TOP_LEVEL_KEYS, "", "missing: this key is required")
    schema = data.get("schema")
    if "schema" in data and schema not in SCHEMAS:
        parser.problem("schema", f'must be "{SCHEMA_V2}" (or "{SCHEMA_V1}" for answers given before it)')
    version_1 = schema == SCHEMA_V1
    regions = REGIONS_V1 if version_1 else REGIONS
    newer_regions = REGIONS_ADDED_IN_V2 if version_1 else ()
    asked = RED_FLAG_KEYS_V1 if version_1 else RED_FLAG_KEYS
    newer_flags = RED_FLAG_KEYS_ADDED_IN_V2 if version_1 else ()

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
    lists = {
        key: parser.choices(
            data[key],
            key,
            regions if key == "regions" else allowed,
            newer_regions if key == "regions" else (),
        )
        for key, allowed in LISTS.items()
        if key in data
    }
    flags = parser.flags(data["red_flags"], asked, newer_flags) if "red_flags" in data else None

    if parser.problems:
        raise IntakeError(parser.problems)
    # No problems means every reader returned a value; the asserts document that for the type checker.
    assert age is not None and weeks is not None and side is not None and flags is not None
    assert isinstance(schema, str)
    leg, back = pain["leg_now"], pain["back_now"]
    assert leg is not None and back is not None
    chosen_regions, sensations, worse, better = (lists[key] for key in LISTS)
    assert chosen_regions is not None and sensations is not None and worse is not None and better is not None
    return IntakeAnswers(
        age=age,
        onset_weeks=weeks,
        leg_pain=leg,
        back_pain=back,
        regions=chosen_regions,
        side=side,
        sensations=sensations,
        worse_with=worse,
        better_with=better,
        red_flags=flags,
        schema=schema,
    )
