"""Keeping the registry in step with the care app as records change.

- Saving or deleting a check, program, session log or diary entry, or saving a patient (their clinic may
  have changed), schedules :func:`.sync.sync_patient` for that patient once the transaction commits, so
  the sync reads what was committed and a rolled-back change never reaches the registry. However many
  records of a patient change in one transaction, the patient is synced once after it. Outside a
  transaction the sync runs at once.
- Deleting a patient deletes their registry case in the same transaction: deleting an account removes
  the person from the registry too, and nothing of theirs is left if the deletion commits.

A sync that fails after the commit is logged, not raised: the person's own change is already saved and
must not look failed because of the registry; ``sync_all`` brings the registry back in step.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import post_delete, post_save

from sciatrack.accounts.models import Patient
from sciatrack.care.models import DiaryEntry, Intake, Program, SessionLog
from sciatrack.db.transactions import waiting_for_commit

from .models import RegistryCase
from .sync import sync_patient_id

CARE_MODELS = (Intake, Program, SessionLog, DiaryEntry)


class _PendingSyncs:
    """The patients to sync after one transaction commits; registered with ``on_commit`` once."""

    def __init__(self) -> None:
        self.patient_ids: set[int] = set()
        self.ran = False

    def __call__(self) -> None:
        self.ran = True
        for patient_id in sorted(self.patient_ids):
            sync_patient_id(patient_id)


_local = threading.local()


def _still_waiting(pending: _PendingSyncs | None, using: str) -> bool:
    # A rolled-back transaction or savepoint drops its callbacks without telling anyone: ask, rather
    # than trust that ours still waits.
    return pending is not None and not pending.ran and waiting_for_commit(pending, using)


def schedule_sync(patient_id: int, using: str = DEFAULT_DB_ALIAS) -> None:
    """Sync the patient once the current transaction on ``using`` commits (at once outside one)."""
    if not transaction.get_connection(using).in_atomic_block:
        sync_patient_id(patient_id)
        return
    pending: dict[str, _PendingSyncs] = _local.__dict__.setdefault("pending", {})
    current = pending.get(using)
    if not _still_waiting(current, using):
        current = pending[using] = _PendingSyncs()
        transaction.on_commit(current, using=using, robust=True)
    assert current is not None
    current.patient_ids.add(patient_id)


def _care_record_changed(sender: type, instance: Any, using: str, **kwargs: Any) -> None:
    schedule_sync(instance.patient_id, using)


def _patient_saved(sender: type, instance: Patient, using: str, **kwargs: Any) -> None:
    schedule_sync(instance.pk, using)


def _patient_deleted(sender: type, instance: Patient, using: str, **kwargs: Any) -> None:
    RegistryCase.objects.using(using).filter(source_patient=instance.uuid).delete()


def connect() -> None:
    """Connect the handlers (each once, however often this is called)."""
    for model in CARE_MODELS:
        for signal, name in ((post_save, "save"), (post_delete, "delete")):
            signal.connect(
                _care_record_changed, sender=model, dispatch_uid=f"registry-sync-{name}-{model.__name__}"
            )
    post_save.connect(_patient_saved, sender=Patient, dispatch_uid="registry-sync-save-Patient")
    post_delete.connect(_patient_deleted, sender=Patient, dispatch_uid="registry-forget-Patient")
