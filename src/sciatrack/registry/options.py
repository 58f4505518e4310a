"""Command-line options of ``sciatrack registry generate`` and ``sciatrack registry report``.

Kept apart from the commands so ``sciatrack --help`` builds its parser without setting up Django.
"""

from __future__ import annotations

import argparse
from datetime import date


def add_generate_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--patients", type=int, required=True, help="how many cases to generate")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same registry)")
    parser.add_argument(
        "--clinics", type=int, default=None, help="how many clinics (default: sqrt(patients)/5, 2 to 500)"
    )
    parser.add_argument(
        "--start",
        type=date.fromisoformat,
        default=date(2024, 1, 1),
        metavar="YYYY-MM-DD",
        help="first enrolment day; enrolments run over two years from it (default 2024-01-01)",
    )
    parser.add_argument(
        "--replace", action="store_true", help="delete the clinics and cases generated before, first"
    )


def add_report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    for flag, metavar, words in (
        ("--clinic", "SLUG", "only these clinics (default: every clinic)"),
        ("--age-band", "BAND", "age bands, e.g. 30-39 70+"),
        ("--tier", "TIER", "triage results, e.g. routine self_care"),
        ("--pattern", "PATTERN", "McKenzie patterns, e.g. unclear"),
        ("--exercise", "ID", "the program includes every one of these"),
        ("--adherence", "BAND", "adherence bands, e.g. high medium none"),
    ):
        # One or more values, and the option may be repeated; no value means any.
        parser.add_argument(flag, metavar=metavar, action="extend", nargs="+", default=[], help=words)
    parser.add_argument("--from", dest="enrolled_from", metavar="YYYY-MM-DD", help="enrolled on or after")
    parser.add_argument("--to", dest="enrolled_to", metavar="YYYY-MM-DD", help="enrolled on or before")
    parser.add_argument(
        "--min-cohort", type=int, metavar="N", help="smallest cohort shown (default: the setting)"
    )
