"""A person's reminder choices, their browser push subscriptions, and each reminder sent (a delivery).

A :class:`Delivery` is one slot (person, kind, local date, time) on one channel. Its unique constraint is
what makes ``sciatrack reminders send`` send each slot at most once: the row is inserted *before* the
message goes out, so a second runner at the same moment fails its insert and skips the slot.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from .managers import DeliveryManager, PreferenceManager, PushSubscriptionManager

# How quiet_days writes each weekday, Monday first (Python's weekday() numbers); the form offers these.
WEEKDAY_CODES = "0123456"


class Kind(models.TextChoices):
    SESSION = "session", "Today's exercises"
    DIARY = "diary", "The diary"
    FOLLOW_UP = "follow_up", "A check-in that is due"


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    PUSH = "push", "Browser push"


class ReminderPreference(models.Model):
    """What a person wants reminding of, how, at which times on their own wall clock, and on which days not.

    ``quiet_days`` holds weekday numbers as text ("56" is Saturday and Sunday; Monday is 0). E-mail goes
    out only to ``email`` once it was confirmed (``confirmed_email`` equals it).
    """

    patient = models.OneToOneField(
        "accounts.Patient", on_delete=models.CASCADE, related_name="reminder_choice"
    )
    by_email = models.BooleanField(default=False)
    by_push = models.BooleanField(default=False)
    for_session = models.BooleanField(default=True)
    for_diary = models.BooleanField(default=False)
    first_time = models.TimeField()
    second_time = models.TimeField(null=True, blank=True)
    time_zone = models.CharField(max_length=64)
    quiet_days = models.CharField(max_length=7, blank=True, default="")
    email = models.EmailField(blank=True, default="")
    confirmed_email = models.EmailField(blank=True, default="")
    updated = models.DateTimeField(auto_now=True)

    objects = PreferenceManager()

    class Meta:
        indexes = [models.Index(fields=["by_email", "by_push"])]

    def __str__(self) -> str:
        return f"{self.patient} · reminders"

    @property
    def email_confirmed(self) -> bool:
        return bool(self.email) and self.email.lower() == self.confirmed_email.lower()

    @property
    def quiet_weekdays(self) -> frozenset[int]:
        return frozenset(WEEKDAY_CODES.index(day) for day in self.quiet_days if day in WEEKDAY_CODES)


class PushSubscription(models.Model):
    """One browser's push subscription (PushManager.subscribe): where to post and the keys to encrypt with."""

    patient = models.ForeignKey(
        "accounts.Patient", on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=40)
    created = models.DateTimeField(auto_now_add=True)

    objects = PushSubscriptionManager()

    def __str__(self) -> str:
        return f"{self.patient} · push · {self.endpoint[:40]}"


class Delivery(models.Model):
    """One reminder on one channel: inserted before it is sent, then marked sent, or tried again later."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent or tried again"
        SENT = "sent", "Sent"
        FAILED = "failed", "Given up"
        DROPPED = "dropped", "Not sent (nowhere to send it)"

    patient = models.ForeignKey("accounts.Patient", on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    local_date = models.DateField()
    slot_time = models.TimeField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_try_at = models.DateTimeField()
    last_error = models.CharField(max_length=300, blank=True, default="")
    created = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryManager()

    class Meta:
        indexes = [models.Index(fields=["status", "next_try_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "kind", "channel", "local_date", "slot_time"], name="one_delivery_per_slot"
            ),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="delivery_kind_known"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="delivery_channel_known"),
        ]

    def __str__(self) -> str:
        return f"{self.patient} · {self.kind} · {self.channel} · {self.local_date} {self.slot_time:%H:%M}"
