"""The registry's time-to-response chart: a Kaplan-Meier curve as accessible, inline SVG.

:func:`response_chart` returns a :class:`sciatrack.outputs.charts.Chart` like the progress page's charts
(drawn by pygal, cleaned up by the same code): the SVG, its title, a sentence saying what it shows, and the
same figures as a table. The curve is the share of the cohort that has responded by each week, drawn as steps
(it only changes in the weeks someone responded), with its 95% interval as two dotted lines.
"""

from __future__ import annotations

import pygal

from sciatrack.domain.registry_stats import KaplanMeierCurve
from sciatrack.outputs.charts import Chart, ChartTable, chart_config, check_chart_id, finish_chart

CURVE, BAND = "#0067a3", "#555555"
# Weeks the description reports the share responded at (the follow-ups are at 2, 6 and 12 weeks).
DESCRIBED_WEEKS = (6, 12)


def percent(value: float | None) -> str:
    """A share as a whole-number-and-one-decimal percentage, e.g. ``45.2%``; None is "no figure"."""
    return "no figure" if value is None else f"{100 * value:.1f}%"


def _steps(points: list[tuple[int, float | None]]) -> list[tuple[float, float] | None]:
    """(week, share) points as a step line in percent: flat until the next week, then straight up.

    A share of None (no interval once everyone has responded) leaves a gap.
    """
    line: list[tuple[float, float] | None] = []
    previous: float | None = None
    for week, share in points:
        if share is None:
            line.append(None)
            previous = None
            continue
        if previous is not None:
            line.append((week, 100 * previous))
        line.append((week, 100 * share))
        previous = share
    return line


def describe_curve(curve: KaplanMeierCurve) -> str:
    """The curve in a sentence or two: when half had responded, and the share by weeks 6 and 12."""
    if not curve.points:
        return "Nobody in this group to follow."
    median = curve.median_time
    parts = [
        f"Half had responded by week {median}."
        if median is not None
        else "Fewer than half responded while they were followed."
    ]
    for week in DESCRIBED_WEEKS:
        point = curve.at(week)
        if point is not None:
            parts.append(
                f"By week {week}, {percent(point.cumulative_incidence)} had responded "
                f"(likely between {percent(point.cumulative_incidence_low)} and "
                f"{percent(point.cumulative_incidence_high)})."
            )
    parts.append("The chart shows the share responded (0 to 100%) by weeks since the first check.")
    return " ".join(parts)


def response_chart(curve: KaplanMeierCurve, id_prefix: str, name: str) -> Chart:
    """The share responded by each week (0 to 100%), a step line with its 95% interval dotted around it.

    ``name`` is the outcome's name, used in the title. The table has one row per week with a response or
    someone leaving follow-up: how many were still followed, responded, left, and the share responded.
    """
    check_chart_id(id_prefix)
    title = f"Time to response: {name}"
    description = describe_curve(curve)
    last_week = curve.points[-1].time if curve.points else 0
    chart = pygal.XY(
        **chart_config(
            (CURVE, BAND, BAND),
            range=(0, 100),
            xrange=(0, max(last_week, 1)),
            y_labels=[0, 25, 50, 75, 100],
            y_title="% responded",
            x_title="Weeks since the first check",
            value_formatter=lambda value: f"{value:g}%",
            allow_interruptions=True,
            show_dots=False,
            legend_at_bottom_columns=1,
            margin_bottom=20,
        )
    )
    step = 2 if last_week <= 16 else 4 if last_week <= 32 else 8
    chart.x_labels = list(range(0, last_week + 1, step))
    if curve.points:
        chart.add("Share responded (solid)", _steps([(p.time, p.cumulative_incidence) for p in curve.points]))
        dotted = {"dasharray": "3,4", "width": 1.5}
        chart.add(
            "95% range, low and high (dotted)",
            _steps([(p.time, p.cumulative_incidence_low) for p in curve.points]),
            stroke_style=dotted,
        )
        # No title: pygal leaves it out of the legend, which already names both dotted lines.
        chart.add(
            None, _steps([(p.time, p.cumulative_incidence_high) for p in curve.points]), stroke_style=dotted
        )
    rows = [
        [
            f"Week {point.time}",
            str(point.at_risk),
            str(point.events),
            str(point.censored),
            percent(point.cumulative_incidence),
            (
                f"{percent(point.cumulative_incidence_low)} to {percent(point.cumulative_incidence_high)}"
                if point.cumulative_incidence_low is not None
                else "no figure"
            ),
        ]
        for point in curve.points
    ]
    table = ChartTable(
        f"Time to response by week: {name}",
        ["Week", "Still followed", "Responded", "Left follow-up", "Share responded", "95% range"],
        rows,
    )
    return Chart(finish_chart(chart, id_prefix, title, description), title, description, table)
