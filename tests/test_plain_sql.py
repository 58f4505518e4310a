"""plain_sql reads and inserts rows as the ORM would: every field's value, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, models, transaction
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from sciatrack.accounts.models import Patient
from sciatrack.care.models import Intake, SessionLog
from sciatrack.db.plain_sql import fetch, fetch_first, fetch_one, insert

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
    intake = Intake.objects.record(
        patient,
        answers={"age": 40, "regions": ["buttock"]},
        result={"tier": "self_care"},
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


def unsaved_log(patient: Patient, key: uuid.UUID, **fields: object) -> SessionLog:
    started = timezone.now().replace(microsecond=0) - timedelta(hours=1)
    values: dict[str, object] = {
        "patient": patient,
        "idempotency_key": key,
        "started_at": started,
        "finished_at": started + timedelta(minutes=20),
        "pain_before": 5,
        "pain_after": 3,
        "exercises": [{"id": "lift-off", "status": "stopped", "symptoms": "spread_down"}],
        "needs_review": True,
        "end_reason": "spread down the leg",
    }
    return SessionLog(**{**values, **fields})


def test_it_inserts_a_row_the_orm_reads_back_field_for_field() -> None:
    patient = Patient.objects.create(user=User.objects.create_user("dave"), display_name="Dave")
    before = timezone.now()
    log = unsaved_log(patient, uuid.uuid4())
    assert insert(log) is log
    assert log.pk is not None and log._state.adding is False and log._state.db == "default"
    assert log.created is not None and log.created >= before  # auto_now_add filled in, as save() does
    stored = SessionLog.objects.get(pk=log.pk)
    assert field_values(stored) == field_values(log)
    assert stored.exercises[0]["symptoms"] == "spread_down" and stored.needs_review is True
    assert stored.program_id is None and stored.ended_early is False  # a default


def test_it_sends_pre_save_and_post_save_as_a_new_row() -> None:
    patient = Patient.objects.create(user=User.objects.create_user("erin"), display_name="Erin")
    heard: list[tuple[str, bool | None, bool]] = []

    def before(sender: type, instance: SessionLog, **kwargs: object) -> None:
        heard.append(("pre_save", None, instance.pk is None))

    def after(sender: type, instance: SessionLog, created: bool, **kwargs: object) -> None:
        heard.append(("post_save", created, SessionLog.objects.filter(pk=instance.pk).exists()))

    pre_save.connect(before, sender=SessionLog)
    post_save.connect(after, sender=SessionLog)
    try:
        insert(unsaved_log(patient, uuid.uuid4()))
    finally:
        pre_save.disconnect(before, sender=SessionLog)
        post_save.disconnect(after, sender=SessionLog)
    assert heard == [("pre_save", None, True), ("post_save", True, True)]


def test_a_row_breaking_a_unique_key_raises_and_stores_nothing() -> None:
    patient = Patient.objects.create(user=User.objects.create_user("frank"), display_name="Frank")
    key = uuid.uuid4()
    insert(unsaved_log(patient, key, pain_before=1))
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            insert(unsaved_log(patient, key, pain_before=9))
        # The transaction around it is still usable (PostgreSQL refuses every statement in a failed one).
        assert list(SessionLog.objects.filter(patient=patient).values_list("pain_before", flat=True)) == [1]
        insert(unsaved_log(patient, uuid.uuid4(), pain_before=2))
    assert sorted(SessionLog.objects.filter(patient=patient).values_list("pain_before", flat=True)) == [1, 2]
