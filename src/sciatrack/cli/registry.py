"""``sciatrack registry generate | report | refresh``: the outcome registry across clinics.

The work itself lives in the registry app; these only set up Django and hand over.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from sciatrack.cli.common import EXIT_OK, add_command, ensure_var_dir, setup_django

if TYPE_CHECKING:
    from sciatrack.cli.common import Commands


def run_generate(args: argparse.Namespace) -> int:
    """Fill the database with a synthetic outcome registry (clinics, cases, follow-ups, weekly activity)."""
    setup_django()
    ensure_var_dir()
    from sciatrack.registry.generate import run_generate_command

    return run_generate_command(args)


def run_report(args: argparse.Namespace) -> int:
    """Print the outcome registry's figures for a cohort (the whole network by default)."""
    setup_django()
    ensure_var_dir()
    from sciatrack.registry.report_cli import run_report_command

    return run_report_command(args)


def run_refresh(args: argparse.Namespace) -> int:
    """Bring the registry's summary table up to date (only stale cases, or all with --full)."""
    setup_django()
    ensure_var_dir()
    from sciatrack.registry.summary import rebuild_all, refresh_stale

    count = rebuild_all() if args.full else refresh_stale()
    print(f"refreshed {count} registry cases")
    return EXIT_OK


def add_to(commands: Commands) -> None:
    # The options live beside the registry's code, in a module that loads without Django.
    from sciatrack.registry.options import add_generate_options, add_report_options

    registry = commands.add_parser("registry", help="the outcome registry across clinics")
    actions = registry.add_subparsers(dest="registry_command", required=True, metavar="ACTION")
    add_generate_options(add_command(actions, "generate", run_generate))
    add_report_options(add_command(actions, "report", run_report))
    refresh = add_command(actions, "refresh", run_refresh)
    refresh.add_argument("--full", action="store_true", help="recompute every case, not only the stale ones")
