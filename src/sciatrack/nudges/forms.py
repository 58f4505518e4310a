"""The forms of the reminder pages: a person's choices, and one browser's push subscription."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from sciatrack.lib.fields import SafeCharField

from .models import WEEKDAY_CODES
from .slots import zone_or_none

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS = list(zip(WEEKDAY_CODES, WEEKDAY_NAMES, strict=True))
TIME_FORMATS = ["%H:%M"]
TIME_PROBLEM = "Give a time like 08:30 (hours 00 to 23, then minutes)."


class ReminderForm(forms.Form):
    for_session = forms.BooleanField(label="Today's exercises", required=False)
    for_diary = forms.BooleanField(label="My pain diary", required=False)
    by_email = forms.BooleanField(label="By e-mail", required=False)
    by_push = forms.BooleanField(label="On this device (browser alerts)", required=False)
    email = forms.EmailField(label="E-mail address", required=False, max_length=254)
    first_time = forms.TimeField(
        label="First time",
        input_formats=TIME_FORMATS,
        error_messages={"invalid": TIME_PROBLEM, "required": TIME_PROBLEM},
    )
    second_time = forms.TimeField(
        label="Second time (if you want one)",
        required=False,
        input_formats=TIME_FORMATS,
        error_messages={"invalid": TIME_PROBLEM},
    )
    time_zone = SafeCharField(
        label="Time zone",
        max_length=64,
        help_text="Like Europe/London or America/Chicago.",
        error_messages={"required": "Give your time zone, like Europe/London."},
    )
    quiet_days = forms.MultipleChoiceField(
        label="Days with no reminder", required=False, choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple
    )

    def clean_time_zone(self) -> str:
        name: str = self.cleaned_data["time_zone"].strip()
        if zone_or_none(name) is None:
            raise ValidationError(
                "We do not know this time zone. Give one like Europe/London.", code="unknown"
            )
        return name

    def clean_quiet_days(self) -> str:
        days: list[str] = self.cleaned_data["quiet_days"]
        if len(days) == len(WEEKDAYS):
            raise ValidationError("Leave at least one day with reminders.", code="all_quiet")
        return "".join(sorted(days))

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        assert cleaned is not None
        if cleaned.get("by_email") and not cleaned.get("email"):
            self.add_error("email", "Give the e-mail address to send reminders to.")
        first, second = cleaned.get("first_time"), cleaned.get("second_time")
        if first is not None and second is not None and first == second:
            self.add_error("second_time", "Pick a time that is not the same as the first one.")
        return cleaned


def _base64url_bytes(value: str) -> bytes | None:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return None


class SubscriptionForm(forms.Form):
    """A browser's push subscription, as ``PushSubscription.toJSON()`` gives it (the keys flattened)."""

    endpoint = forms.URLField(max_length=1000, assume_scheme="https")
    p256dh = forms.CharField(min_length=86, max_length=88)
    auth = forms.CharField(min_length=22, max_length=24)

    def clean_endpoint(self) -> str:
        endpoint: str = self.cleaned_data["endpoint"]
        if not endpoint.startswith("https://"):
            raise ValidationError("The push address must start with https://.", code="not_https")
        return endpoint

    def clean_p256dh(self) -> str:
        value: str = self.cleaned_data["p256dh"]
        key = _base64url_bytes(value)
        if key is None or len(key) != 65 or key[0] != 4:
            raise ValidationError("This is not a P-256 public key (65 bytes, base64url).", code="bad_key")
        return value

    def clean_auth(self) -> str:
        value: str = self.cleaned_data["auth"]
        secret = _base64url_bytes(value)
        if secret is None or len(secret) != 16:
            raise ValidationError("This is not a 16-byte secret (base64url).", code="bad_secret")
        return value


class EndpointForm(forms.Form):
    endpoint = forms.URLField(max_length=1000, assume_scheme="https")
