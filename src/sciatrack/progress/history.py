"""A person's progress, gathered from their stored records and judged by :mod:`sciatrack.domain.outcomes`.

The first safety check is the baseline; every later check is a follow-up (it re-runs the danger-sign
questions too, so a new flag there ends the program through the usual triage). The pain diary adds a
daily leg and back pain reading, used for the plain-language summary and the signals, never for the
responder status, which compares the questionnaires of the checks only.

:func:`history_of` turns stored checks and diary entries into what the outcomes judge; the clinician's
dashboard reads its signals through it too, so a person and their clinician are told the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from sciatrack.accounts.models import Patient
from sciatrack.care.models import DiaryEntry, Intake, Program
from sciatrack.domain import outcomes
from sciatrack.domain.follow_ups import FollowUpDue, follow_up_schedule, next_follow_up
from sciatrack.domain.outcomes import Assessment, Measure, MeasureChange, Signal, SymptomReach
from sciatrack.domain.readings import Reading, Source, latest_reading, leg_pain_sentence

MEASURE_KEYS = {"sbi": Measure.SBI, "peg": Measure.PEG, "psfs": Measure.PSFS}


@dataclass(frozen=True)
class Progress:
    """Everything the progress page, the report and the charts show for one person on ``today``."""

    today: date
    baseline: Assessment | None
    follow_ups: tuple[Assessment, ...]
    diary: tuple[outcomes.DiaryEntry, ...]
    session_days: tuple[date, ...]
    changes: tuple[MeasureChange, ...]  # per measure, baseline against the follow-up checks
    first_leg_pain: Reading | None  # leg pain at the first check
    latest_leg_pain: Reading | None  # the leg pain rating saved last, from a check or the diary
    leg_pain_summary: str  # the first against the latest reading, each named by its source
    schedule: tuple[FollowUpDue, ...]
    next_due: FollowUpDue | None
    adherence: tuple[outcomes.WeekAdherence, ...]
    trend: outcomes.Trend
    signals: tuple[Signal, ...]
    recovered: bool | None  # judged on the latest reading after the first check; None without one
    stopped_exercises: tuple[tuple[date, str, str], ...]  # (day, exercise id, why)
    sessions_per_week: int = 0  # the aim of a whole week (:attr:`adherence` counts against it); 0: none

    @property
    def has_data(self) -> bool:
        return self.baseline is not None


def assessment_of(intake: Intake) -> Assessment:
    """The measures one stored check recorded, on its local calendar day."""
    measures: dict[str, Any] = intake.measures or {}
    nprs = measures.get("nprs") or {}
    values: dict[str, float | None] = {
        "leg_pain": _number(nprs.get("leg_now")),
        "back_pain": _number(nprs.get("back_now")),
    }
    for key, measure in MEASURE_KEYS.items():
        entry = measures.get(key) or {}
        values[measure.value] = None if entry.get("skipped") else _number(entry.get("score"))
    return Assessment(timezone.localdate(intake.created), **values)


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


@dataclass(frozen=True)
class History:
    """A person's checks and diary as :mod:`sciatrack.domain.outcomes` reads them."""

    baseline: Assessment | None  # the first check
    follow_ups: tuple[Assessment, ...]  # every later check, oldest first
    diary: tuple[outcomes.DiaryEntry, ...]  # oldest first

    def signals(self, today: date) -> tuple[Signal, ...]:
        """The reasons to see a clinician on ``today``: the one rule, for the person and the clinician."""
        return tuple(outcomes.signals(self.baseline, self.follow_ups, self.diary, today))


def history_of(checks: Iterable[Intake], diary: Iterable[DiaryEntry]) -> History:
    """The history of stored ``checks`` and ``diary`` entries (in any order)."""
    assessments = [assessment_of(check) for check in sorted(checks, key=lambda check: check.created)]
    entries = tuple(
        outcomes.DiaryEntry(entry.day, entry.leg_pain, entry.back_pain, SymptomReach(entry.reach))
        for entry in sorted(diary, key=lambda entry: entry.day)
    )
    return History(assessments[0] if assessments else None, tuple(assessments[1:]), entries)


def leg_pain_readings(checks: Iterable[Intake], diary: Iterable[DiaryEntry]) -> list[Reading]:
    """Every leg pain rating of the stored ``checks`` (the oldest is the first check) and ``diary``."""
    readings: list[Reading] = []
    for number, check in enumerate(sorted(checks, key=lambda check: check.created)):
        leg_pain = assessment_of(check).leg_pain
        if leg_pain is not None:
            source = Source.FIRST_CHECK if number == 0 else Source.CHECK
            readings.append(Reading(timezone.localdate(check.created), leg_pain, source, check.created))
    readings.extend(Reading(entry.day, entry.leg_pain, Source.DIARY, entry.updated) for entry in diary)
    return readings


def progress_of(patient: Patient, today: date | None = None) -> Progress:
    """The patient's progress up to ``today`` (the local date by default), in a fixed number of queries."""
    today = today or timezone.localdate()
    checks = list(patient.intakes.order_by("created"))
    diary_rows = list(patient.diary.order_by("day"))
    history = history_of(checks, diary_rows)
    baseline, follow_ups, diary = history.baseline, history.follow_ups, history.diary
    # The patient's id too: the related manager sets each log's patient from it (deferred, one read a log).
    logs = list(patient.session_logs.order_by("started_at").only("patient", "started_at", "exercises"))
    session_days = tuple(timezone.localdate(log.started_at) for log in logs)
    stopped = tuple(
        (timezone.localdate(log.started_at), item["id"], item.get("stop_reason", ""))
        for log in logs
        for item in log.exercises
        if item.get("status") == "stopped"
    )
    record: Program | None = patient.programs.first()
    program = record.to_domain() if record is not None else None
    schedule: tuple[FollowUpDue, ...] = ()
    adherence: tuple[outcomes.WeekAdherence, ...] = ()
    per_week = 0
    if baseline is not None:
        schedule = tuple(follow_up_schedule(baseline.day, today, [a.day for a in follow_ups]))
        per_week = outcomes.prescribed_sessions_per_week(program)
        # Sessions are asked for from the first check on: that is when the first program was offered.
        adherence = tuple(outcomes.weekly_adherence(session_days, per_week, baseline.day, today))
    readings = [reading for reading in leg_pain_readings(checks, diary_rows) if reading.day <= today]
    first = next((r for r in readings if r.source is Source.FIRST_CHECK), None)
    latest = latest_reading(readings)
    return Progress(
        today=today,
        baseline=baseline,
        follow_ups=follow_ups,
        diary=diary,
        session_days=session_days,
        changes=tuple(outcomes.measure_changes(baseline, follow_ups)),
        first_leg_pain=first,
        latest_leg_pain=latest,
        leg_pain_summary=leg_pain_sentence(first, latest, today),
        schedule=schedule,
        next_due=next_follow_up(schedule),
        adherence=adherence,
        trend=outcomes.centralization_trend(diary),
        signals=history.signals(today),
        recovered=outcomes.recovered(latest.value) if latest is not None and latest != first else None,
        stopped_exercises=stopped,
        sessions_per_week=per_week,
    )
