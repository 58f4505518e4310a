"""Tests for the accessible server-side SVG charts in sciatrack.outputs.charts (issue 5)."""

from __future__ import annotations

import gzip
import io
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from sciatrack.outputs import charts
from sciatrack.outputs.charts import Chart

NS = "{http://www.w3.org/2000/svg}"
D0 = date(2026, 5, 1)


def days(n: int) -> list[date]:
    return [D0 + timedelta(days=i) for i in range(n)]


def parse(chart: Chart) -> ET.Element:
    return ET.fromstring(chart.svg)


def series_circles(root: ET.Element, index: int) -> list[ET.Element]:
    """Plotted dots of one series: pygal draws them as circles in the series' group of the overlay."""
    return [
        circle
        for group in root.iter(f"{NS}g")
        if f"serie-{index}" in group.get("class", "").split()
        for circle in group.iter(f"{NS}circle")
    ]


def bar_rects(root: ET.Element, index: int) -> list[ET.Element]:
    return [
        rect
        for group in root.iter(f"{NS}g")
        if f"serie-{index}" in group.get("class", "").split()
        for bar in group.iter(f"{NS}g")
        if bar.get("class") == "bar"
        for rect in bar.iter(f"{NS}rect")
    ]


def sample_charts() -> list[Chart]:
    return [
        charts.pain_chart(days(4), [7, None, 5, 3], [4, 4, None, 2], {D0, D0 + timedelta(2)}, "pain"),
        charts.measure_chart("SBI", [("Baseline", 14), ("2 weeks", 11), ("6 weeks", None)], 24, "sbi"),
        charts.reach_chart(days(3), [4, None, 1], "reach"),
        charts.adherence_chart([D0, D0 + timedelta(7)], [2, 3], [3, 3], "adh"),
        charts.pain_chart([], [], [], set(), "empty"),
    ]


@pytest.mark.parametrize("chart", sample_charts(), ids=lambda c: c.title)
def test_it_produces_accessible_self_contained_svg(chart: Chart) -> None:
    root = parse(chart)
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox", "").startswith("0 0 ")
    assert "width" not in root.attrib and "height" not in root.attrib
    title_id, desc_id = root.get("aria-labelledby", "").split()
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert title is not None and desc is not None
    assert (title.get("id"), desc.get("id")) == (title_id, desc_id)
    assert title.text == chart.title
    assert desc.text == chart.description
    assert not chart.svg.startswith("<?xml")
    assert not any(el.tag.endswith("script") for el in root.iter())
    assert chart.svg.count("http") == chart.svg.count("http://www.w3.org/2000/svg") == 1
    assert "url(" not in chart.svg and "href" not in chart.svg and "@import" not in chart.svg


def test_it_gives_each_chart_unique_ids_scoped_by_prefix() -> None:
    ids = [el.get("id") for chart in sample_charts() for el in parse(chart).iter() if el.get("id")]
    assert len(ids) == len(set(ids))
    assert {i for i in ids if i} >= {"pain", "pain-title", "pain-desc", "adh", "adh-title", "adh-desc"}
    assert "#chart-" not in sample_charts()[0].svg  # pygal's CSS scope was renamed to the root id


def test_it_rejects_an_unsafe_id_prefix() -> None:
    with pytest.raises(ValueError):
        charts.reach_chart([], [], 'x" onload="alert(1)')


def test_it_plots_one_dot_per_recorded_pain_value_and_marks_sessions_in_range() -> None:
    sessions = {D0, D0 + timedelta(2), D0 - timedelta(1), D0 + timedelta(30)}  # two outside the range
    chart = charts.pain_chart(days(4), [7, None, 5, 3], [4, 4, None, None], sessions, "p1")
    root = parse(chart)
    assert len(series_circles(root, 0)) == 3
    assert len(series_circles(root, 1)) == 2
    assert len(series_circles(root, 2)) == 2
    assert "2 session days marked" in chart.description


def test_it_tabulates_pain_including_session_only_days() -> None:
    chart = charts.pain_chart([D0, D0 + timedelta(2)], [7.0, None], [4.5, 2], {D0 + timedelta(1)}, "p2")
    assert chart.table.headers == ["Date", "Leg pain", "Back pain", "Session"]
    assert chart.table.rows == [
        ["1 May", "7", "4.5", "No"],
        ["2 May", "Not recorded", "Not recorded", "Yes"],
        ["3 May", "Not recorded", "2", "No"],
    ]


@pytest.mark.parametrize(
    ("leg", "expected"),
    [
        ([7, 5, 3], "Leg pain fell from 7 on 1 May to 3 on 3 May."),
        ([2, None, 6.5], "Leg pain rose from 2 on 1 May to 6.5 on 3 May."),
        ([4, 6, 4], "Leg pain stayed at 4 from 1 May to 3 May."),
        ([None, 5, None], "Leg pain was 5 on 2 May."),
        ([None, None, None], "No leg pain recorded."),
    ],
)
def test_it_describes_the_pain_trend_in_words(leg: list[float | None], expected: str) -> None:
    chart = charts.pain_chart(days(3), leg, [1, 1, 1], set(), "p3")
    assert chart.description.startswith(expected + " Back pain stayed at 1 from 1 May to 3 May.")


@pytest.mark.parametrize(
    "chart",
    [
        charts.pain_chart([], [], [], set(), "e1"),
        charts.pain_chart(days(2), [None, None], [None, None], {D0}, "e2"),
        charts.measure_chart("PEG", [("Baseline", None)], 10, "e3"),
        charts.reach_chart([], [], "e4"),
        charts.adherence_chart([], [], [], "e5"),
    ],
    ids=["pain", "pain-all-none", "measure", "reach", "adherence"],
)
def test_it_says_no_data_yet_for_empty_input(chart: Chart) -> None:
    assert chart.description.startswith("No data yet")
    root = parse(chart)
    assert not list(root.iter(f"{NS}circle")) and not bar_rects(root, 0)
    assert "No data yet" in "".join(root.itertext())


def test_it_draws_a_bar_per_recorded_measure_score_and_says_which_way_is_better() -> None:
    points = [("First check", 14.0), ("2 weeks", 11), ("6 weeks", None), ("12 weeks", 6)]
    chart = charts.measure_chart("Sciatica bother score", points, 24, "sbi2")
    assert len(bar_rects(parse(chart), 0)) == 3
    assert chart.description == (
        "Sciatica bother score fell from 14 at the first check to 6 at 12 weeks. "
        "Lower is better; the scale runs 0 to 24."
    )
    assert chart.table.rows == [
        ["First check", "14"],
        ["2 weeks", "11"],
        ["6 weeks", "Not recorded"],
        ["12 weeks", "6"],
    ]
    psfs = charts.measure_chart(
        "Activity score", [("First check", 3), ("2 weeks", 5.5)], 10, "psfs", higher_is_better=True
    )
    assert psfs.description.startswith(
        "Activity score rose from 3 at the first check to 5.5 at 2 weeks. Higher is better"
    )


def test_it_labels_the_reach_axis_with_names_and_describes_the_change() -> None:
    chart = charts.reach_chart(days(4), [4, None, 2, 1], "r1")
    root = parse(chart)
    text = set(root.itertext())
    assert set(charts.REACH_LABELS) <= text
    assert len(series_circles(root, 0)) == 3
    assert chart.description.startswith("Symptom reach fell from below knee on 1 May to back on 4 May.")
    assert "Lower on the chart is better" in chart.description
    assert chart.table.rows[:2] == [["1 May", "Below knee"], ["2 May", "Not recorded"]]
    spread = charts.reach_chart(days(2), [1, 5], "r2")
    assert spread.description.startswith("Symptom reach rose from back on 1 May to foot on 2 May.")


def test_it_compares_sessions_done_with_prescribed_per_week() -> None:
    weeks = [D0, D0 + timedelta(7), D0 + timedelta(14)]
    chart = charts.adherence_chart(weeks, [2, 3, 0], [3, 3, 4], "a1")
    root = parse(chart)
    assert len(bar_rects(root, 0)) == 3 and len(bar_rects(root, 1)) == 3
    assert chart.description == (
        "Over 3 weeks, 5 of 10 prescribed sessions were done (50%). Week of 15 May: 0 of 4."
    )
    assert chart.table.headers == ["Week starting", "Done", "Prescribed"]
    assert chart.table.rows == [["1 May", "2", "3"], ["8 May", "3", "3"], ["15 May", "0", "4"]]


def svg_text(chart: Chart) -> str:
    """Every word the chart shows or says: its SVG text, title and description, and its table."""
    table = [chart.table.caption, *chart.table.headers, *(cell for row in chart.table.rows for cell in row)]
    return " ".join([*parse(chart).itertext(), chart.title, chart.description, *table])


def y_axis_labels(chart: Chart) -> list[str]:
    return [
        text.text or ""
        for group in parse(chart).iter(f"{NS}g")
        if {"axis", "y"} <= set(group.get("class", "").split())
        for text in group.iter(f"{NS}text")
    ]


@pytest.mark.parametrize(
    "label", ["Sciatica bother score", "Pain and daily-life score (PEG)", "Activity score"]
)
def test_it_never_says_score_twice(label: str) -> None:
    recorded = charts.measure_chart(label, [("First check", 14), ("2 weeks", 11)], 24, "m1")
    empty = charts.measure_chart(label, [("First check", None)], 24, "m2")
    for chart in (recorded, empty):
        words = svg_text(chart).lower().replace("(peg)", "").split()
        assert ["score", "score"] not in [words[i : i + 2] for i in range(len(words) - 1)], svg_text(chart)
        assert "score scores" not in svg_text(chart).lower()
    assert recorded.description.startswith(f"{label} fell from 14 at the first check to 11 at 2 weeks.")
    assert recorded.table.caption == f"{label} (0 to 24)"


@pytest.mark.parametrize(
    ("done", "prescribed", "labels"),
    [
        ([0], [1], ["0", "1"]),
        ([1, 2], [2, 2], ["0", "1", "2"]),
        ([0, 0], [0, 0], ["0", "1"]),
        ([5], [7], ["0", "2", "4", "6", "8"]),
        ([3, 14], [14, 14], ["0", "5", "10", "15"]),
    ],
)
def test_it_counts_sessions_on_the_axis_in_whole_sessions(
    done: list[int], prescribed: list[int], labels: list[str]
) -> None:
    weeks = [D0 + timedelta(7 * i) for i in range(len(done))]
    chart = charts.adherence_chart(weeks, done, prescribed, "whole")
    assert y_axis_labels(chart) == labels


def test_it_makes_whole_number_axes_with_few_labels() -> None:
    for top in range(500):
        axis = charts.whole_number_axis(top)
        assert axis[0] == 0 and axis[-1] >= max(top, 1) and len(axis) <= 7
        assert all(isinstance(n, int) for n in axis)


def test_it_keeps_a_90_day_chart_small() -> None:
    n = 90
    leg = [float(i % 11) if i % 7 else None for i in range(n)]
    back = [float((i * 3) % 11) for i in range(n)]
    sessions = {d for d in days(n) if d.weekday() in (0, 2, 4)}
    svg = charts.pain_chart(days(n), leg, back, sessions, "big").svg
    assert len(svg.encode()) < 25_000
    assert len(gzip.compress(svg.encode())) < 6_000


def test_it_renders_in_weasyprint() -> None:
    weasyprint = pytest.importorskip("weasyprint")
    pypdf = pytest.importorskip("pypdf")
    body = "".join(f"<div style='width:390px'>{chart.svg}</div>" for chart in sample_charts())
    pdf = weasyprint.HTML(string=f"<html><body>{body}</body></html>").write_pdf()
    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Baseline" in text and "1 May" in text  # axis labels stayed text
