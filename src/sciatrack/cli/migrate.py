"""``sciatrack migrate``: create or update the database tables."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from sciatrack.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    add_command,
    ensure_var_dir,
    setup_django,
    system_checks_pass,
)

if TYPE_CHECKING:
    from sciatrack.cli.common import Commands


def run(args: argparse.Namespace) -> int:
    """Create or update the database tables (after the system checks: a migration may triage stored
    checks again, and needs the emergency number for their advice)."""
    setup_django()
    if not system_checks_pass("migrate"):
        return EXIT_INVALID
    ensure_var_dir()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=args.verbosity)
    return EXIT_OK


def add_to(commands: Commands) -> None:
    migrate = add_command(commands, "migrate", run)
    migrate.add_argument("--verbosity", type=int, default=1, choices=[0, 1, 2, 3])
