"""The clinician dashboard: a clinic's patients, those needing attention first, in a fixed number of queries.

A patient needs attention when their latest check found a danger sign, a session in the last two weeks
was flagged for review (an exercise spread the symptoms, or a red-flag answer), the progress signals say
so (leg pain worse than at the first check, symptoms spreading down the leg, or not improving after six
weeks: :func:`sciatrack.domain.outcomes.signals`, the same rule and the same checks and diary as the
person's own progress page), a follow-up is due or overdue, or a patient with a program has done no
session for a week (the reason says for how many days: :func:`days_without_session`). Danger signs and
flagged sessions sort to the top in the database; the rest are worked out for the page's patients from
their prefetched checks and the diary days the signals read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.utils import timezone

from sciatrack.accounts.models import Patient
from sciatrack.care.models import DiaryEntry, Intake, Program, SafetyUpdate, SessionLog
from sciatrack.domain.follow_ups import FollowUpStatus, follow_up_schedule
from sciatrack.domain.outcomes import signal_diary_days
from sciatrack.domain.vocabulary import ALERT_TIERS, Tier
from sciatrack.progress.history import history_of

REVIEW_DAYS = 14
INACTIVE_DAYS = 7


@dataclass(frozen=True)
class PatientRow:
    patient: Patient
    reasons: tuple[str, ...]
    last_session: datetime | None
    latest_tier: str | None


def annotated(patients: QuerySet[Patient], now: datetime, attention_only: bool = False) -> QuerySet[Any]:
    """``patients`` with their latest tier, recent flagged sessions and last session, attention first;
    with ``attention_only``, just those with a danger sign or a flagged session."""
    # Subqueries rather than joins: counting across two joined tables would multiply the counts.
    latest = Intake.objects.filter(patient=OuterRef("pk")).order_by("-created")
    logs = SessionLog.objects.filter(patient=OuterRef("pk")).order_by().values("patient")
    since = now - timedelta(days=REVIEW_DAYS)
    found = patients.annotate(
        latest_tier=Subquery(latest.values("current_tier")[:1]),
        latest_raised=Subquery(latest.values("advice_raised")[:1]),
        latest_id=Subquery(latest.values("id")[:1]),
        # Danger signs the person reported since their latest check (not a top-up of new questions).
        reported=Exists(
            SafetyUpdate.objects.filter(intake_id=OuterRef("latest_id")).exclude(
                source=SafetyUpdate.Source.TOP_UP
            )
        ),
        flagged=Subquery(
            logs.filter(needs_review=True, started_at__gte=since).annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        last_session=Subquery(logs.annotate(last=Max("started_at")).values("last")),
        has_program=Exists(Program.objects.filter(patient=OuterRef("pk"))),
        priority=Case(
            When(latest_tier__in=ALERT_TIERS, then=Value(0)),
            When(latest_raised=True, then=Value(0)),
            When(reported=True, then=Value(0)),
            When(flagged__gt=0, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
    )
    if attention_only:
        found = found.filter(priority__lt=2)
    return found.order_by("priority", "display_name", "pk")


def with_history(patients: QuerySet[Any], now: datetime) -> list[Any]:
    """The page's ``patients`` with their checks (``checks``) and the diary entries the signals read on
    ``now``'s day (``signal_diary``), in the same number of queries however many patients and entries.

    A whole diary grows by a row a day, so only the days :func:`signal_diary_days` names are fetched: they
    depend on each patient's first and last entry, which the patients' own query brings along."""
    today = timezone.localdate(now)
    days = DiaryEntry.objects.filter(patient=OuterRef("pk"), day__lte=today).order_by().values("day")
    checks = Intake.objects.only("patient_id", "created", "tier", "measures").order_by("created")
    found = list(
        patients.annotate(
            diary_first=Subquery(days.order_by("day")[:1]),
            diary_last=Subquery(days.order_by("-day")[:1]),
        ).prefetch_related(Prefetch("intakes", queryset=checks, to_attr="checks"))
    )
    wanted = Q()  # with no diary on the page this stays empty, matching all of nothing: still one query
    for patient in found:
        if patient.diary_first is not None:
            for start, end in signal_diary_days(patient.diary_first, patient.diary_last):
                wanted |= Q(patient_id=patient.pk, day__range=(start, end))
    diary = DiaryEntry.objects.filter(wanted, day__lte=today).only(
        "patient_id", "day", "leg_pain", "back_pain", "reach"
    )
    prefetch_related_objects(found, Prefetch("diary", queryset=diary, to_attr="signal_diary"))
    return found


def reasons_for(patient: Any, now: datetime, today: date) -> tuple[str, ...]:
    """Why ``patient`` (annotated, with ``checks`` and ``signal_diary``) needs attention today, most urgent
    first."""
    found: list[str] = []
    if patient.latest_tier is not None and Tier(patient.latest_tier).is_alert:
        found.append("Danger sign at the latest check")
    if patient.reported:
        found.append("Danger sign reported since the latest check")
    if patient.latest_raised:
        found.append("More urgent advice under the updated safety rules")
    if patient.flagged:
        found.append(f"{patient.flagged} session{'s' if patient.flagged != 1 else ''} flagged for review")
    # The person's progress page reads the same history with the same rule: both are told the same thing.
    history = history_of(patient.checks, patient.signal_diary)
    found += [signal.for_clinician for signal in history.signals(today)]
    if history.baseline is not None:
        done = [follow_up.day for follow_up in history.follow_ups]
        for due in follow_up_schedule(history.baseline.day, today, done):
            if due.status in (FollowUpStatus.DUE, FollowUpStatus.OVERDUE):
                found.append(f"{due.week}-week follow-up {due.status.value}")
    inactive_since = now - timedelta(days=INACTIVE_DAYS)
    if patient.has_program and (patient.last_session is None or patient.last_session < inactive_since):
        found.append(days_without_session(patient.last_session, today))
    return tuple(found)


def days_without_session(last_session: datetime | None, today: date) -> str:
    """How long a patient has gone without a session, counted in calendar days (in the site's time zone)
    from the day of their last session to ``today``: "No session for 64 days", or "No session yet"."""
    if last_session is None:
        return "No session yet"
    days = (today - timezone.localdate(last_session)).days
    return f"No session for {days} day{'s' if days != 1 else ''}"


def rows(page_patients: list[Any], now: datetime) -> list[PatientRow]:
    today = timezone.localdate(now)
    return [PatientRow(p, reasons_for(p, now, today), p.last_session, p.latest_tier) for p in page_patients]
