"""Two-step sign-in: staff set up an authenticator, then confirm a code each session; patients never do."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from sciatrack.accounts.models import Clinic, Clinician, Patient
from second_factor import code_for_secret, current_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def cleo() -> User:
    user = User.objects.create_user("cleo", password="a long test password")
    Clinician.objects.create(user=user, clinic=Clinic.objects.create(name="Riverside", slug="riverside"))
    return user


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_sets_up_an_authenticator_before_the_clinic_pages_open(cleo: User) -> None:
    client = signed_in(cleo)
    response = client.get("/clinic/")
    assert response["Location"] == "/accounts/two-factor/?next=%2Fclinic%2F"
    page = client.get(response["Location"]).content.decode()
    assert "Set up two-step sign-in" in page and 'src="data:image/svg+xml;base64,' in page
    secret = re.search(r"<code class=\"api-key\" data-otp-secret>([^<]+)</code>", page)
    assert secret is not None

    wrong = client.post("/accounts/two-factor/", {"token": "000000", "next": "/clinic/"})
    assert wrong.status_code == 422
    assert "Code: that code is not right now" in html.unescape(wrong.content.decode())
    assert not TOTPDevice.objects.filter(user=cleo, confirmed=True).exists()

    answer = {"token": code_for_secret(secret.group(1)), "next": "/clinic/"}
    too_soon = client.post("/accounts/two-factor/", answer)
    assert "Code: too many wrong codes in a row" in too_soon.content.decode()  # guessing is slowed down
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        answer["token"] = code_for_secret(secret.group(1))
        right = client.post("/accounts/two-factor/", answer)
    assert right["Location"] == "/clinic/"
    assert TOTPDevice.objects.filter(user=cleo, confirmed=True).count() == 1
    assert client.get("/clinic/").status_code == 200


def test_it_asks_for_a_code_again_in_a_new_session(cleo: User) -> None:
    device = TOTPDevice.objects.create(user=cleo, name="phone", confirmed=True)
    client = signed_in(cleo)
    page = client.get("/accounts/two-factor/?next=/clinic/").content.decode()
    assert "Confirm it is you" in page and "data-otp-secret" not in page
    assert (
        client.post("/accounts/two-factor/", {"token": current_code(device), "next": "/clinic/"}).status_code
        == 302
    )
    assert client.get("/clinic/").status_code == 200


def test_it_guards_the_admin_for_site_staff_too() -> None:
    admin = User.objects.create_superuser("root", password="a long test password")
    assert signed_in(admin).get("/admin/")["Location"].startswith("/accounts/two-factor/")


def test_it_guards_the_network_registry_for_anyone_allowed_to_see_it() -> None:
    analyst = User.objects.create_user("nina", password="a long test password")
    analyst.user_permissions.add(
        Permission.objects.get(codename="view_network", content_type__app_label="registry")
    )
    response = signed_in(analyst).get("/clinic/registry/")
    assert response["Location"] == "/accounts/two-factor/?next=%2Fclinic%2Fregistry%2F"


def test_it_never_asks_patients() -> None:
    user = User.objects.create_user("pat", password="a long test password")
    Patient.objects.create(user=user, display_name="Pat")
    client = signed_in(user)
    assert client.get("/progress/").status_code == 200
    assert client.get("/clinic/").status_code == 403  # not staff: refused, not sent to set up a code


def test_it_goes_only_to_our_own_pages_afterwards(cleo: User) -> None:
    device = TOTPDevice.objects.create(user=cleo, name="phone", confirmed=True)
    client = signed_in(cleo)
    response = client.post(
        "/accounts/two-factor/", {"token": current_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/clinic/"
