"""Mirroring care-app patients into the outcome registry, de-identified.

Only patients of a clinic are mirrored: the registry covers the clinic network, so a person using
Sciatrack on their own (no clinic) is never in it, and a patient who leaves their clinic leaves it too.
A patient is mirrored once they have a safety check; the case keeps no name, no contact detail and no
free text, only ``source_patient`` (the patient's public uuid) to find it again.

- The first check is the baseline: ``enrolled_on`` is its local date, the age band comes from its
  answers (``''`` when the age was not given), the triage tier from its result, and the baseline leg
  pain, back pain and Sciatica Bothersomeness Index from its measures (empty when skipped).
- The program fields describe the patient's current (newest) program, the one the progress page counts
  adherence against: its pattern, its exercises as a ``program_bits`` mask, and the guided sessions a
  week it asks for (:func:`sciatrack.domain.outcomes.prescribed_sessions_per_week`). Without a program
  (a tier that does not allow exercise) the mask and sessions are 0 and the pattern is the triage's.
- Every later check is a follow-up, on the day counted from the baseline's local date.
- Session logs and diary entries are summed per week since enrolment (week 0 starts on the baseline's
  date); only weeks with a session or a diary entry get a row, and anything dated before the baseline
  is left out. A short session (a bad day's) and one ended early count as a session done; the week also
  says how many of its sessions were short and how many ended early.

:func:`sync_patient` is idempotent: it replaces the case's follow-ups and weeks with what the care
records say now, then recomputes the case's summary rows, all in one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from statistics import fmean
from typing import Any

from django.db import transaction
from django.utils import timezone

from sciatrack.accounts.models import Patient
from sciatrack.care.models import DiaryEntry, Intake, SessionLog
from sciatrack.care.models import Program as ProgramRecord
from sciatrack.content.registry_schema import RegistryContent, load_registry_content
from sciatrack.domain.outcomes import prescribed_sessions_per_week
from sciatrack.domain.registry_outcomes import DAYS_PER_WEEK, age_band, program_mask
from sciatrack.domain.session_log import SessionKind
from sciatrack.progress.history import assessment_of

from .models import RegistryCase, RegistryFollowUp, RegistryWeek
from .summary import refresh_cases


@dataclass
class _Week:
    sessions_done: int = 0
    leg_pain: list[int] = field(default_factory=list)


def weekly_activity(
    enrolled_on: date, session_days: Iterable[date], diary: Iterable[tuple[date, int]]
) -> list[tuple[int, int, int, float | None]]:
    """``(week, sessions_done, diary_days, mean_leg_pain)`` for each week since ``enrolled_on`` with a
    session (one date per session) or a diary entry (``(day, leg pain)``), in week order; days before
    ``enrolled_on`` are left out."""
    weeks: defaultdict[int, _Week] = defaultdict(_Week)
    for day in session_days:
        if day >= enrolled_on:
            weeks[(day - enrolled_on).days // DAYS_PER_WEEK].sessions_done += 1
    for day, leg_pain in diary:
        if day >= enrolled_on:
            weeks[(day - enrolled_on).days // DAYS_PER_WEEK].leg_pain.append(leg_pain)
    return [
        (week, found.sessions_done, len(found.leg_pain), fmean(found.leg_pain) if found.leg_pain else None)
        for week, found in sorted(weeks.items())
    ]


def weekly_session_kinds(
    enrolled_on: date, sessions: Iterable[tuple[date, bool, bool]]
) -> dict[int, tuple[int, int]]:
    """``{week: (short sessions, sessions ended early)}`` from ``(day, short, ended early)`` per session,
    for the weeks :func:`weekly_activity` counts; days before ``enrolled_on`` are left out."""
    weeks: defaultdict[int, list[int]] = defaultdict(lambda: [0, 0])
    for day, short, ended_early in sessions:
        if day >= enrolled_on:
            counts = weeks[(day - enrolled_on).days // DAYS_PER_WEEK]
            counts[0] += short
            counts[1] += ended_early
    return {week: (short, early) for week, (short, early) in weeks.items()}


def _whole(value: float | None) -> int | None:
    return None if value is None else round(value)


def _age_band(content: RegistryContent, answers: dict[str, Any]) -> str:
    age = answers.get("age")
    if not isinstance(age, int) or age < content.age_bands[0].from_age:
        return ""
    return age_band(content.age_bands, age)


def _program_fields(
    content: RegistryContent, record: ProgramRecord | None, baseline: Intake
) -> dict[str, Any]:
    if record is None:
        return {
            "pattern": str(baseline.result.get("mckenzie_pattern", "")),
            "program_mask": 0,
            "sessions_per_week": 0,
        }
    # Read the way the app reads a stored program: exercises since dropped from the library are skipped.
    program = record.to_domain()
    return {
        "pattern": record.pattern,
        "program_mask": program_mask(content.program_bits, program.exercise_ids),
        "sessions_per_week": prescribed_sessions_per_week(program),
    }


def sync_patient(patient: Patient, *, refresh: bool = True) -> RegistryCase | None:
    """Make the registry case of ``patient`` match their care records now; returns it, or None (after
    deleting any case they had) when the patient is gone, has no clinic or has no check yet.

    The case's summary rows are recomputed in the same transaction unless ``refresh`` is False, in
    which case the case is left stale for :func:`sciatrack.registry.summary.refresh_stale`.
    """
    content = load_registry_content()
    with transaction.atomic():
        # Locking the patient row makes two syncs of one person (two requests at once) run in turn.
        found = Patient.objects.select_for_update().filter(pk=patient.pk).values_list("clinic_id").first()
        # Most people have no clinic; their checks are not read at all.
        clinic_id = found[0] if found is not None else None
        intakes = []
        if clinic_id is not None:
            intakes = list(Intake.objects.filter(patient_id=patient.pk).order_by("created", "id"))
        if clinic_id is None or not intakes:
            RegistryCase.objects.filter(source_patient=patient.uuid).delete()
            return None
        baseline, *later = intakes
        first = assessment_of(baseline)
        enrolled_on = first.day
        record = ProgramRecord.objects.filter(patient_id=patient.pk).order_by("-created", "-id").first()
        case, _ = RegistryCase.objects.update_or_create(
            source_patient=patient.uuid,
            defaults={
                "clinic_id": clinic_id,
                "enrolled_on": enrolled_on,
                "age_band": _age_band(content, baseline.answers),
                "triage_tier": baseline.tier,
                **_program_fields(content, record, baseline),
                "baseline_leg_pain": _whole(first.leg_pain),
                "baseline_back_pain": _whole(first.back_pain),
                "baseline_sbi": _whole(first.sbi),
                "stale": True,
            },
        )
        RegistryFollowUp.objects.filter(case=case).delete()
        RegistryWeek.objects.filter(case=case).delete()
        follow_ups = [assessment_of(intake) for intake in later]
        RegistryFollowUp.objects.bulk_create(
            RegistryFollowUp(
                case=case,
                day=(follow_up.day - enrolled_on).days,
                leg_pain=_whole(follow_up.leg_pain),
                back_pain=_whole(follow_up.back_pain),
                sbi=_whole(follow_up.sbi),
            )
            for follow_up in follow_ups
        )
        sessions = [
            (timezone.localdate(started), kind == SessionKind.SHORT.value, ended_early)
            for started, kind, ended_early in SessionLog.objects.filter(patient_id=patient.pk).values_list(
                "started_at", "kind", "ended_early"
            )
        ]
        diary = DiaryEntry.objects.filter(patient_id=patient.pk).values_list("day", "leg_pain")
        kinds = weekly_session_kinds(enrolled_on, sessions)
        RegistryWeek.objects.bulk_create(
            RegistryWeek(
                case=case,
                week=week,
                sessions_done=done,
                short_sessions=kinds.get(week, (0, 0))[0],
                ended_early_sessions=kinds.get(week, (0, 0))[1],
                diary_days=days,
                mean_leg_pain=leg,
            )
            for week, done, days, leg in weekly_activity(enrolled_on, (day for day, _, _ in sessions), diary)
        )
        if refresh:
            refresh_cases([case.pk])
            case.stale = False
    return case


def sync_patient_id(patient_id: int) -> RegistryCase | None:
    """:func:`sync_patient` for the patient with this primary key; None, doing nothing, when it is gone
    (deleting a patient deletes their case at once, see :mod:`.signals`) or has neither a clinic nor a
    case to remove."""
    if not RegistryCase.objects.has_clinic_or_case(patient_id):
        return None
    patient = Patient.objects.filter(pk=patient_id).first()
    return sync_patient(patient) if patient is not None else None


def sync_all() -> int:
    """Mirror every clinic patient, delete the cases of patients who are gone or no longer in a clinic
    (generated cases, with no ``source_patient``, are kept), and refresh the summary rows of the cases
    synced; returns how many cases there are now from care-app patients."""
    clinic_patients = Patient.objects.filter(clinic__isnull=False)
    synced = []
    for patient in clinic_patients.order_by("pk"):
        case = sync_patient(patient, refresh=False)
        if case is not None:
            synced.append(case.pk)
    RegistryCase.objects.filter(source_patient__isnull=False).exclude(
        source_patient__in=clinic_patients.values("uuid")
    ).delete()
    refresh_cases(synced)
    return len(synced)
