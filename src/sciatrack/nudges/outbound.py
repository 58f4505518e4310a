"""What a reminder says, and sending it by e-mail or Web Push.

A reminder says only that it is time (for today's exercises, the diary or a check-in) and links to the
page: never a pain score, a tier, an exercise or any other health detail, since e-mail and lock screens
are read by others. Every e-mail carries a stop link that needs no sign-in, and the List-Unsubscribe
headers (RFC 8058) so mail programs can offer their own one-click button.
"""

from __future__ import annotations

import json
import smtplib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import requests
from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from pywebpush import WebPushException, webpush

from .models import Kind, PushSubscription
from .tokens import stop_token
from .vapid import vapid_keys

if TYPE_CHECKING:
    from .models import ReminderPreference

TEXTS = {
    Kind.SESSION: "Time for today's exercises.",
    Kind.DIARY: "Time for your diary.",
    Kind.FOLLOW_UP: "Your check-in is due.",
}
PAGES = {Kind.SESSION: "session", Kind.DIARY: "diary", Kind.FOLLOW_UP: "progress"}
# Push services keep a message this long for a device that is off; a reminder is stale after it.
PUSH_TTL_SECONDS = 4 * 60 * 60
PUSH_TIMEOUT_SECONDS = 10
GONE = (404, 410)


@dataclass(frozen=True)
class Outcome:
    status: str  # "sent", "pending" (try again later) or "dropped" (nowhere left to send it)
    error: str = ""


def site_link(path: str) -> str:
    return f"{settings.SCIATRACK_SITE_URL}{path}"


def reminder_link(kind: str) -> str:
    return site_link(reverse(PAGES[Kind(kind)]))


def stop_link(patient_id: int) -> str:
    return site_link(reverse("reminder-stop", args=[stop_token(patient_id)]))


def reminder_email(choice: ReminderPreference, kind: str) -> EmailMessage:
    text = TEXTS[Kind(kind)]
    stop = stop_link(choice.patient_id)
    body = (
        f"Hello,\n\n{text}\nOpen Sciatrack: {reminder_link(kind)}\n\n"
        "You get this e-mail because you asked for reminders.\n"
        f"Stop these e-mails with one click: {stop}\n"
    )
    headers = {"List-Unsubscribe": f"<{stop}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return EmailMessage(f"Sciatrack: {text}", body, to=[choice.email], headers=headers)


def send_email(choice: ReminderPreference, kind: str) -> Outcome:
    if not (choice.by_email and choice.email_confirmed):
        return Outcome("dropped", "e-mail is off or not confirmed")
    try:
        reminder_email(choice, kind).send()
    except (smtplib.SMTPException, OSError) as failure:
        return Outcome("pending", f"e-mail: {failure}")
    return Outcome("sent")


def push_payload(kind: str) -> str:
    return json.dumps({"title": "Sciatrack", "body": TEXTS[Kind(kind)], "url": reminder_link(kind)})


def send_push(patient_id: int, kind: str) -> Outcome:
    """Send to each of the person's browsers; a subscription the push service calls gone is removed."""
    keys = vapid_keys()
    if keys is None:
        return Outcome("dropped", "push is off: no VAPID keys")
    subscriptions = list(PushSubscription.objects.filter(patient_id=patient_id))
    sent, errors = 0, []
    for subscription in subscriptions:
        info = {
            "endpoint": subscription.endpoint,
            "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
        }
        try:
            webpush(
                info,
                push_payload(kind),
                vapid_private_key=keys.private_key,
                vapid_claims={"sub": settings.SCIATRACK_VAPID_SUBJECT},
                ttl=PUSH_TTL_SECONDS,
                timeout=PUSH_TIMEOUT_SECONDS,
            )
        except WebPushException as failure:
            status = getattr(failure.response, "status_code", None)
            if status in GONE:
                PushSubscription.objects.gone(subscription.pk)
            else:
                errors.append(f"push {status}: {failure.message}")
            continue
        except (requests.RequestException, ValueError) as failure:
            errors.append(f"push: {failure}")
            continue
        sent += 1
    if sent:
        return Outcome("sent")
    if errors:
        return Outcome("pending", "; ".join(errors))
    return Outcome("dropped", "no push subscription")
