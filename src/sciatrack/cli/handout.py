"""``sciatrack handout``: the take-home program as a printable file (PDF, or HTML with ``--html``).

It reads an intake, triages it and builds the program as ``sciatrack program`` does. When the triage rules
out exercise it prints why and exits 0 without writing anything. ``--out`` is checked before any work: a
wrong suffix or a place that cannot be written is an error naming ``--out`` (exit 2), and the file is
written whole or not at all.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING

from sciatrack.cli.common import (
    ANSWERS_HELP,
    EXIT_INVALID,
    EXIT_OK,
    add_command,
    add_emergency_number,
    no_program_written,
    nothing_written,
    out_problem,
    setup_django,
    triage_and_program,
    write_whole,
)

if TYPE_CHECKING:
    from sciatrack.cli.common import Commands


def run(args: argparse.Namespace) -> int:
    """Write a printable handout of the home program (PDF, or HTML with --html)."""
    suffixes = (".html", ".htm") if args.html else (".pdf",)
    problem = out_problem(args.out, suffixes)
    if problem is not None:
        hint = " (or use --html for an .html file)" if problem.endswith(".pdf") else ""
        return nothing_written("handout", problem + hint)
    built = triage_and_program(args, "handout")
    if built is None:
        return EXIT_INVALID
    result, program = built
    if program is None:
        return no_program_written(result, "handout")
    from sciatrack.domain.triage import result_to_json
    from sciatrack.outputs.handout import html_to_pdf, render_handout_html

    setup_django()
    html = render_handout_html(program, result_to_json(result), date.today())
    data = html.encode("utf-8") if args.html else html_to_pdf(html)
    problem = write_whole(args.out, data)
    if problem is not None:
        return nothing_written("handout", problem)
    print(f"Wrote your handout ({len(program.exercises)} exercises) to {args.out}")
    return EXIT_OK


def add_to(commands: Commands) -> None:
    handout = add_command(commands, "handout", run)
    handout.add_argument("--answers", required=True, metavar="FILE", help=ANSWERS_HELP)
    handout.add_argument("--out", required=True, metavar="FILE", help="where to write: a .pdf (or .html)")
    handout.add_argument("--html", action="store_true", help="write the HTML page instead of a PDF")
    add_emergency_number(handout)
