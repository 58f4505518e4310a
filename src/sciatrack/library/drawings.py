"""Each exercise's drawings, made once per process from the shipped library (``outputs/figures.py``).

The library is loaded once and never changes while the process runs, so a drawing made for an exercise
id stays right until the next start; a new start with changed content makes them anew.
"""

from __future__ import annotations

from functools import cache

from sciatrack.content.loader import get_exercise
from sciatrack.outputs.figures import Drawing, loop_svg, pair_svg, step_svg


@cache
def loop_drawing(exercise_id: str) -> Drawing:
    """The moving drawing of the exercise; KeyError for an id the library does not have."""
    return loop_svg(get_exercise(exercise_id))


@cache
def step_drawing(exercise_id: str, number: int) -> Drawing:
    """The still drawing of step ``number`` (1-based); KeyError or IndexError for one there is not."""
    return step_svg(get_exercise(exercise_id), number)


@cache
def pair_drawing(exercise_id: str) -> Drawing:
    """The start and end poses side by side, still."""
    return pair_svg(get_exercise(exercise_id))
