"""``sciatrack demo``: load the demo clinic and accounts."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from sciatrack.cli.common import EXIT_INVALID, EXIT_OK, add_command, setup_django

if TYPE_CHECKING:
    from sciatrack.cli.common import Commands


def run(args: argparse.Namespace) -> int:
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


def add_to(commands: Commands) -> None:
    demo = add_command(commands, "demo", run)
    demo.add_argument(
        "--allow-production", action="store_true", help="load demo accounts even with DEBUG off"
    )
