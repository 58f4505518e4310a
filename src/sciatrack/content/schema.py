"""Pydantic models for the clinical content that ships as YAML.

Every model forbids unknown keys, so a typo in a content file is reported instead of silently ignored.
The models hold only data and invariants; loading files and cross-checking them is ``loader.py``'s job.
"""

from __future__ import annotations

import re
import uuid
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from .figure_schema import Figure

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ExerciseId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]

EXERCISE_IDS = (
    "lift-off",
    "hip-holds",
    "heel-slides",
    "hamstring-ball-release",
    "mckenzie-extension",
    "glute-activation",
    "hip-flexor-activation",
)


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SecondsRange(StrictModel):
    """An inclusive range of seconds, e.g. a 2 to 3 second hold."""

    min: int = Field(ge=1, le=3600)
    max: int = Field(ge=1, le=3600)

    @model_validator(mode="after")
    def _min_not_above_max(self) -> Self:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) must not be greater than max ({self.max})")
        return self


class Frequency(StrEnum):
    """How often a dose is repeated; ``times_per_day`` needs ``Dosage.times_per_day``."""

    EVERY_WAKING_HOUR = "every_waking_hour"
    TIMES_PER_DAY = "times_per_day"


class DosageSource(StrEnum):
    SOURCE = "source"  # taken exactly from the source article named in the exercise's reference
    PROJECT = "project"  # the source gives none; a conservative default from common practice


class Dosage(StrictModel):
    """How much of an exercise to do, in the fields of the program contract.

    Either ``reps`` (optionally with a hold) or ``duration_seconds`` describes one set; a dosage with
    neither could not be coached.
    """

    reps: int | None = Field(default=None, ge=1, le=100)
    per_side: bool = False
    hold_seconds: SecondsRange | None = None
    duration_seconds: SecondsRange | None = None
    reposition_every_seconds: int | None = Field(default=None, ge=5, le=600)
    frequency: Frequency
    times_per_day: int | None = Field(default=None, ge=1, le=24)
    dosage_source: DosageSource
    # Some sources give the reps and hold but not how often; the frequency is then the project's choice.
    frequency_source: DosageSource | None = None

    @model_validator(mode="after")
    def _coachable(self) -> Self:
        if self.reps is None and self.duration_seconds is None:
            raise ValueError("give reps or duration_seconds (or both)")
        if self.frequency is Frequency.TIMES_PER_DAY and self.times_per_day is None:
            raise ValueError("frequency times_per_day needs times_per_day (1 to 24)")
        if self.frequency is not Frequency.TIMES_PER_DAY and self.times_per_day is not None:
            raise ValueError("times_per_day is only allowed with frequency times_per_day")
        if self.reposition_every_seconds is not None and self.duration_seconds is None:
            raise ValueError("reposition_every_seconds needs duration_seconds")
        if self.frequency_source is DosageSource.SOURCE and self.dosage_source is DosageSource.PROJECT:
            raise ValueError("frequency_source cannot be source when the whole dosage is the project's")
        return self

    @property
    def frequency_from(self) -> DosageSource:
        """Who chose the frequency: the source article or the project."""
        return self.frequency_source or self.dosage_source


class Position(StrEnum):
    """How the body lies or stands for an exercise; programs adapt some positions (pregnancy)."""

    FACE_DOWN = "face_down"
    BACK = "back"
    SIDE = "side"
    SITTING = "sitting"
    STANDING = "standing"


class Variant(StrictModel):
    name: Text
    how: Text


class SourceReference(StrictModel):
    """Where the facts behind an item come from: a seed article id and what it supports."""

    document: Annotated[str, StringConstraints(pattern=r"^(000|003|project)$")]
    note: Text


class Exercise(StrictModel):
    id: ExerciseId
    uuid: uuid.UUID
    name: Text
    summary: Text
    purpose: Text
    target_muscles: list[Text] = Field(min_length=1)
    position: Position
    start_position: Text
    # How to do it lying on the side instead, for an exercise done lying on the back: after 20 weeks of
    # pregnancy a person should not lie flat on their back (spec section 3).
    side_lying: Text | None = None
    steps: list[Text] = Field(min_length=2)
    feel: list[Text] = Field(min_length=1)
    do_not_feel: list[Text] = Field(min_length=1)
    common_mistakes: list[Text] = Field(min_length=1)
    dosage: Dosage
    # This exercise's own stop rules. The stops every exercise shares (stop_rules.yaml) are written once
    # and put before these when the library is loaded, so a loaded exercise lists them all.
    stop_rules: list[Text] = Field(default_factory=list)
    cautions: list[Text] = Field(default_factory=list)
    easier: Variant
    harder: Variant
    reference: SourceReference
    # The drawing: a pose for each step and the loop between them (figure_schema.py).
    figure: Figure

    @model_validator(mode="after")
    def _figure_fits(self) -> Self:
        self.figure.check_fits(len(self.steps), self.position.value)
        return self

    @model_validator(mode="after")
    def _side_lying_for_back_lying_only(self) -> Self:
        if self.position is Position.BACK and self.side_lying is None:
            raise ValueError(
                "side_lying: an exercise done lying on the back must say how to do it lying on the side"
            )
        if self.position is not Position.BACK and self.side_lying is not None:
            raise ValueError("side_lying: only for exercises done lying on the back (position: back)")
        return self

    @model_validator(mode="after")
    def _steps_are_not_numbered_by_hand(self) -> Self:
        # Steps are numbered when shown; a leading "1." in the data would print twice.
        for index, step in enumerate(self.steps, start=1):
            if re.match(r"^\d+[.)]\s", step):
                raise ValueError(
                    f"steps[{index - 1}] starts with its own number; leave numbering to the page"
                )
        return self
