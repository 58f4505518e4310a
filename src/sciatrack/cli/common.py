"""What every ``sciatrack`` sub-command shares: the exit codes, setting up Django, reading an intake, and
writing an output file whole.

Only the standard library is imported here at load time, so ``sciatrack --help`` and ``sciatrack content
check`` stay fast and work without a database.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sciatrack.domain.intake import IntakeAnswers
    from sciatrack.domain.programs import Program
    from sciatrack.domain.triage import TriageResult

    # argparse names no public type for what add_subparsers returns.
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]

EXIT_OK = 0
EXIT_FAILED = 1  # our fault, not the input's: a file we made did not check out or could not be written
EXIT_INVALID = 2  # the input was wrong (an option, the intake, the settings); nothing was done

ANSWERS_HELP = "intake JSON file, or - for stdin"

Handler = Callable[[argparse.Namespace], int]


def first_line(handler: Handler) -> str:
    """The first line of a command's docstring: its help in ``sciatrack --help``."""
    return (handler.__doc__ or "").strip().splitlines()[0]


def add_command(commands: Commands, name: str, handler: Handler) -> argparse.ArgumentParser:
    """A sub-command that runs ``handler``, described by the first line of its docstring."""
    doc = first_line(handler)
    command = commands.add_parser(name, help=doc, description=doc)
    command.set_defaults(handler=handler)
    return command


def add_intake_command(commands: Commands, name: str, handler: Handler) -> argparse.ArgumentParser:
    """A sub-command that reads an intake and prints its result, as text or as JSON."""
    command = add_command(commands, name, handler)
    command.add_argument("--answers", required=True, metavar="FILE", help=ANSWERS_HELP)
    command.add_argument("--json", action="store_true", help="print the result as JSON (spec section 4)")
    add_emergency_number(command)
    return command


def add_emergency_number(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--emergency-number",
        default=os.environ.get("SCIATRACK_EMERGENCY_NUMBER", "911"),
        help="the number to call in an emergency (default: $SCIATRACK_EMERGENCY_NUMBER or 911)",
    )


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sciatrack.settings")
    import django

    django.setup()


def ensure_var_dir() -> None:
    from django.conf import settings

    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)


def system_checks_pass(command: str) -> bool:
    """Django's system checks, as ``runserver`` runs them; False after printing any error to stderr."""
    from django.core import checks

    errors = [m for m in checks.run_checks() if m.is_serious() and not m.is_silenced()]
    if errors:
        print(f"sciatrack {command}: refusing to start:", *errors, sep="\n", file=sys.stderr)
    return not errors


def read_answers(path: str) -> object:
    """The JSON in ``path`` (``-`` for standard input); raises ValueError naming the file on bad JSON."""
    import json

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


def triage_and_program(args: argparse.Namespace, command: str) -> tuple[TriageResult, Program | None] | None:
    """Triage and program of ``--answers``; None (problems already printed) when the intake is bad."""
    from sciatrack.domain.programs import build_program
    from sciatrack.domain.triage import triage

    answers = read_intake(args.answers, command)
    if answers is None:
        return None
    result = triage(answers, emergency_number=args.emergency_number)
    return result, build_program(answers, result)


def no_program_written(result: TriageResult, what: str) -> int:
    """Say why nothing was written when the triage rules out exercise (not an error: exit 0)."""
    print(f"No {what} written: your check says {result.advice.headline!r}.")
    for line in result.advice.what_to_do_now:
        print(f"  - {line}")
    print("Exercise waits until a clinician has seen you and says it is safe.")
    return EXIT_OK


def nothing_written(command: str, message: str) -> int:
    print(f"sciatrack {command}: {message}; nothing was written", file=sys.stderr)
    return EXIT_INVALID


def out_problem(path: str, suffixes: tuple[str, ...]) -> str | None:
    """Why ``path`` cannot take the output, or None when it can (checked before any work)."""
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
    """Write ``data`` to ``path`` through a temporary file; the error (naming --out) or None.

    Renaming the finished temporary file into place means a reader never sees half a file.
    """
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
