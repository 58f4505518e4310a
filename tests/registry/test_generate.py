"""The synthetic registry generator: counts, determinism, no personal data, dropout, and summary rows equal
to those a full rebuild computes. Runs on SQLite and on PostgreSQL (COPY, so transactional tests)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Max, Min

from sciatrack.accounts.models import Clinic, Patient
from sciatrack.cli import build_parser
from sciatrack.content.registry_schema import load_registry_content
from sciatrack.domain.vocabulary import Pattern
from sciatrack.registry.generate import (
    CLINIC_PREFIX,
    GenerationError,
    generate_registry,
    run_generate_command,
)
from sciatrack.registry.models import CaseOutcome, RegistryCase, RegistryFollowUp, RegistryWeek
from sciatrack.registry.summary import OUTCOME_COLUMNS, rebuild_all
from sciatrack.registry.synthetic_cases import MAX_WEEKS, default_clinics

pytestmark = pytest.mark.django_db(transaction=True)

PATIENTS = 300
CASE_FIELDS = (
    "id", "clinic__slug", "enrolled_on", "age_band", "triage_tier", "pattern", "program_mask",
    "sessions_per_week", "baseline_leg_pain", "baseline_back_pain", "baseline_sbi", "stale",
)  # fmt: skip
# Words that would mean a field holds something that identifies or reaches a person.
PERSONAL = ("name", "email", "phone", "address", "birth", "postcode", "zip", "user", "contact")


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every generated row (clinics by slug, so their database ids do not matter), in a stable order."""
    return {
        "clinics": list(Clinic.objects.order_by("slug").values_list("slug", "name")),
        "cases": list(RegistryCase.objects.order_by("id").values_list(*CASE_FIELDS)),
        "follow_ups": list(
            RegistryFollowUp.objects.order_by("case_id", "day").values_list(
                "case_id", "day", "leg_pain", "back_pain", "sbi"
            )
        ),
        "weeks": list(
            RegistryWeek.objects.order_by("case_id", "week").values_list(
                "case_id", "week", "sessions_done", "diary_days", "mean_leg_pain"
            )
        ),
        "outcomes": outcome_set(),
    }


def outcome_set() -> list[tuple[Any, ...]]:
    """Every summary row in ``OUTCOME_COLUMNS`` order, with the clinic's slug for its id."""
    fields = ("clinic__slug" if name == "clinic_id" else name for name in OUTCOME_COLUMNS)
    return sorted(CaseOutcome.objects.values_list(*fields))


def test_it_writes_the_counts_it_reports() -> None:
    summary = generate_registry(PATIENTS, seed=7)
    definitions = len(load_registry_content().outcomes)

    assert summary.clinics == default_clinics(PATIENTS) == Clinic.objects.count()
    assert summary.cases == PATIENTS == RegistryCase.objects.count()
    assert summary.follow_ups == RegistryFollowUp.objects.count() > PATIENTS
    assert summary.weeks == RegistryWeek.objects.count() > PATIENTS
    assert summary.outcomes == CaseOutcome.objects.count() == PATIENTS * definitions
    assert set(Clinic.objects.values_list("name", flat=True)) == {
        f"Registry clinic {number:03d}" for number in range(1, summary.clinics + 1)
    }
    assert all(slug.startswith(CLINIC_PREFIX) for slug in Clinic.objects.values_list("slug", flat=True))
    assert summary.seconds and all(seconds >= 0 for seconds in summary.seconds.values())
    assert not RegistryCase.objects.filter(stale=True).exists()


def test_the_same_seed_gives_the_same_rows_and_another_seed_other_rows() -> None:
    generate_registry(PATIENTS, seed=7)
    first = snapshot()
    with pytest.raises(GenerationError, match="--replace"):
        generate_registry(PATIENTS, seed=7)
    generate_registry(PATIENTS, seed=7, replace=True)
    assert snapshot() == first
    generate_registry(PATIENTS, seed=8, replace=True)
    other = snapshot()
    assert other["clinics"] == first["clinics"]
    for table in ("cases", "follow_ups", "weeks", "outcomes"):
        assert other[table] != first[table], table


def test_replace_keeps_registry_cases_of_other_clinics() -> None:
    clinic = Clinic.objects.create(name="Real clinic", slug="real-clinic")
    kept = RegistryCase.objects.create(
        clinic=clinic, enrolled_on="2024-03-01", age_band="40-49", triage_tier="routine", pattern="unclear"
    )
    generate_registry(50, seed=1, clinics=2)
    generate_registry(60, seed=1, clinics=3, replace=True)

    assert RegistryCase.objects.filter(pk=kept.pk).exists()
    assert RegistryCase.objects.count() == 61
    assert Clinic.objects.filter(slug__startswith=CLINIC_PREFIX).count() == 3
    assert RegistryCase.objects.order_by("id").values_list("id", flat=True)[1] == kept.pk + 1


def test_there_are_no_names_or_contact_details() -> None:
    generate_registry(PATIENTS, seed=3)

    for model in (RegistryCase, RegistryFollowUp, RegistryWeek, CaseOutcome):
        for model_field in model._meta.concrete_fields:
            assert not any(word in model_field.name for word in PERSONAL), (model.__name__, model_field.name)
    assert not RegistryCase.objects.filter(source_patient__isnull=False).exists()
    assert User.objects.count() == 0
    assert Patient.objects.count() == 0


def test_cases_are_consistent_and_drop_out_over_time() -> None:
    generate_registry(PATIENTS, seed=11)
    content = load_registry_content()
    mckenzie = 1 << content.program_bits["mckenzie-extension"]
    cases = list(RegistryCase.objects.values())

    for case in cases:
        assert 3 <= case["baseline_leg_pain"] <= 10
        assert case["baseline_sbi"] is None or 0 <= case["baseline_sbi"] <= 24
        if case["triage_tier"] in ("soon", "urgent"):
            assert (case["program_mask"], case["sessions_per_week"]) == (0, 0)
        else:
            assert case["program_mask"] and case["sessions_per_week"] in (7, 14, 21)
        if case["pattern"] != Pattern.EXTENSION_BIASED:
            assert not case["program_mask"] & mckenzie
    tiers = {case["triage_tier"] for case in cases}
    assert {"self_care", "routine"} <= tiers
    assert {case["pattern"] for case in cases} == {pattern.value for pattern in Pattern}

    # Dropout: some cases have no follow-up at all, later follow-ups are rarer, weekly rows stop early.
    followed = set(RegistryFollowUp.objects.values_list("case_id", flat=True))
    assert 0 < len(followed) < len(cases)
    near_6 = RegistryFollowUp.objects.filter(day__range=(28, 63)).count()
    near_26 = RegistryFollowUp.objects.filter(day__range=(150, 224)).count()
    assert 0 < near_26 < near_6
    last_weeks = {}
    for case_id, week in RegistryWeek.objects.values_list("case_id", "week"):
        last_weeks[case_id] = max(week, last_weeks.get(case_id, -1))
    assert max(last_weeks.values()) == MAX_WEEKS - 1
    assert min(last_weeks.values()) < 8
    assert RegistryWeek.objects.filter(sessions_done__gt=0).exists()
    assert not RegistryWeek.objects.filter(diary_days__gt=7).exists()


def test_summary_rows_equal_a_full_rebuild() -> None:
    generate_registry(PATIENTS, seed=5)
    definitions = {definition.id for definition in load_registry_content().outcomes}
    per_case: dict[int, set[str]] = {}
    for case_id, outcome in CaseOutcome.objects.values_list("case_id", "outcome"):
        per_case.setdefault(case_id, set()).add(outcome)
    assert len(per_case) == PATIENTS
    assert all(outcomes == definitions for outcomes in per_case.values())
    generated = outcome_set()
    assert {row[OUTCOME_COLUMNS.index("status")] for row in generated} == {-1, 0, 1}

    assert rebuild_all() == PATIENTS
    assert outcome_set() == generated


@pytest.mark.skipif(connection.vendor != "postgresql", reason="indexes are deferred on PostgreSQL only")
def test_deferring_indexes_puts_every_index_and_constraint_back() -> None:
    def schema() -> list[tuple[str, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'registry_%' "
                "UNION ALL SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE conrelid::regclass::text LIKE 'registry_%' ORDER BY 1, 2, 3"
            )
            return cursor.fetchall()

    before = schema()
    generate_registry(PATIENTS, seed=2, defer_indexes=True)
    generate_registry(PATIENTS, seed=2, defer_indexes=True, replace=True)
    assert schema() == before
    assert RegistryCase.objects.count() == PATIENTS
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('registry_registrycase', 'id'))")
        assert cursor.fetchone()[0] == PATIENTS + 1


def test_the_command_prints_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    args = build_parser().parse_args(
        [
            "registry",
            "generate",
            "--patients",
            "120",
            "--seed",
            "4",
            "--clinics",
            "5",
            "--start",
            "2023-06-01",
        ]
    )
    assert run_generate_command(args) == 0
    out = capsys.readouterr().out
    assert "cases" in out and "120" in out and "total" in out
    assert Clinic.objects.count() == 5
    enrolled = RegistryCase.objects.aggregate(first=Min("enrolled_on"), last=Max("enrolled_on"))
    assert date(2023, 6, 1) <= enrolled["first"] < date(2023, 7, 1)
    assert date(2025, 4, 1) < enrolled["last"] < date(2025, 6, 1)

    assert run_generate_command(args) == 2
    assert "--replace" in capsys.readouterr().err
