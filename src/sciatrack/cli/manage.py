"""``sciatrack manage``: any Django management command."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from sciatrack.cli.common import EXIT_OK, add_command, setup_django

if TYPE_CHECKING:
    from sciatrack.cli.common import Commands


def run(args: argparse.Namespace) -> int:
    """Run any Django management command, e.g. ``sciatrack manage createsuperuser``."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sciatrack manage", *args.arguments])
    return EXIT_OK


def add_to(commands: Commands) -> None:
    manage = add_command(commands, "manage", run)
    manage.add_argument("arguments", nargs=argparse.REMAINDER, help="the management command and its options")
