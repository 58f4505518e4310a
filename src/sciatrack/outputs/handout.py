"""A person's exercise program as a printable handout: a standalone HTML page and a PDF made from it.

The handout is built from a :class:`~sciatrack.domain.programs.Program` and the triage result it follows
(the JSON of ``result_to_json``, which is also what the web app stores), plus the exercise library for
each exercise's purpose, steps and what to feel. The dosage is the program's own ``dosage_text`` (made by
``describe_dosage``), so a dose a clinician changed is printed as changed; a dose that is the project's own
carries the same mark as on the web page (``project_dose_note``). Each exercise shows its start and end
poses side by side (``figures.pair_svg``), as SVG put inline: a PDF cannot move, and the page loads
nothing from elsewhere (its CSS is inline, it has no images or fonts to fetch), so the PDF needs no
network. The drawing shows the usual position, so it is left out where pregnancy changes it.

Rendering uses Django templates, so Django must be set up (the ``sciatrack`` command does it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sciatrack.check.wording import TIER_SHORT
from sciatrack.content.danger_signs import load_danger_signs
from sciatrack.content.dosage_text import project_dose_note
from sciatrack.content.loader import load_exercises
from sciatrack.content.schema import Exercise
from sciatrack.domain.programs import LeftOut, Program, ProgramExercise
from sciatrack.domain.safety_update import danger_signs
from sciatrack.domain.triage import DEFAULT_EMERGENCY_NUMBER, Where, place_advice
from sciatrack.outputs.figures import pair_svg

TEMPLATE = "care/handout.html"
PDF_FILENAME = "sciatrack-handout.pdf"

# When to stop and when to get help, in plain words. The exercises' own stop rules follow each exercise.
STOP_AND_REST = (
    "Stop the exercise you are doing if it brings back your usual leg pain, or if pain, numbness or "
    "tingling spreads further down your leg than before you started. Rest, and tell your clinician if it "
    "does not settle within a day."
)


@dataclass(frozen=True)
class HandoutExercise:
    """One exercise as the handout prints it."""

    number: int
    name: str
    purpose: str
    start_position: str
    steps: tuple[str, ...]
    dosage_text: str
    dosage_note: str  # the mark of a project's own dose with its reason; "" for a dose from the source
    feel: tuple[str, ...]
    do_not_feel: tuple[str, ...]
    stop_rules: tuple[str, ...]
    cautions: tuple[str, ...]
    pregnancy_note: str | None = None  # in pregnancy, how to do a back-lying exercise on the side
    figure_svg: str = ""  # the start and end poses side by side, inline SVG; "" where not drawn


def handout_exercise(number: int, exercise: ProgramExercise, detail: Exercise) -> HandoutExercise:
    """The printed form of one program exercise; ``detail`` is its library entry."""
    return HandoutExercise(
        number=number,
        name=exercise.name,
        purpose=detail.purpose,
        start_position=detail.start_position,
        steps=tuple(detail.steps),
        dosage_text=exercise.dosage_text[:1].upper() + exercise.dosage_text[1:],
        dosage_note=project_dose_note(exercise.dosage),
        feel=tuple(detail.feel),
        do_not_feel=tuple(detail.do_not_feel),
        stop_rules=exercise.stop_rules,
        cautions=exercise.cautions,
        pregnancy_note=exercise.pregnancy_note,
        figure_svg=pair_svg(detail, inline=True).svg if exercise.pregnancy_note is None else "",
    )


def handout_context(
    program: Program,
    result: Mapping[str, Any],
    on: date,
    library: Mapping[str, Exercise] | None = None,
    web: bool = False,
) -> dict[str, Any]:
    """Everything the handout template shows, for ``program`` on the day ``on``.

    ``result`` is the triage result as JSON (``result_to_json``); its tier, headline, advice lines and
    emergency number head the handout. ``web`` adds the links that only make sense in a browser.
    """
    library = library if library is not None else load_exercises()
    advice = result.get("advice") or {}
    tier = str(result.get("tier", ""))
    exercises = [
        handout_exercise(number, exercise, library[exercise.id])
        for number, exercise in enumerate(program.exercises, start=1)
        if exercise.id in library
    ]
    left_out: list[LeftOut] = list(program.left_out)
    return {
        "title": "Your home exercise program",
        "date": on,
        "tier": tier,
        "tier_name": TIER_SHORT.get(tier, tier),
        "headline": advice.get("headline", ""),
        "where_label": advice.get("where", ""),
        "todo": list(advice.get("what_to_do_now", [])),
        "stop_and_rest": STOP_AND_REST,
        "danger_signs_advice": load_danger_signs().advice,
        "get_help_now": danger_signs(),
        # A sign marked emergency sends the person where the emergency tier does, in its own words.
        "emergency_advice": place_advice(
            Where.EMERGENCY_DEPARTMENT_NOW, str(advice.get("emergency_number") or DEFAULT_EMERGENCY_NUMBER)
        ),
        "exercises": exercises,
        "left_out": left_out,
        "pregnancy_warning": program.pregnancy_warning,
        "web": web,
    }


def render_handout_html(
    program: Program,
    result: Mapping[str, Any],
    on: date,
    library: Mapping[str, Exercise] | None = None,
    web: bool = False,
) -> str:
    """The handout as a standalone HTML page (see :func:`handout_context` for the arguments)."""
    from django.template.loader import render_to_string

    return render_to_string(TEMPLATE, handout_context(program, result, on, library, web))


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of a standalone HTML page, printed with its A4 print styles by WeasyPrint."""
    import weasyprint

    pdf = weasyprint.HTML(string=html).write_pdf()
    if not isinstance(pdf, bytes):  # write_pdf returns bytes when given no target
        raise TypeError("WeasyPrint returned no PDF")
    return pdf


def render_handout_pdf(
    program: Program,
    result: Mapping[str, Any],
    on: date,
    library: Mapping[str, Exercise] | None = None,
) -> bytes:
    """The handout as PDF bytes: the HTML page without its browser-only links, printed on A4."""
    return html_to_pdf(render_handout_html(program, result, on, library, web=False))
