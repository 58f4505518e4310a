"""Read-only pages of the exercise library, straight from the validated content files."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sciatrack.content.dosage_text import describe_dosage
from sciatrack.content.loader import get_exercise, load_exercises


def exercise_list(request: HttpRequest) -> HttpResponse:
    exercises = [(exercise, describe_dosage(exercise.dosage)) for exercise in load_exercises().values()]
    return render(request, "library/exercise_list.html", {"exercises": exercises})


def exercise_detail(request: HttpRequest, exercise_id: str) -> HttpResponse:
    try:
        exercise = get_exercise(exercise_id)
    except KeyError:
        raise Http404(f"There is no exercise called {exercise_id!r} in the library.") from None
    return render(
        request,
        "library/exercise_detail.html",
        {"exercise": exercise, "dosage_text": describe_dosage(exercise.dosage)},
    )
