"""The door to the reminder tables: who wants reminders, their push subscriptions, and each delivery.

Exactly once rests on two writes here. :meth:`DeliveryManager.claim_slot` inserts a delivery under its
unique constraint before anything is sent: of two runners at the same moment, one insert fails and that
runner skips the slot. :meth:`DeliveryManager.claim_attempt` then takes one try with a conditional update
(the number of tries must still be the one read), so a retry is also made by one runner only.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, models, transaction

if TYPE_CHECKING:
    from sciatrack.accounts.models import Patient

    from .models import Delivery, PushSubscription, ReminderPreference  # noqa: F401 - named in a base class

# Tries of one delivery before it is given up, and the wait before each next one (2, 4, 8, 16 minutes).
MAX_ATTEMPTS = 5


def backoff(attempts: int) -> timedelta:
    """The wait after try number ``attempts`` (1 is the first) before the next one may start."""
    return timedelta(minutes=2**attempts)


class PreferenceManager(models.Manager["ReminderPreference"]):
    def wanting_reminders(self) -> models.QuerySet[ReminderPreference]:
        """Every choice with e-mail or push turned on, of a person who can still sign in."""
        return (
            self.filter(models.Q(by_email=True) | models.Q(by_push=True))
            .filter(patient__user__is_active=True)
            .select_related("patient")
            .order_by("pk")
        )

    def stop_email(self, patient_id: int) -> bool:
        """Turn e-mail reminders off; True when they were on."""
        return bool(self.filter(patient_id=patient_id, by_email=True).update(by_email=False))

    def confirm_email(self, patient_id: int, email: str) -> bool:
        """Mark ``email`` confirmed when it is still the person's reminder address; True when it is."""
        return bool(self.filter(patient_id=patient_id, email__iexact=email).update(confirmed_email=email))


class PushSubscriptionManager(models.Manager["PushSubscription"]):
    def store(self, patient: Patient, endpoint: str, p256dh: str, auth: str) -> bool:
        """Keep this browser's subscription for ``patient``; True when it is new.

        One browser has one endpoint: on a shared device the person who subscribed last owns it.
        """
        _, created = self.update_or_create(
            endpoint=endpoint, defaults={"patient": patient, "p256dh": p256dh, "auth": auth}
        )
        return created

    def remove(self, patient: Patient, endpoint: str) -> bool:
        return bool(self.filter(patient=patient, endpoint=endpoint).delete()[0])

    def gone(self, subscription_id: int) -> None:
        """The push service said this subscription no longer exists (404 or 410)."""
        self.filter(pk=subscription_id).delete()


class DeliveryManager(models.Manager["Delivery"]):
    def claim_slot(
        self, patient_id: int, kind: str, channel: str, local_date: date, slot_time: time, now: datetime
    ) -> Delivery | None:
        """Insert the delivery of one slot before it is sent; None when a delivery of it exists already."""
        try:
            with transaction.atomic():
                return self.create(
                    patient_id=patient_id,
                    kind=kind,
                    channel=channel,
                    local_date=local_date,
                    slot_time=slot_time,
                    next_try_at=now,
                    created=now,
                )
        except IntegrityError:
            return None

    def claim_attempt(self, delivery: Delivery, now: datetime) -> bool:
        """Take the next try of ``delivery`` for this runner; False when another runner took it first.

        The next try is set at once (a lease): if this runner dies mid-send, another tries after it.
        """
        tries = delivery.attempts + 1
        taken = self.filter(pk=delivery.pk, status="pending", attempts=delivery.attempts).update(
            attempts=tries, next_try_at=now + backoff(tries)
        )
        if taken:
            delivery.attempts = tries
        return bool(taken)

    def retries_due(self, now: datetime) -> models.QuerySet[Delivery]:
        return self.filter(status="pending", next_try_at__lte=now).select_related("patient").order_by("pk")

    def finish(self, delivery: Delivery, status: str, now: datetime, error: str = "") -> None:
        """Mark the try's outcome: sent, dropped, or (after a failure) still pending or given up."""
        if status == "pending" and delivery.attempts >= MAX_ATTEMPTS:
            status = "failed"
        sent_at = now if status == "sent" else None
        self.filter(pk=delivery.pk).update(status=status, last_error=error[:300], sent_at=sent_at)
        delivery.status = status
