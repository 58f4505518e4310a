"""``sciatrack program``: the home exercise program for an intake, with what was left out and why."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from sciatrack.cli.common import EXIT_INVALID, EXIT_OK, add_intake_command, read_intake

if TYPE_CHECKING:
    from sciatrack.cli.common import Commands


def run(args: argparse.Namespace) -> int:
    """Build the home exercise program for an intake, with what was left out and why."""
    import json

    from sciatrack.domain.programs import build_program, program_to_json
    from sciatrack.domain.triage import result_to_json, triage
    from sciatrack.outputs.program_text import format_program

    answers = read_intake(args.answers, "program")
    if answers is None:
        return EXIT_INVALID
    result = triage(answers, emergency_number=args.emergency_number)
    program = build_program(answers, result)
    if args.json:
        document = {"triage": result_to_json(result), "program": program_to_json(program)}
        print(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        print(format_program(result, program))
    return EXIT_OK


def add_to(commands: Commands) -> None:
    add_intake_command(commands, "program", run)
