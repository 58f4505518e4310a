"""The registry report's figures as JSON-ready dicts and as CSV rows, for the export links and the command.

This module decides the shape and the column names of every export: :func:`report_as_dict` and
:func:`comparison_as_dict` for JSON, :data:`CSV_COLUMNS`, :func:`csv_rows` and :func:`write_csv` for CSV.
They hold aggregates only: no names, no case ids, no dates of anyone's visit; a suppressed cohort's size is
only said to be below the minimum, and its rows carry no figure.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any

from sciatrack.content.registry_schema import load_registry_content
from sciatrack.domain.registry_stats import KaplanMeierCurve, Proportion

from .report import CONFIDENCE, CohortReport, Comparison, OutcomeFigures


def _proportion(share: Proportion) -> dict[str, Any]:
    return {
        "count": share.count,
        "total": share.total,
        "rate": share.rate,
        "low": share.low,
        "high": share.high,
    }


def _curve(curve: KaplanMeierCurve) -> dict[str, Any]:
    return {
        "median_weeks": curve.median_time,
        "points": [
            {
                "week": point.time,
                "at_risk": point.at_risk,
                "responded": point.events,
                "censored": point.censored,
                "share_responded": point.cumulative_incidence,
                "low": point.cumulative_incidence_low,
                "high": point.cumulative_incidence_high,
            }
            for point in curve.points
        ],
    }


def outcome_as_dict(figures: OutcomeFigures) -> dict[str, Any]:
    definition = figures.definition
    return {
        "id": definition.id,
        "name": definition.name,
        "definition": definition.definition,
        "missing_policy": definition.missing,
        "patients": figures.patients,
        "met": figures.met,
        "not_met": figures.not_met,
        "missing": figures.missing,
        "followed_up": _proportion(figures.followed_up),
        "rate": _proportion(figures.rate),
        "change": {
            "measure": definition.measure,
            "count": figures.change.count,
            "median": figures.change.median,
            "lower_quartile": figures.change.lower_quartile,
            "upper_quartile": figures.change.upper_quartile,
        },
        "time_to_response": _curve(figures.time_to_response) if figures.time_to_response else None,
    }


def report_as_dict(report: CohortReport) -> dict[str, Any]:
    """The report for JSON: the cohort, its size, and (unless suppressed) every outcome's figures."""
    return {
        "cohort": report.cohort.as_dict(),
        "confidence": CONFIDENCE,
        "minimum_cohort": report.minimum,
        # The size of a suppressed cohort is only said to be below the minimum.
        "patients": None if report.suppressed else report.patients,
        "suppressed": report.suppressed,
        "outcomes": [outcome_as_dict(figures) for figures in report.outcomes],
    }


def comparison_as_dict(comparison: Comparison) -> dict[str, Any]:
    """Both reports, and per outcome the difference of the rates (a minus b) with its interval."""
    return {
        "a": report_as_dict(comparison.a),
        "b": report_as_dict(comparison.b),
        "differences": [
            {
                "id": item.definition.id,
                "difference": item.difference.difference if item.difference else None,
                "low": item.difference.low if item.difference else None,
                "high": item.difference.high if item.difference else None,
            }
            for item in comparison.outcomes
        ],
    }


CSV_COLUMNS = (
    "cohort", "cohort_description", "outcome", "outcome_name", "missing_policy", "patients", "suppressed",
    "met", "not_met", "missing", "followed_up_rate", "followed_up_low", "followed_up_high", "rate_count",
    "rate_total", "rate", "rate_low", "rate_high", "change_count", "change_median", "change_lower_quartile",
    "change_upper_quartile", "median_weeks_to_response",
)  # fmt: skip


def csv_rows(label: str, report: CohortReport) -> list[dict[str, Any]]:
    """One row per outcome definition of ``report`` (empty figures when suppressed), keyed by CSV_COLUMNS."""
    common = {
        "cohort": label,
        "cohort_description": report.cohort.describe(),
        "suppressed": report.suppressed,
    }
    if report.suppressed:
        return [
            {**common, "outcome": d.id, "outcome_name": d.name, "missing_policy": d.missing}
            for d in load_registry_content().outcomes
        ]
    rows = []
    for figures in report.outcomes:
        curve = figures.time_to_response
        rows.append(
            {
                **common,
                "outcome": figures.definition.id,
                "outcome_name": figures.definition.name,
                "missing_policy": figures.definition.missing,
                "patients": figures.patients,
                "met": figures.met,
                "not_met": figures.not_met,
                "missing": figures.missing,
                "followed_up_rate": figures.followed_up.rate,
                "followed_up_low": figures.followed_up.low,
                "followed_up_high": figures.followed_up.high,
                "rate_count": figures.rate.count,
                "rate_total": figures.rate.total,
                "rate": figures.rate.rate,
                "rate_low": figures.rate.low,
                "rate_high": figures.rate.high,
                "change_count": figures.change.count,
                "change_median": figures.change.median,
                "change_lower_quartile": figures.change.lower_quartile,
                "change_upper_quartile": figures.change.upper_quartile,
                "median_weeks_to_response": curve.median_time if curve else None,
            }
        )
    return rows


def write_csv(out: IO[str], reports: Iterable[tuple[str, CohortReport]]) -> None:
    """Write one row per cohort and outcome definition; ``reports`` are (label, report), e.g. ("a", ...)."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, restval="", lineterminator="\n")
    writer.writeheader()
    for label, report in reports:
        writer.writerows(csv_rows(label, report))
