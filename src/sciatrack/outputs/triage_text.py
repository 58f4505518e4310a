"""A triage result as plain text for the terminal: the tier, what to do now, and every reason; and the
danger signs as the terminal lists them."""

from __future__ import annotations

import textwrap

from sciatrack.check.wording import PATTERN_LABELS, TIER_SHORT
from sciatrack.content.danger_signs import load_danger_signs
from sciatrack.domain.safety_update import danger_signs
from sciatrack.domain.triage import TriageResult

WIDTH = 88


def _wrap(text: str, indent: str = "  ", bullet: str = "- ") -> str:
    return textwrap.fill(
        text, WIDTH, initial_indent=indent + bullet, subsequent_indent=indent + " " * len(bullet)
    )


def format_triage(result: TriageResult) -> str:
    """Everything a person or clinician needs from the result, most urgent first, in plain words."""
    lines = [
        f"{TIER_SHORT[result.tier]}: {result.advice.headline}",
        f"Where to go: {result.advice.where_label}",
        "",
        "What to do now:",
    ]
    lines += [_wrap(step) for step in result.advice.what_to_do_now]
    lines.append("")
    if result.not_asked_notice:
        lines += [_wrap(result.not_asked_notice, indent="", bullet=""), ""]
    if result.matched:
        lines.append("Why:")
        lines += [_wrap(f"{match.reason} [{match.id}]") for match in result.matched]
    else:
        lines.append("Why: none of the danger signs we ask about were reported.")
    lines.append("")
    lines.append(
        "Exercise: "
        + (
            "the home program is allowed."
            if result.exercise_allowed
            else "not until a clinician has seen you."
        )
    )
    if result.conditions_to_discuss:
        lines += ["", "To discuss with a clinician (not a diagnosis):"]
        for condition in result.conditions_to_discuss:
            lines.append(_wrap(condition.name))
            lines += [_wrap(clue, indent="    ") for clue in condition.because]
    if result.nerve_root_hint is not None:
        lines += ["", _wrap(result.nerve_root_hint.text, indent="", bullet="")]
    lines += ["", _wrap(PATTERN_LABELS[result.mckenzie_pattern], indent="", bullet="")]
    return "\n".join(lines)


def format_danger_signs(width: int = WIDTH) -> list[str]:
    """The danger signs as every page lists them: the advice once, then each sign, those that alone mean
    the emergency department now marked (the words are ``content/danger_signs.yaml``'s)."""
    words = load_danger_signs()
    lines = [textwrap.fill(f"Danger signs: {words.advice}", width, break_on_hyphens=False)]
    for sign in danger_signs():
        text = f"{sign.label} ({words.emergency_mark})" if sign.emergency_alone else sign.label
        lines.append(
            textwrap.fill(
                text, width, initial_indent="  - ", subsequent_indent="    ", break_on_hyphens=False
            )
        )
    return lines
