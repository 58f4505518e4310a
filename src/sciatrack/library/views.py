"""Read-only pages of the exercise library, straight from the validated content files, and the
exercises' drawings as SVG images."""

from __future__ import annotations

import hashlib

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_safe

from sciatrack.content.dosage_text import describe_dosage
from sciatrack.content.loader import get_exercise, load_exercises
from sciatrack.outputs.figures import Drawing

from .drawings import loop_drawing, step_drawing

SVG = "image/svg+xml"
# A drawing changes only with the content, on a new release: browsers and proxies may keep it a day,
# then ask again with its ETag and get a 304 while it is the same.
FIGURE_MAX_AGE = 60 * 60 * 24


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


def _svg_response(request: HttpRequest, drawing: Drawing) -> HttpResponse:
    """The drawing as a cacheable image: 304 when the browser's copy (its ETag) is still the same."""
    body = drawing.svg.encode()
    etag = f'"{hashlib.sha256(body).hexdigest()[:20]}"'
    response = HttpResponse(body, content_type=SVG)
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=FIGURE_MAX_AGE)
    conditional = get_conditional_response(request, etag=etag, response=response)
    return conditional if conditional is not None else response


@require_safe
def exercise_figure(request: HttpRequest, exercise_id: str) -> HttpResponse:
    """The exercise's movement as a moving drawing (still where motion is unwelcome and in print)."""
    try:
        drawing = loop_drawing(exercise_id)
    except KeyError:
        raise Http404(f"There is no exercise called {exercise_id!r} in the library.") from None
    return _svg_response(request, drawing)


@require_safe
def exercise_step_figure(request: HttpRequest, exercise_id: str, number: int) -> HttpResponse:
    """The still drawing of one step of the exercise, numbered from 1."""
    try:
        drawing = step_drawing(exercise_id, number)
    except KeyError:
        raise Http404(f"There is no exercise called {exercise_id!r} in the library.") from None
    except IndexError:
        raise Http404(f"{exercise_id!r} has no step {number}.") from None
    return _svg_response(request, drawing)
