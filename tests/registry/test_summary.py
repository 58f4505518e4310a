"""The summary table kept up to date incrementally: after random inserts into random cases, refreshing
the stale cases gives exactly what a full rebuild gives, and recomputes only the cases touched."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest

from sciatrack.accounts.models import Clinic
from sciatrack.registry.bulk import insert_rows
from sciatrack.registry.models import CaseOutcome, RegistryCase, RegistryFollowUp, RegistryWeek
from sciatrack.registry.summary import OUTCOME_COLUMNS, rebuild_all, refresh_stale

pytestmark = pytest.mark.django_db

SEED = 20240611
CASES = 60
ROUNDS = 4


def a_measure(rng: random.Random, top: int) -> int | None:
    return None if rng.random() < 0.1 else rng.randint(0, top)


def make_cases(rng: random.Random) -> list[int]:
    clinics = [Clinic.objects.create(name=f"Clinic {n}", slug=f"clinic-{n}") for n in range(3)]
    RegistryCase.objects.bulk_create(
        RegistryCase(
            clinic=rng.choice(clinics),
            enrolled_on=date(2024, 1, 1) + timedelta(days=rng.randrange(365)),
            age_band=rng.choice(["16-29", "40-49", "70+"]),
            triage_tier=rng.choice(["self_care", "routine"]),
            pattern=rng.choice(["extension_biased", "unclear"]),
            program_mask=rng.randrange(128),
            sessions_per_week=rng.choice([0, 7, 14, 21]),
            baseline_leg_pain=a_measure(rng, 10),
            baseline_back_pain=a_measure(rng, 10),
            baseline_sbi=a_measure(rng, 24),
        )
        for _ in range(CASES)
    )
    return list(RegistryCase.objects.order_by("id").values_list("id", flat=True))


def add_data(rng: random.Random, case_ids: list[int]) -> set[int]:
    """Follow-ups and weeks for a random handful of cases, marked stale as the registry's writers do."""
    touched = set(rng.sample(case_ids, rng.randint(1, len(case_ids) // 5)))
    used_weeks = set(RegistryWeek.objects.values_list("case_id", "week"))
    follow_ups, weeks = [], []
    for case_id in sorted(touched):
        for _ in range(rng.randint(0, 3)):
            follow_ups.append(
                (case_id, rng.randint(1, 200), a_measure(rng, 10), a_measure(rng, 10), a_measure(rng, 24))
            )
        for _ in range(rng.randint(0, 4)):
            week = rng.randrange(30)
            if (case_id, week) not in used_weeks:
                used_weeks.add((case_id, week))
                weeks.append((case_id, week, rng.randint(0, 25), rng.randint(0, 7), None))
    insert_rows(RegistryFollowUp, ("case_id", "day", "leg_pain", "back_pain", "sbi"), follow_ups)
    insert_rows(RegistryWeek, ("case_id", "week", "sessions_done", "diary_days", "mean_leg_pain"), weeks)
    RegistryCase.objects.filter(id__in=touched).update(stale=True)
    return touched


def summary() -> set[tuple[Any, ...]]:
    return set(CaseOutcome.objects.values_list(*OUTCOME_COLUMNS))


def row_ids() -> dict[int, set[int]]:
    ids: dict[int, set[int]] = {}
    for case_id, row_id in CaseOutcome.objects.values_list("case_id", "id"):
        ids.setdefault(case_id, set()).add(row_id)
    return ids


def test_refreshing_stale_cases_equals_a_full_rebuild() -> None:
    rng = random.Random(SEED)
    case_ids = make_cases(rng)
    add_data(rng, case_ids)
    assert refresh_stale() == CASES  # new cases start stale
    assert not RegistryCase.objects.filter(stale=True).exists()
    for _ in range(ROUNDS):
        before = row_ids()
        touched = add_data(rng, case_ids)
        assert refresh_stale() == len(touched)
        assert not RegistryCase.objects.filter(stale=True).exists()
        after = row_ids()
        # Untouched cases keep their very rows; touched ones got new rows.
        assert {case for case in case_ids if after[case] == before[case]} == set(case_ids) - touched
        incremental = summary()
        assert rebuild_all() == CASES
        assert summary() == incremental
    assert refresh_stale() == 0


def test_the_summary_covers_every_case_and_definition_with_the_cohort_copied_in() -> None:
    rng = random.Random(SEED + 1)
    case_ids = make_cases(rng)
    add_data(rng, case_ids)
    refresh_stale()
    outcomes = CaseOutcome.objects.values_list("outcome", flat=True).distinct()
    assert CaseOutcome.objects.count() == CASES * len(set(outcomes))
    for case in RegistryCase.objects.all():
        for row in CaseOutcome.objects.filter(case=case):
            assert (row.clinic_id, row.enrolled_on, row.age_band, row.program_mask) == (
                case.clinic_id,
                case.enrolled_on,
                case.age_band,
                case.program_mask,
            )
