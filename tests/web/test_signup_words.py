"""Sign-up in our own plain words: no stock Django help, and a true sentence on who can see my records."""

from __future__ import annotations

import html
import re
import secrets
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.as_browser import browser
from sciatrack.accounts.models import Clinic, Clinician, Patient
from sciatrack.accounts.tokens import hash_key
from sciatrack.clinic.access import visible_patients
from sciatrack.clinic.models import Invitation
from sciatrack.registry.models import RegistryCase, RegistryFollowUp, RegistryWeek
from sciatrack.registry.sync import sync_patient
from web.test_program import make_intake

pytestmark = pytest.mark.django_db

PASSWORD = "walk-the-dog-at-dawn-42"
# Django's own help texts, as its forms give them in English.
STOCK = (
    "Required. 150 characters or fewer",
    "Your password can",
    "Enter the same password as before",
    "Password confirmation",
    "Letters, digits and @/./+/-/_ only",
)


def text_of(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def token_of(page: str) -> str:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[0]


def sign_up(client: Client) -> Patient:
    page = client.get("/accounts/signup/").content.decode()
    form = {
        "csrfmiddlewaretoken": token_of(page),
        "username": "dora",
        "display_name": "Dora",
        "email": "dora@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    response = client.post("/accounts/signup/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Patient.objects.get(user__username="dora")


def test_it_shows_our_own_plain_help_and_no_stock_help() -> None:
    page = browser().get("/accounts/signup/").content.decode()
    words = text_of(page)
    for stock in STOCK:
        assert stock not in words, stock
    assert "<ul" not in page.split('action="/accounts/signup/"', 1)[1].split("</form>")[0]
    assert "The name you sign in with." in words
    assert "At least 8 characters. Not like your username or email." in words
    assert "Type the password again" in words


def test_it_says_who_can_see_my_records_next_to_the_button() -> None:
    page = browser().get("/accounts/signup/").content.decode()
    sentence = page.index('id="who-can-see"')
    button = page.index("Create my account")
    assert 0 < button - sentence < 1000  # just before the button
    assert 'aria-describedby="who-can-see"' in page
    words = text_of(page)
    assert "Who can see your records? You, and the people who run this Sciatrack site." in words
    assert "No clinic can see them unless you become one of its patients." in words
    assert "never your name, email or notes" in words


def test_the_sentence_is_what_the_code_does() -> None:
    """Each part of the sentence, checked against the rules that decide it."""
    dora = sign_up(browser())
    make_intake(dora, "disc-pattern-self-care")
    riverside = Clinic.objects.create(name="Riverside", slug="riverside")
    nurse = User.objects.create_user("nurse", password=PASSWORD)
    Clinician.objects.create(user=nurse, clinic=riverside)
    admin = User.objects.create_superuser("admin", password=PASSWORD)

    # You, and the people who run this site; no clinic.
    assert dora.clinic is None
    assert not visible_patients(nurse).filter(pk=dora.pk).exists()
    assert visible_patients(admin).filter(pk=dora.pk).exists()
    # Not in the clinics' shared counts while in no clinic.
    assert sync_patient(dora) is None
    assert not RegistryCase.objects.exists()

    # One of a clinic's patients: its clinicians see the records, and the shared counts get numbers only.
    Patient.objects.filter(pk=dora.pk).update(clinic=riverside)
    dora.refresh_from_db()
    assert visible_patients(nurse).filter(pk=dora.pk).exists()
    case = sync_patient(dora)
    assert case is not None
    for model in (RegistryCase, RegistryFollowUp, RegistryWeek):
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.TextField | models.EmailField), (model, field.name)
            assert not {"name", "email", "note", "user"} & set(field.name.split("_")), (model, field.name)
    stored = " ".join(str(value) for value in RegistryCase.objects.values().get().values())
    assert "Dora" not in stored and "dora" not in stored


def test_an_invited_patient_gets_the_same_plain_help() -> None:
    riverside = Clinic.objects.create(name="Riverside", slug="riverside")
    key = secrets.token_urlsafe(32)
    Invitation.objects.create(
        clinic=riverside,
        kind=Invitation.Kind.PATIENT,
        display_name="Eve",
        key_hash=hash_key(key),
        expires=timezone.now() + timedelta(days=7),
    )
    page = browser().get(reverse("accept-invitation", args=[key]))
    assert page.status_code == 200
    words = text_of(page.content.decode())
    for stock in STOCK:
        assert stock not in words, stock
    assert "The name you sign in with." in words
