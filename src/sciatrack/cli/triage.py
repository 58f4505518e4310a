"""``sciatrack triage``: the tier, every reason and what to do now for an intake."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from sciatrack.cli.common import EXIT_INVALID, EXIT_OK, add_intake_command, read_intake

if TYPE_CHECKING:
    from sciatrack.cli.common import Commands


def run(args: argparse.Namespace) -> int:
    """Triage an intake (sciatrack.intake/1 JSON): the tier, every reason and what to do now."""
    import json

    from sciatrack.domain.triage import result_to_json, triage
    from sciatrack.outputs.triage_text import format_triage

    answers = read_intake(args.answers, "triage")
    if answers is None:
        return EXIT_INVALID
    result = triage(answers, emergency_number=args.emergency_number)
    if args.json:
        print(json.dumps(result_to_json(result), indent=2, ensure_ascii=False))
    else:
        print(format_triage(result))
    return EXIT_OK


def add_to(commands: Commands) -> None:
    add_intake_command(commands, "triage", run)
