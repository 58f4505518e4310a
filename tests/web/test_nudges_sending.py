"""``sciatrack reminders send``: reminders by e-mail and Web Push, each slot at most once.

E-mail goes through Django's test outbox and through a real SMTP server started here (aiosmtpd). Push goes
to a real HTTP endpoint started here, which decrypts the message (RFC 8291, with ``http_ece``) with the
keys of a subscription the test made, as a browser would. Every moment is passed in as ``now``: nothing
sleeps.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
import pytest
from aiosmtpd.controller import Controller
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from sciatrack.accounts.models import Patient
from sciatrack.care.models import Intake
from sciatrack.nudges.models import Delivery, PushSubscription, ReminderPreference
from sciatrack.nudges.sender import send_due
from sciatrack.nudges.vapid import new_key_pair
from sciatrack.program.programs import create_program
from web.test_program import make_intake
from web.test_races import at_once
from web.test_safety_updates import answer

pytestmark = pytest.mark.django_db

SITE = "https://care.example"
# Monday 2 March 2026, 16:05 UTC: 08:05 in Los Angeles (PST), 05:05 on Tuesday in Auckland (NZDT).
LA_MORNING = datetime(2026, 3, 2, 16, 5, tzinfo=UTC)
# Sunday 1 March 2026, 19:05 UTC: 08:05 on Monday in Auckland, 11:05 on Sunday in Los Angeles.
AUCKLAND_MORNING = datetime(2026, 3, 1, 19, 5, tzinfo=UTC)
HEALTH_WORDS = ("pain", "tier", "emergency", "doctor", "leg", "back", "McKenzie", "Alice")


@pytest.fixture(autouse=True)
def site(settings: Any) -> None:
    settings.SCIATRACK_SITE_URL = SITE
    keys = new_key_pair()
    settings.SCIATRACK_VAPID_PRIVATE_KEY = keys.private_key
    settings.SCIATRACK_VAPID_PUBLIC_KEY = keys.public_key


def person(name: str, **choice: Any) -> Patient:
    user = User.objects.create_user(name, email=f"{name}@example.org", password="a long test password")
    patient = Patient.objects.create(user=user, display_name=name.title())
    fields: dict[str, Any] = {
        "by_email": True,
        "for_session": False,
        "for_diary": True,
        "first_time": time(8, 0),
        "time_zone": "America/Los_Angeles",
        "email": f"{name}@example.org",
        "confirmed_email": f"{name}@example.org",
        **choice,
    }
    ReminderPreference.objects.create(patient=patient, **fields)
    return patient


def sent_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def link_in(body: str, start: str) -> str:
    return next(word for word in body.split() if word.startswith(start))


# E-mail ------------------------------------------------------------------------------------------------


def test_a_diary_reminder_says_only_that_it_is_time_with_a_link_and_a_stop_link() -> None:
    person("alice")
    report = send_due(LA_MORNING)
    assert report.sent == 1
    (message,) = mail.outbox
    assert message.to == ["alice@example.org"]
    assert message.subject == "Sciatrack: Time for your diary."
    assert f"{SITE}/diary/" in message.body
    assert not any(word in message.body or word in message.subject for word in HEALTH_WORDS)
    stop = link_in(message.body, f"{SITE}/reminders/stop/")
    assert message.extra_headers["List-Unsubscribe"] == f"<{stop}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_each_slot_is_sent_once_however_often_the_sender_runs() -> None:
    person("alice", second_time=time(8, 1))
    first = send_due(LA_MORNING)
    again = send_due(LA_MORNING + timedelta(minutes=1))
    later = send_due(LA_MORNING + timedelta(minutes=30))
    assert (first.sent, again.sent, later.sent) == (2, 0, 0)  # 08:00 and 08:01
    assert len(mail.outbox) == 2
    assert Delivery.objects.filter(status="sent").count() == 2


def test_no_reminder_before_its_time_or_an_hour_after_it() -> None:
    person("alice")
    assert send_due(LA_MORNING - timedelta(minutes=6)).sent == 0  # 07:59
    assert send_due(LA_MORNING + timedelta(minutes=56)).sent == 0  # 09:01: the slot is over
    assert mail.outbox == []


def test_time_zones_put_each_reminder_on_the_person_s_own_morning() -> None:
    person("lee", time_zone="America/Los_Angeles")
    person("aroha", time_zone="Pacific/Auckland")
    send_due(AUCKLAND_MORNING)
    assert sent_to() == ["aroha@example.org"]
    send_due(LA_MORNING)
    assert sent_to() == ["aroha@example.org", "lee@example.org"]
    assert {(d.patient.display_name, str(d.local_date)) for d in Delivery.objects.all()} == {
        ("Aroha", "2026-03-02"),  # Monday in Auckland while it was still Sunday in UTC
        ("Lee", "2026-03-02"),
    }


def test_a_quiet_day_has_no_reminder_on_the_person_s_own_calendar() -> None:
    person("aroha", time_zone="Pacific/Auckland", quiet_days="0")  # no reminders on Mondays
    person("lee", time_zone="America/Los_Angeles", quiet_days="0")
    send_due(AUCKLAND_MORNING)  # Monday morning in Auckland
    assert mail.outbox == []
    send_due(AUCKLAND_MORNING + timedelta(days=1))  # Tuesday morning in Auckland
    assert sent_to() == ["aroha@example.org"]
    send_due(LA_MORNING)  # Monday morning in Los Angeles
    assert sent_to() == ["aroha@example.org"]


def test_an_address_not_yet_confirmed_gets_no_reminder() -> None:
    person("alice", confirmed_email="")
    assert send_due(LA_MORNING).sent == 0
    assert mail.outbox == []


def test_the_stop_link_works_without_signing_in_and_stops_further_e_mail() -> None:
    person("alice")
    send_due(LA_MORNING)
    stop = link_in(mail.outbox[0].body, f"{SITE}/reminders/stop/").removeprefix(SITE)
    visitor = Client(enforce_csrf_checks=True)
    asked = visitor.get(stop)
    assert asked.status_code == 200 and "Stop e-mail reminders" in asked.content.decode()
    assert ReminderPreference.objects.get().by_email  # a look (or a mail scanner) stops nothing
    stopped = visitor.post(stop, {"List-Unsubscribe": "One-Click"})  # as a mail program's button posts
    assert stopped.status_code == 200 and "No more e-mail reminders" in stopped.content.decode()
    assert not ReminderPreference.objects.get().by_email
    send_due(LA_MORNING + timedelta(days=1))
    assert len(mail.outbox) == 1


def test_a_forged_stop_link_changes_nothing() -> None:
    person("alice")
    response = Client().post("/reminders/stop/1:forged/")
    assert response.status_code == 400
    assert ReminderPreference.objects.get().by_email


class Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.port = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        self.messages.append(envelope.content)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[Inbox]:
    inbox = Inbox()
    with socket.socket() as probe:  # a free port (aiosmtpd checks it started by connecting to it)
        probe.bind(("127.0.0.1", 0))
        inbox.port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", inbox.port
    settings.EMAIL_USE_TLS = False
    try:
        yield inbox
    finally:
        controller.stop()


def test_a_reminder_reaches_a_real_smtp_server_with_its_unsubscribe_headers(smtp_server: Inbox) -> None:
    person("alice")
    assert send_due(LA_MORNING).sent == 1
    (raw,) = smtp_server.messages
    message = message_from_bytes(raw, policy=policy.default)  # headers unfolded, as mail programs read them
    assert message["To"] == "alice@example.org"
    assert message["List-Unsubscribe"].strip().startswith(f"<{SITE}/reminders/stop/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Time for your diary." in message.get_content()


def test_a_failed_e_mail_is_tried_again_after_a_wait(settings: Any, smtp_server: Inbox) -> None:
    person("alice")
    settings.EMAIL_PORT = 1  # nothing listens there
    assert send_due(LA_MORNING).retry_later == 1
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert delivery.next_try_at == LA_MORNING + timedelta(minutes=2)
    assert send_due(LA_MORNING + timedelta(minutes=1)).retry_later == 0  # still waiting
    settings.EMAIL_PORT = smtp_server.port
    assert send_due(LA_MORNING + timedelta(minutes=2)).sent == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert len(smtp_server.messages) == 1


# The program, paused or due ----------------------------------------------------------------------------


def test_a_session_reminder_goes_out_while_the_program_allows_exercise_and_not_once_it_is_paused() -> None:
    alice = person("alice", for_session=True, for_diary=False)
    create_program(make_intake(alice, "disc-pattern-self-care"))
    assert send_due(LA_MORNING).sent == 1
    assert mail.outbox[0].subject == "Sciatrack: Time for today's exercises."
    assert f"{SITE}/session/" in mail.outbox[0].body
    browser = Client(enforce_csrf_checks=True)
    assert alice.user is not None
    browser.force_login(alice.user)
    answer(browser, "session_start", bilateral_new="yes")  # a danger sign: the program is paused
    assert not Intake.objects.get().allows_exercise
    assert send_due(LA_MORNING + timedelta(days=1)).sent == 0
    assert len(mail.outbox) == 1


def test_a_follow_up_that_falls_due_sends_one_reminder() -> None:
    alice = person("alice", for_diary=False)
    make_intake(alice, "disc-pattern-self-care")
    Intake.objects.update(created=LA_MORNING - timedelta(days=14))  # the 2-week check-in is due today
    send_due(LA_MORNING)
    send_due(LA_MORNING + timedelta(days=1))
    (message,) = mail.outbox
    assert message.subject == "Sciatrack: Your check-in is due."
    assert Delivery.objects.get().kind == "follow_up"


# Push --------------------------------------------------------------------------------------------------


class PushService:
    """A push service on 127.0.0.1: it answers each message with ``status`` and keeps what it got."""

    def __init__(self) -> None:
        self.status = 201
        self.received: list[tuple[dict[str, str], bytes]] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                service.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(service.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/push/abc"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def push_service() -> Iterator[PushService]:
    service = PushService()
    yield service
    service.server.shutdown()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def subscribe(patient: Patient, endpoint: str) -> tuple[ec.EllipticCurvePrivateKey, bytes]:
    """A browser's subscription: its key pair and auth secret (the test's endpoint is plain HTTP on
    127.0.0.1, so it is stored as the manager stores it; the form that asks for https is tested apart)."""
    key = ec.generate_private_key(ec.SECP256R1())
    auth = b"sixteen byte key"
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    PushSubscription.objects.store(patient, endpoint, b64url(public), b64url(auth))
    return key, auth


def test_a_push_reminder_arrives_encrypted_and_signed_and_decrypts_to_the_reminder(
    push_service: PushService, settings: Any
) -> None:
    alice = person("alice", by_email=False, by_push=True)
    key, auth = subscribe(alice, push_service.url)
    assert send_due(LA_MORNING).sent == 1
    ((headers, body),) = push_service.received
    assert headers["content-encoding"] == "aes128gcm"
    assert f"k={settings.SCIATRACK_VAPID_PUBLIC_KEY}" in headers["authorization"]
    message = json.loads(http_ece.decrypt(body, private_key=key, auth_secret=auth, version="aes128gcm"))
    assert message == {"title": "Sciatrack", "body": "Time for your diary.", "url": f"{SITE}/diary/"}
    assert send_due(LA_MORNING + timedelta(minutes=1)).sent == 0
    assert len(push_service.received) == 1


def test_a_subscription_the_push_service_calls_gone_is_removed(push_service: PushService) -> None:
    alice = person("alice", by_email=False, by_push=True)
    subscribe(alice, push_service.url)
    push_service.status = 410
    report = send_due(LA_MORNING)
    assert len(push_service.received) == 1
    assert not PushSubscription.objects.exists()
    assert (report.sent, report.dropped) == (0, 1)


def test_a_push_service_error_is_tried_again_later(push_service: PushService) -> None:
    alice = person("alice", by_email=False, by_push=True)
    subscribe(alice, push_service.url)
    push_service.status = 503
    assert send_due(LA_MORNING).retry_later == 1
    assert PushSubscription.objects.exists()
    push_service.status = 201
    assert send_due(LA_MORNING + timedelta(minutes=2)).sent == 1
    assert len(push_service.received) == 2


# Two runners at once -----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_runners_at_the_same_moment_send_each_slot_once() -> None:
    """On PostgreSQL both runners insert at once and the unique row lets one through; SQLite's in-memory
    test database takes them in turns (see ``at_once``), which checks the same rule without the race."""
    for number in range(5):
        person(f"person{number}", second_time=time(8, 1))
    reports = at_once([lambda: send_due(LA_MORNING), lambda: send_due(LA_MORNING)])
    assert sum(report.sent for report in reports) == 10
    assert len(mail.outbox) == 10
    assert len(set(sent_to())) == 5
    assert Delivery.objects.count() == 10


@pytest.mark.django_db(transaction=True)
def test_of_two_inserts_of_one_slot_at_once_the_unique_row_lets_one_through() -> None:
    alice = person("alice")
    claims = at_once(
        [
            lambda: Delivery.objects.claim_slot(
                alice.pk, "diary", "email", LA_MORNING.date(), time(8), LA_MORNING
            )
            for _ in range(4)
        ]
    )
    assert sum(claim is not None for claim in claims) == 1
    assert Delivery.objects.count() == 1
