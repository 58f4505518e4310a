"""``sciatrack content check``: validate the clinical content files."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from sciatrack.cli.common import EXIT_INVALID, EXIT_OK, add_command

if TYPE_CHECKING:
    from sciatrack.cli.common import Commands


def run_check(args: argparse.Namespace) -> int:
    """Validate every content file; print each problem with its file and field; exit 2 on any."""
    from pathlib import Path

    from sciatrack.content.check import check_content

    problems = check_content(Path(args.root) if args.root else None)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found in the clinical content", file=sys.stderr)
        return EXIT_INVALID
    print("content OK")
    return EXIT_OK


def add_to(commands: Commands) -> None:
    content = commands.add_parser("content", help="work with the clinical content files")
    actions = content.add_subparsers(dest="content_command", required=True, metavar="ACTION")
    check = add_command(actions, "check", run_check)
    check.add_argument("--root", help="content folder to check (default: the one shipped with Sciatrack)")
