"""``sciatrack reminders``: one or two daily calendar reminders (.ics) for the take-home program;
``sciatrack reminders send`` sends the e-mail and push reminders due now (:mod:`sciatrack.nudges`).

The calendar, as ``sciatrack handout``: ``--out`` and the reminder settings are checked before any work,
nothing is written when the triage rules out exercise, and the file is written whole or not at all.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING

from sciatrack.cli.common import (
    ANSWERS_HELP,
    EXIT_INVALID,
    EXIT_OK,
    add_command,
    add_emergency_number,
    first_line,
    no_program_written,
    nothing_written,
    out_problem,
    setup_django,
    triage_and_program,
    write_whole,
)

if TYPE_CHECKING:
    from sciatrack.cli.common import Commands


CALENDAR_OPTIONS = ("answers", "out", "first")


def run(args: argparse.Namespace) -> int:
    """Write daily calendar reminders (.ics) for the home program, or send those due now (send)."""
    if args.action == "send":
        return run_send(args)
    missing = [f"--{name}" for name in CALENDAR_OPTIONS if getattr(args, name) is None]
    if missing:
        print(
            f"sciatrack reminders: error: the following arguments are required: {', '.join(missing)}",
            file=sys.stderr,
        )
        return EXIT_INVALID
    return run_calendar(args)


def run_send(args: argparse.Namespace) -> int:
    """Send the e-mail and push reminders due now; each slot at most once, safe to run every minute."""
    setup_django()
    from sciatrack.nudges.sender import send_due

    report = send_due()
    if not args.quiet:
        print(
            f"Reminders: {report.sent} sent, {report.retry_later} to try again, {report.dropped} not sent, "
            f"{report.skipped} taken by another run"
        )
    return EXIT_OK


def run_calendar(args: argparse.Namespace) -> int:
    from sciatrack.outputs.reminders import ReminderError, build_reminders, check_tz, parse_settings

    problem = out_problem(args.out, (".ics",))
    if problem is not None:
        return nothing_written("reminders", problem)
    times, days, problems = parse_settings(args.first, args.second, args.days)
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
        return nothing_written("reminders", "bad reminder settings")
    built = triage_and_program(args, "reminders")
    if built is None:
        return EXIT_INVALID
    result, program = built
    if program is None:
        return no_program_written(result, "reminders")
    try:
        calendar = build_reminders(program, times, start, days, args.tz)
    except ReminderError as failure:
        return nothing_written("reminders", f"--{failure.field}: {failure.message}")
    problem = write_whole(args.out, calendar)
    if problem is not None:
        return nothing_written("reminders", problem)
    print(f"Wrote {len(times)} daily reminders for {days} days to {args.out}")
    return EXIT_OK


def add_to(commands: Commands) -> None:
    reminders = add_command(commands, "reminders", run)
    actions = reminders.add_subparsers(dest="action", metavar="[send]")
    send = actions.add_parser("send", help=first_line(run_send), description=first_line(run_send))
    send.add_argument("--quiet", action="store_true", help="print nothing (for cron)")
    reminders.set_defaults(action=None)
    # Without an action: the calendar file. Its three options are required then (checked in run).
    reminders.add_argument("--answers", metavar="FILE", help=f"{ANSWERS_HELP} (required for the calendar)")
    reminders.add_argument("--out", metavar="FILE", help="where to write the .ics file (required)")
    reminders.add_argument("--first", metavar="HH:MM", help="the time of the daily reminder (required)")
    reminders.add_argument("--second", metavar="HH:MM", help="the time of a second daily reminder (optional)")
    reminders.add_argument(
        "--days", metavar="N", help="how many days, 1 to 366 (default: 12 weeks, to the last follow-up check)"
    )
    reminders.add_argument("--start", metavar="YYYY-MM-DD", help="first day (default: today)")
    reminders.add_argument(
        "--tz", metavar="NAME", help="time zone, e.g. Europe/Berlin (default: your device's local time)"
    )
    add_emergency_number(reminders)
