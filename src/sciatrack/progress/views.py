"""``/progress/``: the person's progress in plain words first, then the charts with their data tables."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sciatrack.check.checking import patient_of
from sciatrack.content.loader import exercise_names
from sciatrack.domain.follow_ups import FollowUpStatus
from sciatrack.domain.outcomes import LABEL, Measure
from sciatrack.outputs import charts

from .history import Progress, progress_of

# The questionnaire measures charted at each check, with the top of their scale.
MEASURE_SCALES = ((Measure.SBI, 24.0, False), (Measure.PEG, 10.0, False), (Measure.PSFS, 10.0, True))


def progress_charts(progress: Progress) -> list[charts.Chart]:
    """The charts of the progress page and the report, in the order they are shown."""
    days = [entry.day for entry in progress.diary]
    found = [
        charts.pain_chart(
            days,
            [entry.leg_pain for entry in progress.diary],
            [entry.back_pain for entry in progress.diary],
            set(progress.session_days),
            "pain",
        ),
        charts.reach_chart(days, [e.reach.depth if e.reach else None for e in progress.diary], "reach"),
    ]
    if progress.adherence:
        weeks = progress.adherence
        found.append(
            charts.adherence_chart(
                [w.week_start for w in weeks],
                [w.done for w in weeks],
                [w.prescribed for w in weeks],
                "adherence",
            )
        )
    checks = check_points(progress)
    for measure, top, higher_is_better in MEASURE_SCALES:
        points = [
            (label, None if assessment is None else assessment.value(measure)) for label, assessment in checks
        ]
        if any(value is not None for _, value in points):
            found.append(
                charts.measure_chart(
                    LABEL[measure], points, top, f"measure-{measure.value}", higher_is_better=higher_is_better
                )
            )
    return found


def check_points(progress: Progress) -> list[tuple[str, Any]]:
    """(label, assessment or None) for the baseline and each scheduled follow-up, in order."""
    by_day = {assessment.day: assessment for assessment in progress.follow_ups}
    points: list[tuple[str, Any]] = [("First check", progress.baseline)]
    for due in progress.schedule:
        done = by_day.get(due.done_on) if due.done_on else None
        points.append((f"{due.week} weeks", done))
    return points


def stopped_with_names(progress: Progress) -> list[tuple[date, str, str]]:
    """The exercises sessions stopped, as (day, exercise name, why)."""
    names = exercise_names()
    return [
        (day, names.get(exercise_id, exercise_id), why)
        for day, exercise_id, why in progress.stopped_exercises
    ]


@login_required
def progress_page(request: HttpRequest) -> HttpResponse:
    patient = patient_of(request)
    if patient is None:
        return render(request, "care/progress.html", {"no_patient": True})
    progress = progress_of(patient)
    context = {
        "progress": progress,
        "charts": progress_charts(progress) if progress.has_data else [],
        "changes": [
            (LABEL[change.measure], change) for change in progress.changes if change.baseline is not None
        ],
        "open_follow_up": progress.next_due is not None
        and progress.next_due.status in (FollowUpStatus.DUE, FollowUpStatus.OVERDUE),
        "stopped": stopped_with_names(progress),
    }
    return render(request, "care/progress.html", context)
