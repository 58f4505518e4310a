"""The ``sciatrack`` command: one entry point for running, loading and checking Sciatrack.

Each sub-command is a small function; Django is set up only by the commands that need it, so
``sciatrack content check`` and ``--help`` stay fast and work without a database.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sciatrack.domain.intake import IntakeAnswers

EXIT_OK = 0
EXIT_INVALID = 2


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sciatrack.settings")
    import django

    django.setup()


def ensure_var_dir() -> None:
    from django.conf import settings

    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)


def default_workers() -> int:
    """Two worker processes per CPU and one more (gunicorn's advice), at most 12.

    The cap keeps the database connections (one per worker) well inside PostgreSQL's default limit.
    """
    return min(2 * (os.cpu_count() or 1) + 1, 12)


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the app with gunicorn on ``--host``:``--port`` (one request at a time per worker process).

    Single-threaded ("sync") workers by default: each request has a CPU of its own instead of sharing
    one process's GIL with the other threads, so answers come sooner and more evenly, and SQLite writers
    in one process no longer wait on each other. They do not keep connections alive and a slow client
    holds a worker, so they belong behind a buffering proxy (nginx, Caddy), as a production server is
    anyway for TLS. ``--threads`` above 1 gives gunicorn's threaded workers instead.

    Django's system checks run first, as ``runserver`` runs them: any error (such as no emergency number
    with ``DEBUG`` off) stops it before gunicorn starts. With ``DEBUG`` off it then collects the static
    files when they changed (:mod:`sciatrack.static_files`): every page names them by their hashed names.
    """
    setup_django()
    from django.conf import settings

    if not system_checks_pass("serve"):
        return EXIT_INVALID
    ensure_var_dir()
    if not settings.DEBUG:
        from sciatrack.static_files import collect_static_files

        collect_static_files()  # before the app loads: WhiteNoise reads the folder then
    from gunicorn.app.base import BaseApplication

    from sciatrack.wsgi import application

    class Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", args.workers)
            self.cfg.set("threads", args.threads)
            # gunicorn itself switches to threaded ("gthread") workers when threads > 1.
            self.cfg.set("worker_class", "sync")
            self.cfg.set("accesslog", "-" if args.access_log else None)

        def load(self) -> object:
            return application

    print(f"Sciatrack is serving on http://{args.host}:{args.port}/ (Ctrl+C to stop)", flush=True)
    print(f"The emergency advice tells people to call {settings.SCIATRACK_EMERGENCY_NUMBER}.", flush=True)
    Server().run()
    return EXIT_OK


def listening_port(text: str) -> int:
    """A TCP port from ``--port`` or ``$PORT``: ASCII digits, 0 (any free port) to 65535."""
    from sciatrack.domain.plain_input import whole_number

    port = whole_number(text, 0, 65535)
    if port is None:
        raise argparse.ArgumentTypeError(
            f"the port (--port or $PORT) must be a whole number from 0 to 65535, not {text!r}"
        )
    return port


def system_checks_pass(command: str) -> bool:
    """Django's system checks, as ``runserver`` runs them; False after printing any error to stderr."""
    from django.core import checks

    errors = [m for m in checks.run_checks() if m.is_serious() and not m.is_silenced()]
    if errors:
        print(f"sciatrack {command}: refusing to start:", *errors, sep="\n", file=sys.stderr)
    return not errors


def cmd_migrate(args: argparse.Namespace) -> int:
    """Create or update the database tables (after the system checks: a migration may triage stored
    checks again, and needs the emergency number for their advice)."""
    setup_django()
    if not system_checks_pass("migrate"):
        return EXIT_INVALID
    ensure_var_dir()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=args.verbosity)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    """Load the demo clinic, clinician and patient; running it twice changes nothing."""
    setup_django()
    from django.conf import settings

    from sciatrack.demo import load_demo

    if not settings.DEBUG and not args.allow_production:
        print(
            "sciatrack demo: refusing to create accounts with published passwords while DEBUG is off; "
            "pass --allow-production if this really is a throw-away server",
            file=sys.stderr,
        )
        return EXIT_INVALID
    for line in load_demo():
        print(line)
    return EXIT_OK


def cmd_content_check(args: argparse.Namespace) -> int:
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


def read_answers(path: str) -> object:
    """The JSON in ``path`` (``-`` for standard input); raises ValueError naming the file on bad JSON."""
    import json
    from pathlib import Path

    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ValueError(f"--answers: cannot read {path!r}: {error.strerror}") from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(
            f"--answers: {path!r} is not valid JSON: {error.msg} at line {error.lineno}"
        ) from error


def read_intake(path: str, command: str) -> IntakeAnswers | None:
    """The parsed intake in ``path``, or None after printing every problem to stderr."""
    from sciatrack.domain.intake import IntakeError, parse_intake

    try:
        return parse_intake(read_answers(path))
    except IntakeError as error:
        for problem in error.problems:
            print(f"{problem.field}: {problem.message}", file=sys.stderr)
        print(f"sciatrack {command}: {path} is not a valid intake; nothing was done", file=sys.stderr)
    except ValueError as error:
        print(f"sciatrack {command}: {error}", file=sys.stderr)
    return None


def cmd_triage(args: argparse.Namespace) -> int:
    """Triage an intake (sciatrack.intake/1 JSON): the tier, every reason and what to do now."""
    import json

    from sciatrack.domain.triage import result_to_json, triage
    from sciatrack.triage_text import format_triage

    answers = read_intake(args.answers, "triage")
    if answers is None:
        return EXIT_INVALID
    result = triage(answers, emergency_number=args.emergency_number)
    if args.json:
        print(json.dumps(result_to_json(result), indent=2, ensure_ascii=False))
    else:
        print(format_triage(result))
    return EXIT_OK


def cmd_program(args: argparse.Namespace) -> int:
    """Build the home exercise program for an intake, with what was left out and why."""
    import json

    from sciatrack.domain.programs import build_program, program_to_json
    from sciatrack.domain.triage import result_to_json, triage
    from sciatrack.program_text import format_program

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


def cmd_session(args: argparse.Namespace) -> int:
    """Play a guided exercise session in the terminal and log it (the log the browser sends)."""
    from sciatrack.terminal_session import run_session_command

    return run_session_command(args)


def cmd_handout(args: argparse.Namespace) -> int:
    """Write a printable handout of the home program (PDF, or HTML with --html)."""
    from sciatrack.takehome_cli import run_handout_command

    return run_handout_command(args)


def cmd_report(args: argparse.Namespace) -> int:
    """Write a patient's progress report for their clinician (PDF), or their data (CSV)."""
    from sciatrack.report_cli import run_report_command

    return run_report_command(args)


def cmd_reminders(args: argparse.Namespace) -> int:
    """Write calendar reminders (.ics) for each exercise of the home program."""
    from sciatrack.takehome_cli import run_reminders_command

    return run_reminders_command(args)


def cmd_registry_generate(args: argparse.Namespace) -> int:
    """Fill the database with a synthetic outcome registry (clinics, cases, follow-ups, weekly activity)."""
    setup_django()
    ensure_var_dir()
    from sciatrack.registry.generate import run_generate_command

    return run_generate_command(args)


def cmd_registry_report(args: argparse.Namespace) -> int:
    """Print the outcome registry's figures for a cohort (the whole network by default)."""
    setup_django()
    ensure_var_dir()
    from sciatrack.registry.report_cli import run_report_command

    return run_report_command(args)


def cmd_registry_refresh(args: argparse.Namespace) -> int:
    """Bring the registry's summary table up to date (only stale cases, or all with --full)."""
    setup_django()
    ensure_var_dir()
    from sciatrack.registry.summary import rebuild_all, refresh_stale

    count = rebuild_all() if args.full else refresh_stale()
    print(f"refreshed {count} registry cases")
    return EXIT_OK


def cmd_manage(args: argparse.Namespace) -> int:
    """Run any Django management command, e.g. ``sciatrack manage createsuperuser``."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sciatrack manage", *args.arguments])
    return EXIT_OK


def add_emergency_number(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--emergency-number",
        default=os.environ.get("SCIATRACK_EMERGENCY_NUMBER", "911"),
        help="the number to call in an emergency (default: $SCIATRACK_EMERGENCY_NUMBER or 911)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sciatrack", description="Sciatrack: sciatica care you can run yourself."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(
        name: str, handler: Callable[[argparse.Namespace], int], **kwargs: object
    ) -> argparse.ArgumentParser:
        doc = (handler.__doc__ or "").strip().splitlines()[0]
        sub = commands.add_parser(name, help=doc, description=doc, **kwargs)  # type: ignore[arg-type]
        sub.set_defaults(handler=handler)
        return sub

    serve = add("serve", cmd_serve)
    serve.add_argument(
        "--host",
        default=os.environ.get("HOST") or "127.0.0.1",
        help="address to listen on (default: $HOST or 127.0.0.1)",
    )
    serve.add_argument(
        "--port",
        type=listening_port,
        # argparse passes a text default through ``type`` too, so a bad $PORT is named like a bad --port.
        default=os.environ.get("PORT") or "8000",
        help="port to listen on (default: $PORT or 8000)",
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=default_workers(),
        help="worker processes (default: 2 per CPU plus 1, at most 12)",
    )
    serve.add_argument(
        "--threads",
        type=int,
        default=1,
        help="threads per worker (default 1; more gives threaded workers, for use without a proxy)",
    )
    serve.add_argument("--access-log", action="store_true", help="log every request to stdout")

    migrate = add("migrate", cmd_migrate)
    migrate.add_argument("--verbosity", type=int, default=1, choices=[0, 1, 2, 3])

    demo = add("demo", cmd_demo)
    demo.add_argument(
        "--allow-production", action="store_true", help="load demo accounts even with DEBUG off"
    )

    content = commands.add_parser("content", help="work with the clinical content files")
    content_commands = content.add_subparsers(dest="content_command", required=True, metavar="ACTION")
    check = content_commands.add_parser(
        "check", help=cmd_content_check.__doc__, description=cmd_content_check.__doc__
    )
    check.add_argument("--root", help="content folder to check (default: the one shipped with Sciatrack)")
    check.set_defaults(handler=cmd_content_check)

    registry = commands.add_parser("registry", help="the outcome registry across clinics")
    registry_commands = registry.add_subparsers(dest="registry_command", required=True, metavar="ACTION")
    for name, handler in (
        ("generate", cmd_registry_generate),
        ("report", cmd_registry_report),
        ("refresh", cmd_registry_refresh),
    ):
        doc = (handler.__doc__ or "").strip().splitlines()[0]
        registry_commands.add_parser(name, help=doc, description=doc).set_defaults(handler=handler)
    registry_commands.choices["refresh"].add_argument(
        "--full", action="store_true", help="recompute every case, not only the stale ones"
    )
    # Each module adds its own options: sciatrack.registry.generate and sciatrack.registry.report_cli.
    from sciatrack.registry.options import add_generate_options, add_report_options

    add_generate_options(registry_commands.choices["generate"])
    add_report_options(registry_commands.choices["report"])

    for name, handler in (("triage", cmd_triage), ("program", cmd_program)):
        command = add(name, handler)
        command.add_argument(
            "--answers", required=True, metavar="FILE", help="intake JSON file, or - for stdin"
        )
        command.add_argument("--json", action="store_true", help="print the result as JSON (spec section 4)")
        add_emergency_number(command)

    session = add("session", cmd_session)
    session.add_argument("--answers", required=True, metavar="FILE", help="intake JSON file, or - for stdin")
    session.add_argument("--voice", action="store_true", help="speak each step with espeak-ng, if installed")
    session.add_argument("--log", metavar="FILE", help="write the session log (JSON) to FILE")
    session.add_argument(
        "--speed", default="1", metavar="N", help="run N times faster, 1 to 1000 (default 1)"
    )
    add_emergency_number(session)

    answers_help = "intake JSON file, or - for stdin"
    handout = add("handout", cmd_handout)
    handout.add_argument("--answers", required=True, metavar="FILE", help=answers_help)
    handout.add_argument("--out", required=True, metavar="FILE", help="where to write: a .pdf (or .html)")
    handout.add_argument("--html", action="store_true", help="write the HTML page instead of a PDF")
    add_emergency_number(handout)

    report = add("report", cmd_report)
    report.add_argument("--patient", required=True, metavar="ID", help="patient id, UUID or username")
    report.add_argument(
        "--out", required=True, metavar="FILE", help="where to write: a .pdf report or .csv data"
    )

    reminders = add("reminders", cmd_reminders)
    reminders.add_argument("--answers", required=True, metavar="FILE", help=answers_help)
    reminders.add_argument("--out", required=True, metavar="FILE", help="where to write the .ics file")
    reminders.add_argument("--wake", required=True, metavar="HH:MM", help="when you usually get up")
    reminders.add_argument("--sleep", required=True, metavar="HH:MM", help="when you usually go to bed")
    reminders.add_argument("--days", default="28", metavar="N", help="how many days, 1 to 366 (default 28)")
    reminders.add_argument("--start", metavar="YYYY-MM-DD", help="first day (default: today)")
    reminders.add_argument(
        "--tz", metavar="NAME", help="time zone, e.g. Europe/Berlin (default: your device's local time)"
    )
    add_emergency_number(reminders)

    manage = add("manage", cmd_manage)
    manage.add_argument("arguments", nargs=argparse.REMAINDER, help="the management command and its options")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
