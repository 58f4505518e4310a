"""Server-side, accessible SVG charts for the progress page and the PDF (issue 5).

Every function here is pure: it takes plain Python data and returns a :class:`Chart` holding

* ``svg`` -- inline-able ``<svg>`` markup (no XML declaration, no scripts, no external CSS, fonts or
  URLs; the only ``http`` in it is the SVG namespace). The root has ``role="img"``, a ``viewBox`` (so it
  scales to its container's width; there is no fixed width or height) and ``aria-labelledby`` pointing at
  its own ``<title>`` and ``<desc>``, whose ids are ``<id_prefix>-title`` and ``<id_prefix>-desc``.
  The root's id is ``id_prefix`` and pygal's embedded CSS is scoped to it, so several charts can share a
  page.
* ``title`` and ``description`` -- the description is a sentence or two summarising the data in words.
* ``table`` -- a :class:`ChartTable` with the same data, to render as the data-table alternative.

Charts are drawn by pygal (pure Python SVG, no native dependencies); its output is then cleaned up:
tooltips, scripts, comments, per-point ``<desc>``/``<title>`` tooltip text and legend ids (which would
clash between charts) are removed and coordinates rounded, which keeps a 90-day pain chart well under
25 KB. Series are told apart by more than colour: line dash and marker fill, with the legend naming them.
Sizes are chosen for a 400-unit-wide viewBox, so at a 390 px phone width text renders at about 14 px.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pygal
from pygal.style import Style

SVG_NS = "http://www.w3.org/2000/svg"
NO_DATA = "No data yet"
NOT_RECORDED = "Not recorded"
REACH_LABELS = ("None", "Back", "Buttock", "Thigh", "Below knee", "Foot")

WIDTH, HEIGHT = 400, 300
# Okabe-Ito colours: distinguishable with common colour-vision deficiencies, all >= 4.5:1 on white.
LEG, BACK, SESSION, DONE, PRESCRIBED = "#b35a00", "#0067a3", "#333333", "#0067a3", "#555555"
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_LONG_NUMBER = re.compile(r"(\d+\.\d)\d+")
# CSS rules for pygal features these charts never use (tooltips, hover effects, maps, value labels).
_UNUSED_CSS = ("tooltip", ":hover", "map-element", "text-overlay", ".ci", "transition", ".bound", "max-value")


@dataclass(frozen=True)
class ChartTable:
    """The data-table alternative to a chart: a caption, column headers and rows of display strings."""

    caption: str
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Chart:
    """An accessible chart: inline SVG markup, its title and summary sentence, and the table alternative."""

    svg: str
    title: str
    description: str
    table: ChartTable


def format_day(day: date) -> str:
    """Format a date as in the descriptions and tables, e.g. ``1 May``."""
    return f"{day.day} {day:%b}"


def format_number(value: float | None) -> str:
    """Format a score without a needless ``.0`` (7.0 -> ``7``, 6.5 -> ``6.5``); None is 'Not recorded'."""
    if value is None:
        return NOT_RECORDED
    return f"{value:g}"


def _trend(subject: str, first: tuple[str, float, str], last: tuple[str, float, str]) -> str:
    """``<subject> rose/fell from A on X to B on Y.`` or ``stayed at``; points are (text, value, when)."""
    (a_text, a, a_when), (b_text, b, b_when) = first, last
    if a_when == b_when:
        return f"{subject} was {a_text} {a_when}."
    if a == b:
        return (
            f"{subject} stayed at {a_text} from {a_when.removeprefix('on ')} to {b_when.removeprefix('on ')}."
        )
    verb = "rose" if b > a else "fell"
    return f"{subject} {verb} from {a_text} {a_when} to {b_text} {b_when}."


def _series_trend(
    subject: str, whens: Sequence[str], values: Sequence[float | None], fmt: Callable[[float], str]
) -> str | None:
    """Trend sentence over the first and last recorded values, or None when nothing is recorded."""
    recorded = [(fmt(v), v, w) for w, v in zip(whens, values, strict=True) if v is not None]
    if not recorded:
        return None
    return _trend(subject, recorded[0], recorded[-1])


def _style(colors: Sequence[str]) -> Style:
    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#222222",
        foreground_strong="#000000",
        foreground_subtle="#6b6b6b",
        font_family="sans-serif",
        label_font_size=14,
        major_label_font_size=14,
        legend_font_size=14,
        no_data_font_size=20,
        guide_stroke_color="#c8c8c8",
        major_guide_stroke_color="#888888",
        stroke_width="2.5",
        stroke_width_hover="2.5",
        opacity=".9",
        opacity_hover=".9",
        colors=tuple(colors),
        transition="0ms",
    )


def chart_config(colors: Sequence[str], **extra: Any) -> dict[str, Any]:
    """Options shared by every chart: no JavaScript, no tooltips, legend underneath, scalable."""
    return {
        "style": _style(colors),
        "js": [],
        "width": WIDTH,
        "height": HEIGHT,
        "explicit_size": False,
        "disable_xml_declaration": True,
        "legend_at_bottom": True,
        "legend_box_size": 14,
        "truncate_label": -1,
        "truncate_legend": -1,
        "no_data_text": NO_DATA,
        "margin": 12,
        "margin_right": 26,
        "spacing": 8,
        **extra,
    }


def finish_chart(chart: Any, id_prefix: str, title: str, description: str, extra_css: str = "") -> str:
    """Render a pygal chart, then make it inline-safe and accessible (see the module docstring)."""
    if not chart.raw_series:
        # pygal 3.1 crashes on custom axis labels without data; it shows NO_DATA instead.
        chart.x_labels = chart.y_labels = chart.x_labels_major_every = None
    chart.uuid = id_prefix  # pygal scopes its CSS to '#chart-<uuid>'; we rename that to '#<id_prefix>'.
    root = ET.fromstring(chart.render())  # ElementTree drops comments while parsing.
    for element in root.iter():
        element.tag = element.tag.removeprefix(f"{{{SVG_NS}}}")
    for parent in list(root.iter()):
        for child in list(parent):
            classes = child.get("class", "").split()
            if child.tag in {"script", "desc", "title"} or {
                "tooltip-overlay",
                "text-overlay",
                "titles",
            } & set(classes):
                parent.remove(child)
    for element in root.iter():
        element.attrib.pop("id", None)
        if "class" in element.attrib:
            kept = [c for c in element.get("class", "").split() if c not in {"reactive", "tooltip-trigger"}]
            element.set("class", " ".join(kept))
        for name in ("x", "y", "cx", "cy", "d", "width", "height", "transform"):
            if name in element.attrib:
                element.set(name, _LONG_NUMBER.sub(r"\1", element.get(name, "")))
    style = root.find("defs/style")
    if style is not None:
        css = re.sub(rf"#chart-{id_prefix}(?![\w-])", f"#{id_prefix}", style.text or "")
        rules = [rule for rule in css.split("}") if rule.strip() and not any(w in rule for w in _UNUSED_CSS)]
        style.text = "}".join(rules) + "}" + extra_css.replace("#ID ", f"#{id_prefix} ")
    root.attrib = {
        "xmlns": SVG_NS,
        "id": id_prefix,
        "class": "pygal-chart",
        "viewBox": root.get("viewBox", f"0 0 {WIDTH} {HEIGHT}"),
        "role": "img",
        "aria-labelledby": f"{id_prefix}-title {id_prefix}-desc",
    }
    title_el = ET.Element("title", id=f"{id_prefix}-title")
    title_el.text = title
    desc_el = ET.Element("desc", id=f"{id_prefix}-desc")
    desc_el.text = description
    root.insert(0, desc_el)
    root.insert(0, title_el)
    return ET.tostring(root, encoding="unicode")


def check_chart_id(id_prefix: str) -> None:
    if not _ID.match(id_prefix):
        raise ValueError(f"id_prefix must be a letter then letters, digits, '-' or '_': {id_prefix!r}")


def _date_labels(days: Sequence[date]) -> list[date]:
    """Up to five evenly spread x-axis dates (first and last included), so labels never overlap on a phone."""
    if len(days) <= 5:
        return list(days)
    step = (len(days) - 1) / 4
    return [days[round(i * step)] for i in range(5)]


def pain_chart(
    days: Sequence[date],
    leg: Sequence[float | None],
    back: Sequence[float | None],
    session_days: set[date],
    id_prefix: str,
) -> Chart:
    """Leg and back pain (0-10) over time, as two lines on a fixed 0..10 scale.

    ``days`` are sorted ascending and parallel to ``leg`` and ``back``; None leaves a gap in that line.
    Leg pain is a solid line with filled dots, back pain a dashed line with hollow dots. Session days between
    the first and last day are marked with a row of square markers under the 0 line. The table has one row per
    day (charted days plus in-range session days) with the two ratings and whether there was a session.
    """
    check_chart_id(id_prefix)
    if not len(days) == len(leg) == len(back):
        raise ValueError("days, leg and back must have the same length")
    sessions = sorted(d for d in session_days if days and days[0] <= d <= days[-1])
    title = "Leg and back pain in the diary"
    whens = [f"on {format_day(d)}" for d in days]
    parts = [
        _series_trend("Leg pain", whens, leg, format_number) or "No leg pain recorded.",
        _series_trend("Back pain", whens, back, format_number) or "No back pain recorded.",
    ]
    if not any(v is not None for v in (*leg, *back)):
        description = f"{NO_DATA}: no leg or back pain ratings recorded."
    else:
        count = len(sessions)
        parts.append(f"{count} session day{'s' if count != 1 else ''} marked. Scale 0 (no pain) to 10.")
        description = " ".join(parts)
    chart = pygal.DateLine(
        **chart_config(
            (LEG, BACK, SESSION),
            range=(-1.2, 10),
            y_labels=list(range(0, 11, 2)),
            allow_interruptions=True,
            x_value_formatter=format_day,
            legend_at_bottom_columns=2,
            margin_bottom=32,
            dots_size=4 if len(days) <= 31 else 2.5,
        )
    )
    chart.x_labels = _date_labels(days)
    if any(v is not None for v in (*leg, *back)):
        chart.add("Leg (solid)", list(zip(days, leg, strict=True)))
        chart.add("Back (dashed)", list(zip(days, back, strict=True)), stroke_style={"dasharray": "7,4"})
        chart.add("Session day", [(d, -0.6) for d in sessions], stroke=False, dots_size=3)
    css = f"#ID .serie-1 .dot{{fill:#fff;stroke:{BACK};stroke-width:2;stroke-dasharray:none}}"
    by_day = dict(zip(days, zip(leg, back, strict=True), strict=True))
    rows = [
        [
            format_day(d),
            *(format_number(v) for v in by_day.get(d, (None, None))),
            "Yes" if d in sessions else "No",
        ]
        for d in sorted(set(days) | set(sessions))
    ]
    table = ChartTable(
        "Leg and back pain (0 to 10) in the diary, by day", ["Date", "Leg pain", "Back pain", "Session"], rows
    )
    return Chart(finish_chart(chart, id_prefix, title, description, css), title, description, table)


def measure_chart(
    measure: str,
    points: Sequence[tuple[str, float | None]],
    max_score: float,
    id_prefix: str,
    *,
    higher_is_better: bool = False,
) -> Chart:
    """One questionnaire's score at each follow-up (e.g. Baseline, 2, 6, 12 weeks) as bars: one chart each.

    ``measure`` is the score's whole name as the page shows it ("Sciatica bother score"): the texts use
    it as it is and add no "score" of their own. ``points`` are (follow-up label, score or None) in order;
    a None follow-up keeps its label with no bar. The y axis runs 0..``max_score`` (SBI 24, PEG 10,
    PSFS 10); the description says which way is better.
    """
    check_chart_id(id_prefix)
    title = f"{measure} at each check"
    labels = [label for label, _ in points]
    scores = [score for _, score in points]
    whens = [
        f"at the {label[:1].lower()}{label[1:]}" if label[1:2].islower() else f"at {label}"
        for label in labels
    ]
    trend = _series_trend(measure, whens, scores, format_number)
    better = "Higher" if higher_is_better else "Lower"
    if trend is None:
        description = f"{NO_DATA}: nothing recorded for the {measure}."
    else:
        description = f"{trend} {better} is better; the scale runs 0 to {format_number(max_score)}."
    chart = pygal.Bar(**chart_config((DONE,), range=(0, max_score), show_legend=False, print_values=False))
    chart.x_labels = labels
    if trend is not None:
        chart.add(measure, list(scores))
    rows = [[label, format_number(score)] for label, score in points]
    table = ChartTable(f"{measure} (0 to {format_number(max_score)})", ["Check", "Score"], rows)
    return Chart(finish_chart(chart, id_prefix, title, description), title, description, table)


def reach_chart(
    days: Sequence[date],
    reach_depth: Sequence[int | None],
    id_prefix: str,
    labels: Sequence[str] = REACH_LABELS,
) -> Chart:
    """How far down the leg symptoms reach, over time: depth 0..5 = ``labels`` (none ... foot).

    The y axis is labelled with the reach names; no symptoms is at the bottom and the foot at the top, so
    lower on the chart is better (as on the pain chart), which the description says. None leaves a gap.
    """
    check_chart_id(id_prefix)
    if len(days) != len(reach_depth) or len(labels) != 6:
        raise ValueError("days and reach_depth must have the same length, and there must be 6 labels")
    title = "How far down the leg symptoms reach"
    whens = [f"on {format_day(d)}" for d in days]
    trend = _series_trend("Symptom reach", whens, reach_depth, lambda v: labels[int(v)].lower())
    if trend is None:
        description = f"{NO_DATA}: no symptom reach recorded."
    else:
        description = f"{trend} Lower on the chart is better: it means symptoms stay closer to the back."
    chart = pygal.DateLine(
        **chart_config(
            (LEG,),
            range=(0, 5),
            y_labels=[{"label": label, "value": i} for i, label in enumerate(labels)],
            allow_interruptions=True,
            x_value_formatter=format_day,
            show_legend=False,
            dots_size=4 if len(days) <= 31 else 2.5,
        )
    )
    chart.x_labels = _date_labels(days)
    if trend is not None:
        chart.add("Symptom reach", list(zip(days, reach_depth, strict=True)))
    rows = [
        [format_day(d), NOT_RECORDED if v is None else labels[v]]
        for d, v in zip(days, reach_depth, strict=True)
    ]
    table = ChartTable("How far down the leg symptoms reach, by day", ["Date", "Symptoms reach"], rows)
    return Chart(finish_chart(chart, id_prefix, title, description), title, description, table)


def whole_number_axis(top: float, most_labels: int = 7) -> list[int]:
    """Axis labels in whole numbers from 0 to at least ``top`` (and at least 1), at most ``most_labels``
    of them, in steps of 1, 2, 5, 10, 20, 50 and so on: a count has no 0.4 of a session."""
    top = max(1, math.ceil(top))
    steps = (factor * 10**power for power in range(10) for factor in (1, 2, 5))
    step = next(step for step in steps if -(-top // step) + 1 <= most_labels)
    return list(range(0, -(-top // step) * step + 1, step))


def adherence_chart(
    week_starts: Sequence[date], done: Sequence[int], prescribed: Sequence[int], id_prefix: str
) -> Chart:
    """Sessions done against sessions prescribed, per week, as paired bars.

    Prescribed bars are outlined (hollow) and done bars filled, so they differ by more than colour.
    The description gives the overall total and percentage and the latest week.
    """
    check_chart_id(id_prefix)
    if not len(week_starts) == len(done) == len(prescribed):
        raise ValueError("week_starts, done and prescribed must have the same length")
    title = "Sessions done each week"
    if not week_starts:
        description = f"{NO_DATA}: no weeks of the program recorded."
    else:
        total_done, total_prescribed = sum(done), sum(prescribed)
        weeks = len(week_starts)
        share = f" ({round(100 * total_done / total_prescribed)}%)" if total_prescribed else ""
        description = (
            f"Over {weeks} week{'s' if weeks != 1 else ''}, {total_done} of {total_prescribed} prescribed "
            f"sessions were done{share}. "
            f"Week of {format_day(week_starts[-1])}: {done[-1]} of {prescribed[-1]}."
        )
    axis = whole_number_axis(max((*done, *prescribed), default=0))
    chart = pygal.Bar(
        **chart_config((PRESCRIBED, DONE), legend_at_bottom_columns=2, range=(0, axis[-1]), y_labels=axis)
    )
    chart.x_labels = [format_day(d) for d in week_starts]
    chart.x_labels_major_every = max(1, -(-len(week_starts) // 4))
    chart.show_minor_x_labels = len(week_starts) <= 5
    if week_starts:
        chart.add("Prescribed (outline)", list(prescribed))
        chart.add("Done (filled)", list(done))
    css = f"#ID .serie-0 .rect{{fill:#fff;fill-opacity:1;stroke:{PRESCRIBED};stroke-width:2}}"
    rows = [[format_day(w), str(d), str(p)] for w, d, p in zip(week_starts, done, prescribed, strict=True)]
    table = ChartTable("Sessions done and prescribed, by week", ["Week starting", "Done", "Prescribed"], rows)
    return Chart(finish_chart(chart, id_prefix, title, description, css), title, description, table)
