"""A program as plain text for the terminal: the triage first, then each exercise with its dosage."""

from __future__ import annotations

from sciatrack.content.dosage_text import project_dose_note
from sciatrack.domain.programs import Program
from sciatrack.domain.triage import TriageResult
from sciatrack.outputs.triage_text import _wrap, format_danger_signs, format_triage


def format_program(result: TriageResult, program: Program | None) -> str:
    """The triage summary, then the program or why there is none."""
    lines = [format_triage(result), "", "=" * 40, ""]
    if program is None:
        lines.append("No home program: follow the advice above first. Exercise waits until a clinician")
        lines.append("has seen you and says it is safe.")
        return "\n".join(lines)
    lines.append("Your home program:")
    lines += ["", *format_danger_signs()]  # the exercises' stop rules say they are listed with the program
    lines += format_pregnancy(program)
    for number, exercise in enumerate(program.exercises, start=1):
        lines += ["", f"{number}. {exercise.name}", _wrap(exercise.dosage_text, bullet="")]
        if note := project_dose_note(exercise.dosage):
            lines.append(_wrap(note, bullet=""))
        lines += [_wrap(rule, indent="    ") for rule in exercise.stop_rules]
    if program.left_out:
        lines += ["", "Left out for now:"]
        lines += [_wrap(f"{item.name}: {item.reason}") for item in program.left_out]
    return "\n".join(lines)


def format_pregnancy(program: Program) -> list[str]:
    """In pregnancy, the warning signs and how to do the back-lying exercises on the side; else nothing."""
    warning = program.pregnancy_warning
    if warning is None:
        return []
    lines = ["", _wrap(warning.action, bullet="")]
    lines += [_wrap(sign) for sign in warning.signs]
    for exercise in program.exercises:
        if exercise.pregnancy_note:
            lines += ["", _wrap(f"{exercise.name}: {exercise.pregnancy_note}", bullet="")]
    return lines
