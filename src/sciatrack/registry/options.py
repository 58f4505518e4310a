"""Command-line options of ``sciatrack registry generate`` and ``sciatrack registry report``.

Kept apart from the commands so ``sciatrack --help`` builds its parser without setting up Django.
"""

from __future__ import annotations

import argparse


def add_generate_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--patients", type=int, required=True, help="how many cases to generate")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same registry)")


def add_report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
