"""Migration care 0006/0007: stored version-1 checks get their version-2 result beside the original.

The checks are stored at migration 0005 through the historical models, exactly as the app stored them
then, and the database is migrated forward; runs on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from sciatrack.accounts.models import Clinic, Clinician, Patient
from sciatrack.care.models import Intake
from sciatrack.domain.intake import parse_intake
from sciatrack.domain.triage import result_to_json, triage
from sciatrack.domain.vocabulary import RED_FLAG_KEYS_ADDED_IN_V2, RED_FLAG_KEYS_V1, SCHEMA_V1
from sciatrack.registry.models import RegistryCase, RegistryFollowUp
from sciatrack.registry.sync import sync_patient
from second_factor import confirm_second_factor
from vignettes import vignette_answers

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("care", "0005_session_log_indexes"), ("accounts", "0002_api_tokens")]


def version_1(name: str, **flags: bool) -> dict[str, Any]:
    """A vignette's answers as the version-1 check stored them, with these red flags set."""
    answers = dict(vignette_answers(name))
    answers["schema"] = SCHEMA_V1
    answers["regions"] = [region for region in answers["regions"] if region != "mid_back"]
    answers["red_flags"] = {key: flags.get(key, answers["red_flags"][key]) for key in RED_FLAG_KEYS_V1}
    return answers


@pytest.fixture
def at_0005() -> Iterator[Any]:
    """The database migrated back to before contract version 2; forward to the latest afterwards."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor.loader.project_state(BEFORE).apps
    call_command("migrate", verbosity=0)


def store_v1_check(
    apps: Any, patient_id: int, answers: dict[str, Any], created: str, version_1_tier: str | None = None
) -> int:
    """A check as the version-1 app stored it: its answers, its version-1 result and tier.

    ``version_1_tier`` is the tier version 1 gave where the version-2 rules differ for these answers.
    """
    result = result_to_json(triage(parse_intake(answers)))
    # Version 1 had no place to go and no not-asked list: store the result as it looked then.
    for key in ("where", "not_asked", "not_asked_notice"):
        result.pop(key)
    result["advice"].pop("where")
    tier = {"emergency_department_now": "emergency"}.get(result["tier"], result["tier"])
    if answers["red_flags"]["sexual_dysfunction_new"]:
        tier = result["tier"] = "urgent"  # version 1 sent new sexual dysfunction to a doctor today
    if version_1_tier is not None:
        tier = result["tier"] = version_1_tier
        result["reasons"] = [reason for reason in result["reasons"] if reason["tier"] == tier]
    old = apps.get_model("care", "Intake")
    check = old.objects.create(
        patient_id=patient_id,
        answers=answers,
        result=result,
        tier=tier,
        measures={"nprs": answers["pain"]},
        content_version="v1",
    )
    old.objects.filter(pk=check.pk).update(created=created)
    return int(check.pk)


def test_it_gives_every_version_1_check_its_version_2_result_and_keeps_the_original(at_0005: Any) -> None:
    apps = at_0005
    user = apps.get_model("auth", "User").objects.create(username="vera")
    patient = apps.get_model("accounts", "Patient").objects.create(user_id=user.pk, display_name="Vera")
    calm = version_1("disc-pattern-self-care")
    raised = version_1("disc-pattern-self-care", sexual_dysfunction_new=True)
    first = store_v1_check(apps, patient.pk, calm, "2026-10-01T09:00:00+00:00")
    second = store_v1_check(apps, patient.pk, raised, "2026-11-01T09:00:00+00:00")
    stored_before = {
        row["id"]: (row["answers"], row["result"], row["tier"])
        for row in apps.get_model("care", "Intake").objects.values("id", "answers", "result", "tier")
    }

    call_command("migrate", verbosity=0)

    for check in Intake.objects.all():
        # The stored check is never edited: answers, result and tier are as they were.
        assert (check.answers, check.result, check.tier) == stored_before[check.pk]
        assert check.current_result is not None
        assert check.current_result["not_asked"] == list(RED_FLAG_KEYS_ADDED_IN_V2)
        assert check.current_result["not_asked_notice"]
    calm_check, raised_check = Intake.objects.get(pk=first), Intake.objects.get(pk=second)
    assert (calm_check.current_tier, calm_check.where, calm_check.advice_raised) == (
        "self_care",
        "home_program",
        False,
    )
    assert raised_check.tier == "urgent"
    assert (raised_check.current_tier, raised_check.where) == ("emergency", "emergency_department_now")
    assert raised_check.advice_raised is True
    assert raised_check.triage_result["advice"]["where"] == "Emergency department, now"


def test_it_shows_the_raised_advice_and_keeps_the_record_readable(at_0005: Any, client: Client) -> None:
    apps = at_0005
    user = apps.get_model("auth", "User").objects.create(username="vera")
    patient = apps.get_model("accounts", "Patient").objects.create(user_id=user.pk, display_name="Vera")
    store_v1_check(apps, patient.pk, version_1("disc-pattern-self-care"), "2026-10-01T09:00:00+00:00")
    raised = version_1("disc-pattern-self-care", sexual_dysfunction_new=True)
    store_v1_check(apps, patient.pk, raised, "2026-11-01T09:00:00+00:00")

    call_command("migrate", verbosity=0)

    vera = Patient.objects.get(display_name="Vera")
    assert vera.user is not None
    client.force_login(vera.user)
    check = Intake.objects.get(advice_raised=True)
    page = client.get(f"/check/history/{check.uuid}/").content.decode()
    assert "Go to an emergency department now" in page and "safety rules have been updated" in page
    assert "Emergency department, now" in page
    program = client.get("/program/").content.decode()
    assert "Go to an emergency department now" in program and "safety rules have been updated" in program
    history = client.get("/check/history/").content.decode()
    assert "New advice" in history
    report = client.get("/progress/report.pdf")
    assert report.status_code == 200 and report["Content-Type"] == "application/pdf"
    csv = client.get("/progress/data.csv").content.decode()
    assert "emergency_department_now" in csv and "tier_when_made,urgent" in csv
    export = json.loads(client.get("/accounts/my-data.json").content)
    checks = export["patient"]["checks"]
    assert [item["tier"] for item in checks] == ["self_care", "urgent"]
    assert [item["current_tier"] for item in checks] == ["self_care", "emergency"]


def test_it_adds_no_check_so_the_registry_counts_the_same(at_0005: Any) -> None:
    apps = at_0005
    clinic = apps.get_model("accounts", "Clinic").objects.create(name="Lakeside", slug="lakeside")
    user = apps.get_model("auth", "User").objects.create(username="vera")
    patient = apps.get_model("accounts", "Patient").objects.create(
        user_id=user.pk, display_name="Vera", clinic_id=clinic.pk
    )
    store_v1_check(apps, patient.pk, version_1("disc-pattern-self-care"), "2026-10-01T09:00:00+00:00")
    store_v1_check(apps, patient.pk, version_1("long-episode"), "2026-11-01T09:00:00+00:00")

    call_command("migrate", verbosity=0)
    sync_patient(Patient.objects.get(display_name="Vera"))

    assert Intake.objects.count() == 2
    assert RegistryCase.objects.count() == 1
    assert RegistryFollowUp.objects.count() == 1


def test_it_lists_a_patient_with_raised_advice_first_on_the_dashboard(at_0005: Any) -> None:
    apps = at_0005
    clinic = apps.get_model("accounts", "Clinic").objects.create(name="Lakeside", slug="lakeside")
    for name, age in (("ann", 42), ("zoe", 52)):
        user = apps.get_model("auth", "User").objects.create(username=name)
        record = apps.get_model("accounts", "Patient").objects.create(
            user_id=user.pk, display_name=name.title(), clinic_id=clinic.pk
        )
        answers = {**version_1("disc-pattern-self-care"), "age": age}
        store_v1_check(apps, record.pk, answers, "2026-11-20T09:00:00+00:00", version_1_tier="self_care")

    call_command("migrate", verbosity=0)

    # Version 1 sent a 52-year-old home; version 2 asks for a clinician review from 51 on.
    zoe = Intake.objects.get(patient__display_name="Zoe")
    assert (zoe.tier, zoe.current_tier, zoe.advice_raised) == ("self_care", "routine", True)
    user = User.objects.create_user("cleo", password="a long test password")
    Clinician.objects.create(user=user, clinic=Clinic.objects.get(slug="lakeside"))
    client = Client()
    client.force_login(user)
    confirm_second_factor(client, user)
    page = client.get("/clinic/").content.decode()
    assert page.index("Zoe") < page.index("Ann")
    assert "More urgent advice under the updated safety rules" in page
