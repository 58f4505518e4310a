"""``/api/exercises``: the exercise library as validated content."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from sciatrack.content.dosage_text import describe_dosage
from sciatrack.content.loader import get_exercise, load_exercises
from sciatrack.content.schema import EXERCISE_IDS, Exercise

from .errors import ErrorOut

router = Router(tags=["exercises"])


def exercise_out(exercise: Exercise) -> dict[str, Any]:
    return {**exercise.model_dump(mode="json"), "dosage_text": describe_dosage(exercise.dosage)}


@router.get("", summary="List the exercise library")
def list_exercises(request: HttpRequest) -> list[dict[str, Any]]:
    return [exercise_out(exercise) for exercise in load_exercises().values()]


@router.get("/{exercise_id}", summary="One exercise", response={200: dict[str, Any], 404: ErrorOut})
def read_exercise(request: HttpRequest, exercise_id: str) -> Status[Any]:
    try:
        return Status(200, exercise_out(get_exercise(exercise_id)))
    except KeyError:
        known = ", ".join(EXERCISE_IDS)
        return Status(404, {"detail": f"No exercise with id {exercise_id!r}. Known ids: {known}."})
