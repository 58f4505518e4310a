"""``{% load figures %}``: an exercise's drawing as an ``<img>``.

- ``{% exercise_figure exercise %}``: the moving drawing (still where motion is unwelcome);
- ``{% exercise_figure exercise step=2 %}``: the still drawing of step 2.

``exercise`` is a library exercise or a program's exercise (anything with the exercise's ``id``), or
the id itself. The image has its text alternative from the exercise's words, its size (so the page does
not jump as it loads), ``loading="lazy"`` and the class ``figure``; it shrinks to fit a narrow screen.
"""

from __future__ import annotations

from typing import Protocol

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from sciatrack.library.drawings import loop_drawing, step_drawing

register = template.Library()


class HasId(Protocol):
    @property
    def id(self) -> str: ...


@register.simple_tag
def exercise_figure(exercise: HasId | str, step: int | None = None) -> SafeString:
    exercise_id = exercise if isinstance(exercise, str) else exercise.id
    if step is None:
        drawing = loop_drawing(exercise_id)
        src = reverse("exercise-figure", args=[exercise_id])
    else:
        drawing = step_drawing(exercise_id, step)
        src = reverse("exercise-step-figure", args=[exercise_id, step])
    return format_html(
        '<img class="figure" src="{}" alt="{}" width="{}" height="{}" loading="lazy" decoding="async" '
        'style="height:auto">',
        src,
        drawing.alt,
        drawing.width,
        drawing.height,
    )
