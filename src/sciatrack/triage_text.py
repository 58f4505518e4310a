"""A triage result as plain text for the terminal: the tier, what to do now, and every reason."""

from __future__ import annotations

import textwrap

from sciatrack.care.wording import PATTERN_LABELS, TIER_SHORT
from sciatrack.domain.triage import TriageResult

WIDTH = 88


def _wrap(text: str, indent: str = "  ", bullet: str = "- ") -> str:
    return textwrap.fill(
        text, WIDTH, initial_indent=indent + bullet, subsequent_indent=indent + " " * len(bullet)
    )


def format_triage(result: TriageResult) -> str:
    """Everything a person or clinician needs from the result, most urgent first, in plain words."""
    lines = [
        f"{TIER_SHORT[result.tier.value]}: {result.advice.headline}",
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
    lines += ["", _wrap(PATTERN_LABELS[result.mckenzie_pattern.value], indent="", bullet="")]
    return "\n".join(lines)
