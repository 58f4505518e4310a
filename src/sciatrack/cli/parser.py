"""The ``sciatrack`` command line: every sub-command, in the order ``sciatrack --help`` lists them.

Each sub-command is a module of this package with ``add_to`` (its options) and ``run``. Django is set up
only by the commands that need it, so ``sciatrack content check`` and ``--help`` stay fast and work
without a database.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from sciatrack.cli import (
    content,
    demo,
    fhir,
    handout,
    manage,
    migrate,
    program,
    registry,
    reminders,
    report,
    serve,
    session,
    triage,
)

COMMANDS = (
    serve,
    migrate,
    demo,
    content,
    registry,
    triage,
    program,
    session,
    handout,
    report,
    fhir,
    reminders,
    manage,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sciatrack", description="Sciatrack: sciatica care you can run yourself."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.add_to(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.handler(args))
