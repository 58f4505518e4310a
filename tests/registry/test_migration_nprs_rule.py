"""The data migration that recomputed the stored registry outcomes with the NPRS rule of a first rating of
3 or less (2 points needed, 30% no longer enough), on SQLite and PostgreSQL alike.

Each test takes the registry back to the migration before it, stores cases and summary rows as the old
rule left them (through the models of that migration), migrates forward and reads what is stored now.
Migrations change the schema, so these tests run outside a test transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sciatrack.accounts.models import Clinic
from sciatrack.domain.registry_outcomes import Status
from sciatrack.registry.models import CaseOutcome, RegistryCase
from sciatrack.registry.summary import OUTCOME_COLUMNS, rebuild_all

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("registry", "0002_view_network_permission")
REBUILD = ("registry", "0003_rebuild_outcomes_nprs_low_first_rating")
RESPONDER = "leg-pain-responder-12w"
STRICT = "leg-pain-responder-26w-strict"


def migrate(target: tuple[str, str]) -> Apps:
    """Migrate the registry to ``target``; returns the models as they are there."""
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.fixture
def before_rebuild() -> Iterator[Apps]:
    apps = migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # whatever happened, leave every app migrated


def store_case(apps: Apps, clinic: Clinic, first: int, at_12_weeks: int, old_rows: dict[str, Any]) -> int:
    """A case with leg pain ``first`` at the start and ``at_12_weeks`` on day 84, and the summary rows the
    old rule stored for it (``old_rows``: outcome id to (status, event)), marked fresh."""
    case_model = apps.get_model("registry", "RegistryCase")
    case = case_model.objects.create(
        clinic_id=clinic.pk,
        enrolled_on=date(2025, 3, 3),
        age_band="40-49",
        triage_tier="routine",
        pattern="unclear",
        baseline_leg_pain=first,
        baseline_back_pain=4,
        baseline_sbi=12,
        stale=False,
    )
    apps.get_model("registry", "RegistryFollowUp").objects.create(
        case=case, day=84, leg_pain=at_12_weeks, back_pain=4, sbi=10
    )
    outcome_model = apps.get_model("registry", "CaseOutcome")
    for outcome, (status, event) in old_rows.items():
        outcome_model.objects.create(
            case=case,
            outcome=outcome,
            clinic_id=clinic.pk,
            enrolled_on=case.enrolled_on,
            age_band=case.age_band,
            triage_tier=case.triage_tier,
            pattern=case.pattern,
            status=status,
            baseline=first,
            value=at_12_weeks,
            change=at_12_weeks - first,
            time_week=12,
            event=event,
        )
    return int(case.pk)


def stored(case_id: int) -> dict[str, tuple[int, bool]]:
    return {
        outcome: (status, event)
        for outcome, status, event in CaseOutcome.objects.filter(case_id=case_id).values_list(
            "outcome", "status", "event"
        )
    }


def test_it_recomputes_stored_responders_with_the_new_rule(before_rebuild: Apps) -> None:
    clinic = Clinic.objects.create(name="Riverside", slug="riverside")
    met = (int(Status.MET), True)
    # As the old rule stored them: 30% was enough at any first rating.
    two_to_one = store_case(before_rebuild, clinic, 2, 1, {RESPONDER: met, STRICT: (int(Status.MET), True)})
    three_to_two = store_case(before_rebuild, clinic, 3, 2, {RESPONDER: met})
    three_to_one = store_case(before_rebuild, clinic, 3, 1, {RESPONDER: met})
    ten_to_seven = store_case(before_rebuild, clinic, 10, 7, {RESPONDER: met})

    migrate(REBUILD)

    not_met = (int(Status.NOT_MET), False)
    assert stored(two_to_one)[RESPONDER] == not_met  # 50%, but 1 point: no longer a responder
    # No 26-week follow-up, and day 84 (2 to 1) is no longer the week the person responded.
    assert stored(two_to_one)[STRICT] == (int(Status.MISSING), False)
    assert stored(three_to_two)[RESPONDER] == not_met  # 33%, 1 point
    assert stored(three_to_one)[RESPONDER] == met  # 2 points
    assert stored(ten_to_seven)[RESPONDER] == met  # 3 points and 30%
    # Every case has one row per definition again, the cohort copied in, and nothing is left stale.
    assert all(len(stored(case)) == 4 for case in (two_to_one, three_to_two, three_to_one, ten_to_seven))
    assert not RegistryCase.objects.filter(stale=True).exists()
    assert set(CaseOutcome.objects.values_list("clinic_id", flat=True)) == {clinic.pk}


def test_it_stores_what_a_full_refresh_stores(before_rebuild: Apps) -> None:
    clinic = Clinic.objects.create(name="Hillside", slug="hillside")
    for first in range(11):
        for later in (0, first // 2, first - 1 if first else 0):
            store_case(before_rebuild, clinic, first, later, {RESPONDER: (int(Status.MET), True)})

    migrate(REBUILD)
    migrated = set(CaseOutcome.objects.values_list(*OUTCOME_COLUMNS))
    rebuild_all()  # `sciatrack registry refresh --full`, with the app's models

    assert set(CaseOutcome.objects.values_list(*OUTCOME_COLUMNS)) == migrated
    assert len(migrated) == 4 * RegistryCase.objects.count()


def test_it_runs_on_an_empty_registry(before_rebuild: Apps) -> None:
    assert not before_rebuild.get_model("registry", "RegistryCase").objects.exists()
    migrate(REBUILD)
    assert (RegistryCase.objects.count(), CaseOutcome.objects.count()) == (0, 0)
