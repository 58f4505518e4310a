"""``sciatrack handout`` and ``sciatrack reminders``: the take-home program as a file.

Both read an intake, triage it and build the program as ``sciatrack program`` does. When the triage rules
out exercise they print why and exit 0 without writing anything. ``--out`` is checked before any work:
a wrong suffix or a place that cannot be written is an error naming ``--out`` (exit 2), and the file is
written whole or not at all (a temporary file next to it is renamed into place).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sciatrack.domain.programs import Program
    from sciatrack.domain.triage import TriageResult

EXIT_OK = 0
EXIT_INVALID = 2


def out_problem(path: str, suffixes: tuple[str, ...]) -> str | None:
    """Why ``path`` cannot take the output, or None when it can."""
    target = Path(path)
    if target.suffix.lower() not in suffixes:
        return f"--out: {path!r} must end in {' or '.join(suffixes)}"
    if target.is_dir():
        return f"--out: {path!r} is a folder; give a file name"
    folder = target.parent
    if not folder.is_dir():
        return f"--out: the folder {str(folder)!r} does not exist"
    if not os.access(folder, os.W_OK | os.X_OK) or (target.exists() and not os.access(target, os.W_OK)):
        return f"--out: cannot write to {path!r} (permission denied)"
    return None


def write_whole(path: str, data: bytes) -> str | None:
    """Write ``data`` to ``path`` through a temporary file; the error (naming --out) or None."""
    target = Path(path)
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it private; give it a normal file's mode
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        return f"--out: cannot write {path!r}: {error.strerror}"
    return None


def _program(args: argparse.Namespace, command: str) -> tuple[TriageResult, Program | None] | None:
    """Triage and program of ``--answers``; None (problems already printed) when the intake is bad."""
    from sciatrack.cli import read_intake
    from sciatrack.domain.programs import build_program
    from sciatrack.domain.triage import triage

    answers = read_intake(args.answers, command)
    if answers is None:
        return None
    result = triage(answers, emergency_number=args.emergency_number)
    return result, build_program(answers, result)


def _no_program(result: TriageResult, what: str) -> int:
    print(f"No {what} written: your check says {result.advice.headline!r}.")
    for line in result.advice.what_to_do_now:
        print(f"  - {line}")
    print("Exercise waits until a clinician has seen you and says it is safe.")
    return EXIT_OK


def _fail(command: str, message: str) -> int:
    print(f"sciatrack {command}: {message}; nothing was written", file=sys.stderr)
    return EXIT_INVALID


def run_handout_command(args: argparse.Namespace) -> int:
    """Write the printable handout of the program for ``--answers`` to ``--out`` (PDF, or HTML)."""
    suffixes = (".html", ".htm") if args.html else (".pdf",)
    problem = out_problem(args.out, suffixes)
    if problem is not None:
        hint = " (or use --html for an .html file)" if problem.endswith(".pdf") else ""
        return _fail("handout", problem + hint)
    built = _program(args, "handout")
    if built is None:
        return EXIT_INVALID
    result, program = built
    if program is None:
        return _no_program(result, "handout")
    from sciatrack.cli import setup_django
    from sciatrack.domain.triage import result_to_json
    from sciatrack.handout import html_to_pdf, render_handout_html

    setup_django()
    html = render_handout_html(program, result_to_json(result), date.today())
    data = html.encode("utf-8") if args.html else html_to_pdf(html)
    problem = write_whole(args.out, data)
    if problem is not None:
        return _fail("handout", problem)
    print(f"Wrote your handout ({len(program.exercises)} exercises) to {args.out}")
    return EXIT_OK


def run_reminders_command(args: argparse.Namespace) -> int:
    """Write calendar reminders (.ics) for each exercise of the program for ``--answers`` to ``--out``."""
    from sciatrack.reminders import ReminderError, build_reminders, check_tz, parse_settings

    problem = out_problem(args.out, (".ics",))
    if problem is not None:
        return _fail("reminders", problem)
    wake, sleep, days, problems = parse_settings(args.wake, args.sleep, args.days)
    try:
        start = date.fromisoformat(args.start) if args.start else date.today()
    except ValueError:
        problems = [*problems, ReminderError("start", f"{args.start!r} is not a date; give YYYY-MM-DD")]
    try:
        check_tz(args.tz)
    except ReminderError as zone_error:
        problems = [*problems, zone_error]
    if problems:
        for each in problems:
            print(f"--{each.field}: {each.message}", file=sys.stderr)
        return _fail("reminders", "bad reminder settings")
    built = _program(args, "reminders")
    if built is None:
        return EXIT_INVALID
    result, program = built
    if program is None:
        return _no_program(result, "reminders")
    try:
        calendar = build_reminders(program, wake, sleep, start, days, args.tz)
    except ReminderError as failure:
        return _fail("reminders", f"--{failure.field}: {failure.message}")
    problem = write_whole(args.out, calendar)
    if problem is not None:
        return _fail("reminders", problem)
    print(f"Wrote reminders for {len(program.exercises)} exercises over {days} days to {args.out}")
    return EXIT_OK
