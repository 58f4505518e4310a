"""fetch_one reads a row as the ORM would: every field's Python value, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import models
from django.utils import timezone

from sciatrack.accounts.models import Patient
from sciatrack.care.models import Intake
from sciatrack.plain_sql import fetch_one

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
