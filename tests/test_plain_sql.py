"""fetch_one reads a row as the ORM would: every field's Python value, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import models
from django.utils import timezone

from sciatrack.accounts.models import Patient
from sciatrack.care.models import Intake
from sciatrack.plain_sql import fetch, fetch_first, fetch_one

pytestmark = pytest.mark.django_db


def field_values(instance: models.Model) -> dict[str, object]:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def test_it_reads_a_user_as_the_orm_does() -> None:
    user = User.objects.create_user("alice", email="alice@example.org", password="a long test password")
    User.objects.filter(pk=user.pk).update(last_login=timezone.now() - timedelta(days=3), is_staff=True)
    fetched = fetch_one(User, "id", user.pk)
    assert fetched is not None
    assert field_values(fetched) == field_values(User.objects.get(pk=user.pk))
    assert fetched.is_staff is True and fetched.is_superuser is False
    assert fetched.last_login is not None and fetched.last_login.tzinfo is not None
    assert fetched._state.adding is False and fetched._state.db == "default"


def test_it_reads_json_and_uuid_columns_as_the_orm_does() -> None:
    user = User.objects.create_user("bob", password="a long test password")
    patient = Patient.objects.create(user=user, display_name="Bob")
    intake = Intake.objects.create(
        patient=patient,
        answers={"age": 40, "regions": ["buttock"]},
        result={"tier": "self_care"},
        tier="self_care",
        measures={"nprs": {"leg_now": 4}},
        content_version="test",
    )
    fetched = fetch_one(Intake, "uuid", intake.uuid)
    assert fetched is not None
    assert field_values(fetched) == field_values(Intake.objects.get(pk=intake.pk))
    assert fetched.answers["regions"] == ["buttock"]


def test_it_answers_none_when_no_row_matches() -> None:
    assert fetch_one(User, "id", 987654) is None


def test_it_filters_orders_and_limits_as_the_orm_does() -> None:
    import uuid

    from sciatrack.care.models import SessionLog

    patient = Patient.objects.create(user=User.objects.create_user("carol"), display_name="Carol")
    start = timezone.now().replace(microsecond=0) - timedelta(days=5)
    for day in (0, 1, 2, 3):
        SessionLog.objects.create(
            patient=patient,
            idempotency_key=uuid.uuid4(),
            started_at=start + timedelta(days=day),
            finished_at=start + timedelta(days=day, minutes=20),
            pain_before=day,
            exercises=[{"id": "lift-off", "status": "done"}],
        )
    window = {
        "patient": patient.pk,
        "started_at__gte": start + timedelta(days=1),
        "started_at__lt": start + timedelta(days=3),
    }
    orm = SessionLog.objects.filter(
        patient=patient, started_at__gte=start + timedelta(days=1), started_at__lt=start + timedelta(days=3)
    )
    assert (
        sorted(log.pain_before for log in fetch(SessionLog, window))
        == sorted(orm.values_list("pain_before", flat=True))
        == [1, 2]
    )
    newest = fetch_first(SessionLog, {"patient": patient.pk}, "-started_at")
    oldest = fetch_first(SessionLog, {"patient": patient.pk}, "started_at")
    assert newest is not None and oldest is not None
    assert (newest.pain_before, oldest.pain_before) == (3, 0)
    assert newest.exercises == [{"id": "lift-off", "status": "done"}]
    assert fetch(SessionLog, {"patient": patient.pk}, "started_at", limit=2)[1].pain_before == 1
