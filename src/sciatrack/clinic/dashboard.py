"""The clinician dashboard: a clinic's patients, those needing attention first, in a fixed number of queries.

A patient needs attention when their latest check found a danger sign, a session in the last two weeks
was flagged for review (an exercise spread the symptoms, or a red-flag answer), leg pain at the latest
check is worse than at the first by the NPRS threshold (or, six weeks on, not clearly better), a
follow-up is due or overdue, or a patient with a program has done no session for a week. Danger signs
and flagged sessions sort to the top in the database; the rest are worked out for the page's patients
from their prefetched checks.
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
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from sciatrack.accounts.models import Patient
from sciatrack.care.models import Intake, Program, SafetyUpdate, SessionLog
from sciatrack.care.progress import assessment_of
from sciatrack.content.rules_loader import get_questionnaire
from sciatrack.domain.follow_ups import FollowUpStatus, follow_up_schedule
from sciatrack.domain.outcomes import NOT_IMPROVING_WEEKS
from sciatrack.domain.scoring import important_change

DANGER_TIERS = ("emergency", "urgent")
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
            When(latest_tier__in=DANGER_TIERS, then=Value(0)),
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


def with_checks(patients: QuerySet[Any]) -> QuerySet[Any]:
    checks = Intake.objects.only("patient_id", "created", "tier", "measures").order_by("created")
    return patients.prefetch_related(Prefetch("intakes", queryset=checks, to_attr="checks"))


def reasons_for(patient: Any, now: datetime, today: date) -> tuple[str, ...]:
    """Why ``patient`` (annotated, with ``checks``) needs attention today, most urgent first."""
    found: list[str] = []
    if patient.latest_tier in DANGER_TIERS:
        found.append("Danger sign at the latest check")
    if patient.reported:
        found.append("Danger sign reported since the latest check")
    if patient.latest_raised:
        found.append("More urgent advice under the updated safety rules")
    if patient.flagged:
        found.append(f"{patient.flagged} session{'s' if patient.flagged != 1 else ''} flagged for review")
    checks = patient.checks
    if len(checks) >= 2:
        first, latest = assessment_of(checks[0]).leg_pain, assessment_of(checks[-1]).leg_pain
        worse_by = get_questionnaire("nprs").minimal_important_change.points
        if first is not None and latest is not None and worse_by is not None and latest - first >= worse_by:
            found.append("Leg pain worse than at the first check")
        elif (
            first is not None
            and latest is not None
            and checks[-1].created - checks[0].created >= timedelta(weeks=NOT_IMPROVING_WEEKS)
            and important_change("nprs", first, latest).verdict != "important_improvement"
        ):
            found.append(f"Not improving after {NOT_IMPROVING_WEEKS} weeks")
    if checks:
        baseline = timezone.localdate(checks[0].created)
        done = [timezone.localdate(c.created) for c in checks[1:]]
        for due in follow_up_schedule(baseline, today, done):
            if due.status in (FollowUpStatus.DUE, FollowUpStatus.OVERDUE):
                found.append(f"{due.week}-week follow-up {due.status.value}")
    inactive_since = now - timedelta(days=INACTIVE_DAYS)
    if patient.has_program and (patient.last_session is None or patient.last_session < inactive_since):
        found.append(f"No session for {INACTIVE_DAYS} days")
    return tuple(found)


def rows(page_patients: list[Any], now: datetime) -> list[PatientRow]:
    today = timezone.localdate(now)
    return [PatientRow(p, reasons_for(p, now, today), p.last_session, p.latest_tier) for p in page_patients]
