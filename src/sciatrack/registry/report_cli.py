"""``sciatrack registry report``: the registry's figures for a cohort, as text or JSON.

The JSON is :func:`report_export.report_as_dict`, the same figures the registry page shows and exports. A bad
option is exit status 2 with a message naming it; the command sees the whole network, as it runs with the
server's own database access.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from typing import Any, TextIO

from django.conf import settings

from sciatrack.domain.registry_stats import Proportion

from .cohort import Cohort, CohortError
from .report import MEASURE_NAMES, CohortReport, OutcomeFigures, cohort_report
from .report_export import report_as_dict

EXIT_OK = 0
EXIT_INVALID = 2
WIDTH = 100
# Weeks at which the text output states the share responded (the follow-ups are at 2, 6 and 12 weeks).
REPORTED_WEEKS = (2, 6, 12, 26)


def params_of(args: argparse.Namespace) -> dict[str, Any]:
    """The command's options as :meth:`Cohort.from_params` reads them."""
    return {
        "clinic": list(args.clinic),
        "from": args.enrolled_from,
        "to": args.enrolled_to,
        "age_band": list(args.age_band),
        "tier": list(args.tier),
        "pattern": list(args.pattern),
        "exercise": list(args.exercise),
        "adherence": list(args.adherence),
    }


def run_report_command(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Print the report for the cohort the options describe; 2 with a message on stderr for bad input."""
    out = out or sys.stdout
    minimum = settings.SCIATRACK_REGISTRY_MIN_COHORT if args.min_cohort is None else args.min_cohort
    if minimum < 1:
        print(f"--min-cohort: give a whole number of 1 or more, not {minimum}", file=sys.stderr)
        return EXIT_INVALID
    try:
        cohort = Cohort.from_params(params_of(args), None)
    except CohortError as error:
        print(f"--{error.field.replace('_', '-')}: {str(error).split(': ', 1)[1]}", file=sys.stderr)
        return EXIT_INVALID
    report = cohort_report(cohort, minimum)
    if args.json:
        json.dump(report_as_dict(report), out, indent=2)
        out.write("\n")
    else:
        out.write(report_text(report))
    return EXIT_OK


def percent(value: float | None) -> str:
    return "no figure" if value is None else f"{100 * value:.1f}%"


def share_text(share: Proportion) -> str:
    """E.g. ``45.0% (40.1% to 50.0%), 180 of 400``."""
    if share.rate is None:
        return f"no figure ({share.count} of {share.total})"
    interval = f"{percent(share.low)} to {percent(share.high)}"
    return f"{percent(share.rate)} ({interval}), {share.count} of {share.total}"


def number(value: float | None) -> str:
    return "no figure" if value is None else f"{value:g}"


def outcome_text(figures: OutcomeFigures) -> list[str]:
    definition = figures.definition
    lines = [definition.name]
    lines += textwrap.wrap(
        definition.definition, WIDTH, initial_indent="  Counts: ", subsequent_indent="          "
    )
    policy = (
        "over those followed up; those missing are shown apart"
        if definition.missing == "shown_apart"
        else "over everyone; those missing count as not meeting it"
    )
    lines.append(f"  Followed up: {share_text(figures.followed_up)}; missing: {figures.missing}")
    lines.append(f"  Rate: {share_text(figures.rate)} ({policy})")
    change = figures.change
    measure = MEASURE_NAMES.get(definition.measure, definition.measure)
    lines.append(
        f"  Change in {measure}: median {number(change.median)} "
        f"(middle half {number(change.lower_quartile)} to {number(change.upper_quartile)}), "
        f"{change.count} with both scores; below 0 is better"
    )
    curve = figures.time_to_response
    if curve is not None:
        median = curve.median_time
        by_week = []
        for week in REPORTED_WEEKS:
            point = curve.at(week)
            if point is not None:
                low, high = point.cumulative_incidence_low, point.cumulative_incidence_high
                by_week.append(
                    f"week {week}: {percent(point.cumulative_incidence)} ({percent(low)} to {percent(high)})"
                )
        lines.append(
            "  Time to response: "
            + (f"half had responded by week {median}" if median is not None else "half never responded")
        )
        if by_week:
            lines.append("  Share responded by " + "; ".join(by_week))
    return lines


def report_text(report: CohortReport) -> str:
    """The report in plain words, one block per outcome definition."""
    lines = [f"Outcome registry: {report.cohort.describe()}"]
    if report.suppressed:
        lines.append(
            f"Fewer than {report.minimum} patients match; no figures are shown for so few, "
            "so that nobody can be recognised."
        )
        return "\n".join(lines) + "\n"
    lines.append(f"Patients: {report.patients}. Ranges are 95% confidence intervals.")
    for figures in report.outcomes:
        lines.append("")
        lines += outcome_text(figures)
    return "\n".join(lines) + "\n"
