"""The reminder pages as a browser uses them: the choices form, the e-mail confirm link, push subscriptions.

Every post carries the CSRF token its page gave (``Client(enforce_csrf_checks=True)``); bad input is a 4xx
that names the field and stores nothing.
"""

from __future__ import annotations

import base64
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core import mail
from django.test import Client
from django.utils import timezone

from api.as_browser import post_json
from sciatrack.accounts.models import Patient
from sciatrack.nudges.models import PushSubscription, ReminderPreference
from sciatrack.nudges.vapid import new_key_pair, vapid_keys

pytestmark = pytest.mark.django_db

PAGE = "/reminders/"
CHOICES = {
    "for_session": "on",
    "by_email": "on",
    "email": "alice@example.org",
    "first_time": "07:30",
    "second_time": "19:00",
    "time_zone": "Pacific/Auckland",
    "quiet_days": ["5", "6"],
}


@pytest.fixture
def alice_browser(alice: Patient) -> Client:
    client = Client(enforce_csrf_checks=True)
    assert alice.user is not None
    client.force_login(alice.user)
    return client


def token_of(page: str) -> str:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[0]


def post_choices(client: Client, **changes: object) -> object:
    page = client.get(PAGE).content.decode()
    return client.post(PAGE, {"csrfmiddlewaretoken": token_of(page), **CHOICES, **changes})


def test_the_account_page_and_the_program_page_link_to_the_reminders(
    alice_browser: Client, alice: Patient
) -> None:
    assert f'href="{PAGE}"' in alice_browser.get("/accounts/").content.decode()
    from sciatrack.program.programs import create_program
    from web.test_program import make_intake

    create_program(make_intake(alice, "disc-pattern-self-care"))
    assert f'href="{PAGE}"' in alice_browser.get("/program/").content.decode()


def test_a_visitor_is_sent_to_sign_in() -> None:
    response = Client().get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_choices_are_stored_and_the_address_gets_a_confirm_link(
    alice_browser: Client, alice: Patient
) -> None:
    response = post_choices(alice_browser)
    assert response.status_code == 302  # type: ignore[attr-defined]
    choice = ReminderPreference.objects.get(patient=alice)
    assert (choice.first_time.isoformat(), choice.second_time and choice.second_time.isoformat()) == (
        "07:30:00",
        "19:00:00",
    )
    assert (choice.time_zone, choice.quiet_days, choice.by_email, choice.email_confirmed) == (
        "Pacific/Auckland",
        "56",
        True,
        False,
    )
    (message,) = mail.outbox
    assert message.to == ["alice@example.org"]
    link = re.findall(r"https?://\S+/reminders/confirm/\S+/", message.body)[0]
    path = link.split("://", 1)[1].split("/", 1)[1]
    confirmed = Client().get(f"/{path}")  # no sign-in needed: the signed link says who
    assert confirmed.status_code == 200 and "your e-mail is confirmed" in confirmed.content.decode()
    assert ReminderPreference.objects.get(patient=alice).email_confirmed


def test_a_confirm_link_expires_and_a_changed_one_does_not_work(
    alice_browser: Client, alice: Patient
) -> None:
    post_choices(alice_browser)
    path = "/" + re.findall(r"https?://[^/\s]+/(reminders/confirm/\S+/)", mail.outbox[0].body)[0]
    assert Client().get(path[:-3] + "x/").status_code == 400
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        assert Client().get(path).status_code == 400
    assert not ReminderPreference.objects.get(patient=alice).email_confirmed


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"time_zone": "Mars/Olympus"}, "Time zone"),
        ({"time_zone": "../../etc/passwd"}, "Time zone"),
        ({"first_time": "25:00"}, "First time"),
        ({"first_time": ""}, "First time"),
        ({"second_time": "07:30"}, "Second time (if you want one)"),
        ({"email": ""}, "E-mail address"),
        ({"quiet_days": ["0", "1", "2", "3", "4", "5", "6"]}, "Days with no reminder"),
        ({"quiet_days": ["9"]}, "Days with no reminder"),
    ],
)
def test_bad_choices_name_the_field_and_store_nothing(
    alice_browser: Client, changes: dict[str, object], named: str
) -> None:
    response = post_choices(alice_browser, **changes)
    assert response.status_code == 422  # type: ignore[attr-defined]
    page = response.content.decode()  # type: ignore[attr-defined]
    assert f"{named}</a>:" in page
    assert not ReminderPreference.objects.exists()
    assert mail.outbox == []


def test_a_post_without_the_page_s_token_is_refused(alice_browser: Client) -> None:
    assert alice_browser.post(PAGE, CHOICES).status_code == 403
    assert not ReminderPreference.objects.exists()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def a_subscription(endpoint: str = "https://push.example.net/send/abc") -> dict[str, object]:
    public = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return {"endpoint": endpoint, "keys": {"p256dh": b64url(public), "auth": b64url(b"0123456789abcdef")}}


def test_a_browser_s_push_subscription_is_stored_once_and_removed(
    alice_browser: Client, alice: Patient
) -> None:
    body = a_subscription()
    assert post_json(alice_browser, "/reminders/push/subscribe/", body).status_code == 201
    assert post_json(alice_browser, "/reminders/push/subscribe/", body).status_code == 200
    assert PushSubscription.objects.get().patient == alice
    removed = post_json(alice_browser, "/reminders/push/unsubscribe/", {"endpoint": body["endpoint"]})
    assert removed.status_code == 200 and removed.json() == {"removed": True}
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (a_subscription("http://push.example.net/send/abc"), "endpoint"),
        (a_subscription("not a url"), "endpoint"),
        ({**a_subscription(), "keys": {"p256dh": "A" * 87, "auth": b64url(b"0123456789abcdef")}}, "p256dh"),
        ({**a_subscription(), "keys": {"p256dh": b64url(b"\x04" * 65), "auth": "short"}}, "auth"),
        ({"endpoint": "https://push.example.net/x"}, "p256dh"),
    ],
)
def test_a_bad_subscription_is_refused_naming_the_field(
    alice_browser: Client, body: dict[str, object], field: str
) -> None:
    response = post_json(alice_browser, "/reminders/push/subscribe/", body)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not PushSubscription.objects.exists()


def test_a_subscription_without_the_csrf_token_is_refused(alice_browser: Client) -> None:
    response = post_json(alice_browser, "/reminders/push/subscribe/", a_subscription(), csrf=False)
    assert response.status_code == 403
    assert not PushSubscription.objects.exists()


def test_the_page_offers_this_device_s_alerts_with_the_site_s_public_key(
    alice_browser: Client, settings: Any
) -> None:
    assert "push-device" not in alice_browser.get(PAGE).content.decode()  # no keys, DEBUG off: push is off
    keys = new_key_pair()
    settings.SCIATRACK_VAPID_PRIVATE_KEY, settings.SCIATRACK_VAPID_PUBLIC_KEY = (
        keys.private_key,
        keys.public_key,
    )
    page = alice_browser.get(PAGE).content.decode()
    assert 'id="push-device"' in page and f'data-key="{keys.public_key}"' in page
    assert "js/push-subscribe.js" in page


def test_a_development_site_makes_its_key_pair_once_into_var(settings: Any, tmp_path: Path) -> None:
    settings.DEBUG, settings.VAR_DIR = True, tmp_path
    settings.SCIATRACK_VAPID_PRIVATE_KEY = settings.SCIATRACK_VAPID_PUBLIC_KEY = ""
    first = vapid_keys()
    assert first is not None and vapid_keys() == first
    assert (tmp_path / "vapid.json").stat().st_mode & 0o777 == 0o600
    assert len(base64.urlsafe_b64decode(first.public_key + "=")) == 65
    settings.DEBUG = False
    assert vapid_keys() is None  # production never makes keys up


def test_the_sign_up_form_says_what_the_e_mail_is_for() -> None:
    page = Client().get("/accounts/signup/").content.decode()
    assert "and for reminders if you ask for them" in page
    assert "Only used to reset your password" not in page
