"""Rows stored before today's input rules: their free text made storable, and those the rules refuse
quarantined. Data only; a clinical value is never changed.

1. NUL characters and unpaired surrogates are stripped from free text with
   :func:`sciatrack.domain.plain_input.storable_text`, the one change ever made to a stored value:
   PostgreSQL cannot hold a NUL and no page can encode an unpaired surrogate. Free text is the columns
   of :data:`FREE_TEXT` and, inside JSON, the strings under the keys of :data:`FREE_TEXT_IN_JSON` (why an
   exercise was stopped, the activities a person named).
2. Rows today's rules refuse get a ``quarantine_reason`` saying why; they stay as stored and are left
   out of pages and the registry (see :mod:`sciatrack.care.quarantine`): a check whose answers
   ``parse_intake`` refuses; a session log with a time before 2000 or more than a day after this
   migration ran, lasting more than a day, or that ``parse_session_log`` refuses (a pain of 11, a count
   out of range); a diary day dated outside the same window or that the diary's form refuses.

The times of a session log and the day of a diary entry are first judged by the database itself:
PostgreSQL keeps times (year 0, year 10000 in UTC) that Python's datetime cannot hold, so a row outside
the window is found and marked without its times ever being read into Python. Running the rules of the
app here is deliberate: a row is quarantined because the app would refuse it today.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.utils import timezone

from sciatrack.domain.plain_input import EARLIEST_MOMENT, FUTURE_SLACK, moment_problem, storable_text

BATCH = 1000
REASON_MAX = 500  # the length of the quarantine_reason column

# Columns a person or a clinician typed, by (app, model).
FREE_TEXT: dict[tuple[str, str], tuple[str, ...]] = {
    ("accounts", "Patient"): ("display_name",),
    ("accounts", "ApiToken"): ("name",),
    ("clinic", "Invitation"): ("display_name",),
    ("clinic", "ClinicianNote"): ("text", "author_name"),
    ("care", "SessionLog"): ("end_reason",),
    ("care", "DiaryEntry"): ("note",),
    ("care", "ProgramChange"): ("summary", "author_name"),
    ("care", "Clearance"): ("note", "by_name"),
    ("care", "ResumeClearance"): ("by_name",),
}
# JSON columns holding typed text, by (app, model): the column and the key of each typed string in it.
FREE_TEXT_IN_JSON: dict[tuple[str, str], tuple[str, str]] = {
    ("care", "SessionLog"): ("exercises", "stop_reason"),
    ("care", "Intake"): ("measures", "activity"),
}


def quarantine_stored_rows(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    quarantine_rows(apps, schema_editor.connection.alias, timezone.now())


def quarantine_rows(apps: Any, alias: str, now: datetime) -> None:
    """Strip what no table or page can hold from free text, then quarantine what today's rules refuse,
    with the window for times ending a day after ``now``."""
    strip_free_text(apps, alias)
    for model_name, find in (
        ("Intake", check_problems),
        ("SessionLog", session_log_problems),
        ("DiaryEntry", diary_problems),
    ):
        rows = apps.get_model("care", model_name)._base_manager.using(alias)
        for pk, problems in find(rows, now).items():
            rows.filter(pk=pk).update(quarantine_reason=_reason(problems))


def _reason(problems: list[str]) -> str:
    text = "; ".join(problems)
    return text if len(text) <= REASON_MAX else text[: REASON_MAX - 1] + "…"


def strip_free_text(apps: Any, alias: str) -> None:
    """Every typed text without NUL and unpaired surrogates; nothing else is touched."""
    for (app, model_name), columns in FREE_TEXT.items():
        rows = apps.get_model(app, model_name)._base_manager.using(alias)
        changed = []
        for pk, *values in rows.values_list("pk", *columns).iterator(chunk_size=BATCH):
            cleaned = {
                column: storable_text(value)
                for column, value in zip(columns, values, strict=True)
                if isinstance(value, str) and storable_text(value) != value
            }
            if cleaned:
                changed.append((pk, cleaned))
        # Written after the reading is done: SQLite does not keep a table being read apart from its writes.
        for pk, cleaned in changed:
            rows.filter(pk=pk).update(**cleaned)
    for (app, model_name), (column, key) in FREE_TEXT_IN_JSON.items():
        rows = apps.get_model(app, model_name)._base_manager.using(alias)
        changed_json = []
        for pk, document in rows.values_list("pk", column).iterator(chunk_size=BATCH):
            cleaned_document = _storable_in(document, key)
            if cleaned_document != document:
                changed_json.append((pk, cleaned_document))
        for pk, cleaned_document in changed_json:
            rows.filter(pk=pk).update(**{column: cleaned_document})


def _storable_in(document: Any, key: str) -> Any:
    """``document`` with each string stored under ``key``, at any depth, made storable."""
    if isinstance(document, list):
        return [_storable_in(item, key) for item in document]
    if isinstance(document, dict):
        return {
            name: storable_text(value) if name == key and isinstance(value, str) else _storable_in(value, key)
            for name, value in document.items()
        }
    return document


def check_problems(rows: Any, now: datetime) -> dict[int, list[str]]:
    """The checks whose answers today's ``parse_intake`` refuses, with its problems."""
    from sciatrack.domain.intake import IntakeError, parse_intake

    problems: dict[int, list[str]] = {}
    for pk, answers in rows.values_list("pk", "answers").iterator(chunk_size=BATCH):
        try:
            parse_intake(answers)
        except IntakeError as error:
            problems[pk] = [f"answers: {problem}" for problem in error.problems]
    return problems


def _window_words(now: datetime) -> tuple[str, str]:
    """The words of the moment rule itself for a time before its window and for one after it."""
    step = timedelta(microseconds=1)
    too_early = moment_problem(EARLIEST_MOMENT - step, now)
    too_late = moment_problem(now + FUTURE_SLACK + step, now)
    assert too_early is not None and too_late is not None
    return too_early, too_late


def session_log_problems(rows: Any, now: datetime) -> dict[int, list[str]]:
    """The logs today's rules refuse, with why: times outside the window (found by the database), then,
    for the others, whatever ``parse_session_log`` refuses (a length over a day, a pain of 11...)."""
    from sciatrack.domain.session_log import SessionLogError, parse_session_log

    latest = now + FUTURE_SLACK
    too_early, too_late = _window_words(now)
    problems: defaultdict[int, list[str]] = defaultdict(list)
    for field in ("started_at", "finished_at"):
        for lookup, bound, words in (("lt", EARLIEST_MOMENT, too_early), ("gt", latest, too_late)):
            for pk in rows.filter(**{f"{field}__{lookup}": bound}).values_list("pk", flat=True):
                problems[pk].append(f"{field}: {words}")
    readable = rows.filter(
        started_at__gte=EARLIEST_MOMENT,
        started_at__lte=latest,
        finished_at__gte=EARLIEST_MOMENT,
        finished_at__lte=latest,
    )
    columns = (
        "pk",
        "idempotency_key",
        "started_at",
        "finished_at",
        "pain_before",
        "pain_after",
        "exercises",
        "ended_early",
        "end_reason",
    )
    for pk, key, started, finished, *rest in readable.values_list(*columns).iterator(chunk_size=BATCH):
        pain_before, pain_after, exercises, ended_early, end_reason = rest
        try:
            parse_session_log(
                {
                    "idempotency_key": str(key),
                    "started_at": started.isoformat(),
                    "finished_at": finished.isoformat(),
                    "pain_before": pain_before,
                    "pain_after": pain_after,
                    "exercises": exercises,
                    "ended_early": ended_early,
                    "end_reason": end_reason,
                },
                now,
            )
        except SessionLogError as error:
            problems[pk].extend(str(problem) for problem in error.problems)
    return dict(problems)


def diary_problems(rows: Any, now: datetime) -> dict[int, list[str]]:
    """The diary days dated outside the window (found by the database) or that the diary's form refuses."""
    from sciatrack.care.forms import FIELD_LABELS, DiaryForm

    too_early, too_late = _window_words(now)
    first_day: date = EARLIEST_MOMENT.date()
    last_day = timezone.localdate(now + FUTURE_SLACK)
    problems: defaultdict[int, list[str]] = defaultdict(list)
    for lookup, bound, words in (("lt", first_day, too_early), ("gt", last_day, too_late)):
        for pk in rows.filter(**{f"day__{lookup}": bound}).values_list("pk", flat=True):
            problems[pk].append(f"day: {words}")
    answers = ("leg_pain", "back_pain", "reach", "sleep", "note")
    for pk, *values in rows.values_list("pk", *answers).iterator(chunk_size=BATCH):
        # "none": the danger-sign question is asked each day but never stored.
        data = {
            "danger_signs": "none",
            **{name: str(value) for name, value in zip(answers, values, strict=True)},
        }
        form = DiaryForm(data)
        if not form.is_valid():
            problems[pk].extend(
                f"{field}: {' '.join(str(message) for message in messages)}"
                for field, messages in form.errors.items()
                if field in FIELD_LABELS
            )
    return dict(problems)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_api_tokens"),
        ("care", "0010_submissions_programs_and_quarantine"),
        ("clinic", "0003_clinician_notes"),
    ]

    operations = [
        migrations.RunPython(quarantine_stored_rows, migrations.RunPython.noop, elidable=False),
    ]
