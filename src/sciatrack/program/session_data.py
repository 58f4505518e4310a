"""What the guided session page carries for its script, kept small: a phone loads it before every session.

The page does not carry the hundreds of timed steps of a session: it gets each exercise's coached numbers
for a full and a short session (:func:`sciatrack.domain.sessions.player_plan`), the pauses and the words,
and lays the steps out itself. The exercise's own words (start position, numbered steps) come once; the
drawings' addresses come as two patterns; and each drawing's text alternative, which the drawings'
module makes from those same words (:mod:`sciatrack.outputs.figures`), comes as a pattern too when one
fits every exercise of the program, so no sentence is carried twice. Each pattern is checked here against
the module's own text for every drawing, and where one does not fit the texts are sent whole.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import json_script
from django.utils.safestring import SafeString

from sciatrack.content.schema import Exercise
from sciatrack.domain.programs import Program
from sciatrack.domain.session_log import RESPONSES, SYMPTOM_CHOICES
from sciatrack.domain.sessions import dose_numbers, exercise_needs, player_doses, player_plan
from sciatrack.outputs import figures

_SOME_STEP = 987654  # a step number no exercise has, to find where the number goes in an address


class CompactJSON(DjangoJSONEncoder):
    """JSON without the spaces after commas and colons."""

    item_separator = ","
    key_separator = ":"


def session_data(
    program: Program, library: Mapping[str, Exercise], program_uuid: str | None, save: bool
) -> dict[str, Any]:
    """Everything the session page's script reads (``program`` has at least one exercise)."""
    exercises = [library[exercise.id] for exercise in program.exercises]
    step_alt = step_alt_pattern(exercises)
    loop_alt = figure_alt_pattern(exercises)
    return {
        **player_plan(program),
        "exercises": {
            exercise.id: {
                "name": exercise.name,
                "start": entry.start_position,
                "steps": list(entry.steps),
                "needs": exercise_needs(entry),
                **{kind: dose_numbers(dose) for kind, dose in player_doses(exercise).items()},
                **_alts(entry, step_alt, loop_alt),
            }
            for exercise, entry in zip(program.exercises, exercises, strict=True)
        },
        "choices": [{"value": key.value, "label": label} for key, label in SYMPTOM_CHOICES.items()],
        "responses": {
            key.value: {"action": response.action.value, "message": response.message}
            for key, response in RESPONSES.items()
        },
        "program": program_uuid,
        "save": save,
        "figure_size": (figures.MAX_WIDTH, figures.MAX_HEIGHT),
        **figure_urls(program.exercises[0].id),
        "step_alt": step_alt,
        "figure_alt": loop_alt[0] if loop_alt else None,
    }


def as_script(data: dict[str, Any]) -> SafeString:
    """``data`` in a ``<script type="application/json" id="session-data">``, compact."""
    return json_script(data, "session-data", encoder=CompactJSON)


def figure_urls(exercise_id: str) -> dict[str, str]:
    """Where every exercise's drawings are, as patterns the page fills in (``{id}``, step ``{n}``)."""
    loop = reverse("exercise-figure", args=[exercise_id])
    step = reverse("exercise-step-figure", args=[exercise_id, _SOME_STEP])
    return {
        "figure_url": loop.replace(exercise_id, "{id}"),
        "step_figure_url": step.replace(exercise_id, "{id}").replace(str(_SOME_STEP), "{n}"),
    }


def _alts(
    exercise: Exercise, step_alt: str | None, loop_alt: tuple[str, dict[str, tuple[int, int]]] | None
) -> dict[str, Any]:
    """The exercise's text alternatives, or what the page needs to make them from the patterns."""
    alts: dict[str, Any] = {}
    if loop_alt is None:
        alts["figure_alt"] = figures.figure_alt(exercise)
    else:
        alts["figure_alt_at"] = loop_alt[1][exercise.id]
    if step_alt is None:
        alts["step_alts"] = [figures.step_alt(exercise, n) for n in range(1, len(exercise.steps) + 1)]
    return alts


def _plain(text: str) -> bool:
    return "{" not in text and "}" not in text


def step_alt_pattern(exercises: Sequence[Exercise]) -> str | None:
    """The one pattern (``{n}``, ``{name}``) that, followed by a step's own words, is the text
    alternative of every step's drawing of ``exercises``; None when no one pattern fits them all."""
    first = exercises[0]
    alt = figures.step_alt(first, 1)
    if not (_plain(alt) and _plain(first.name) and alt.endswith(first.steps[0])):
        return None
    pattern = alt.removesuffix(first.steps[0]).replace(first.name, "{name}").replace("1", "{n}")
    for exercise in exercises:
        for number, words in enumerate(exercise.steps, start=1):
            if pattern.format(n=number, name=exercise.name) + words != figures.step_alt(exercise, number):
                return None
    return pattern


def figure_alt_pattern(exercises: Sequence[Exercise]) -> tuple[str, dict[str, tuple[int, int]]] | None:
    """The one pattern (``{name}``, ``{start}``, ``{then}``) that makes the text alternative of every
    exercise's moving drawing, with where each exercise's pieces are: how much of its start position is
    ``{start}`` (in UTF-16 units, as the page's script counts), and which step's words (from 1) are
    ``{then}``. None when no one pattern fits them all."""
    patterns: set[str] = set()
    pieces: dict[str, tuple[str, int]] = {}
    for exercise in exercises:
        alt, start = figures.figure_alt(exercise), exercise.start_position
        then = max((n for n, words in enumerate(exercise.steps, 1) if alt.endswith(words)), default=0)
        size = next((size for size in range(len(start), 0, -1) if start[:size] in alt), 0)
        piece = start[:size].rstrip()  # the start position's first words, without the space after them
        if not (then and piece and _plain(alt) and _plain(exercise.name)):
            return None
        rest = alt.removesuffix(exercise.steps[then - 1]).replace(piece, "{start}", 1)
        patterns.add(rest.replace(exercise.name, "{name}", 1) + "{then}")
        pieces[exercise.id] = (piece, then)
    if len(patterns) != 1:
        return None
    pattern = patterns.pop()
    for exercise in exercises:
        start, then = pieces[exercise.id]
        made = pattern.format(name=exercise.name, start=start, then=exercise.steps[then - 1])
        if made != figures.figure_alt(exercise):
            return None
    return pattern, {key: (_utf16_length(start), then) for key, (start, then) in pieces.items()}


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
