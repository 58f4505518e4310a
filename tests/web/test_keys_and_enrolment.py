"""Two-step sign-in enrolment that cannot be taken over, API keys only after it, and their input read
through declared forms.

Every client here is a browser with CSRF checks on. Two clients signed in as the same clinician are two
sessions with the same password: the one that did not confirm must not keep a working second factor.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from sciatrack.accounts.models import API_TOKEN_NAME_MAX, ApiToken, Clinic, Clinician, Patient
from sciatrack.accounts.tokens import KeyNameForm
from sciatrack.accounts.two_factor import make_only_authenticator
from second_factor import code_for_secret, current_code

pytestmark = pytest.mark.django_db

SETUP = "/accounts/two-factor/"
SECRET = re.compile(r'<code class="api-key" data-otp-secret>([^<]+)</code>')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOTP_STEP = 30  # seconds an authenticator's code lasts; a used code is not taken twice


@pytest.fixture
def cleo() -> User:
    user = User.objects.create_user("cleo", password="a long test password")
    Clinician.objects.create(user=user, clinic=Clinic.objects.create(name="Riverside", slug="riverside"))
    return user


def browser_for(user: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def csrf_token(page: str) -> str:
    found = CSRF.search(page)
    assert found is not None, "the page has no form with a CSRF token"
    return found.group(1)


def secret_shown(client: Client) -> str:
    page = client.get(f"{SETUP}?next=/clinic/").content.decode()
    found = SECRET.search(page)
    assert found is not None, "the set-up page shows no key"
    return found.group(1)


def send_code(client: Client, code: str, next_page: str = "/clinic/"):  # type: ignore[no-untyped-def]
    token = csrf_token(client.get(f"{SETUP}?next=/clinic/").content.decode())
    return client.post(SETUP, {"token": code, "next": next_page, "csrfmiddlewaretoken": token})


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode())


# --- enrolment -------------------------------------------------------------------------------------


def test_each_session_is_shown_a_secret_of_its_own(cleo: User) -> None:
    first, second = browser_for(cleo), browser_for(cleo)
    first_secret = secret_shown(first)
    assert secret_shown(first) == first_secret  # the same session sees the same key again
    assert secret_shown(second) != first_secret
    assert not TOTPDevice.objects.filter(user=cleo, confirmed=True).exists()


def test_confirming_one_secret_drops_every_other_sessions_secret(cleo: User) -> None:
    intruder, owner = browser_for(cleo), browser_for(cleo)
    intruders_secret = secret_shown(intruder)  # read first, with the same password
    owners_secret = secret_shown(owner)

    confirmed = send_code(owner, code_for_secret(owners_secret))
    assert confirmed.status_code == 302 and confirmed["Location"] == "/clinic/"
    assert owner.get("/clinic/").status_code == 200
    assert TOTPDevice.objects.filter(user=cleo).count() == 1  # the only secret left is the confirmed one

    with time_machine.travel(timezone.now() + timedelta(seconds=TOTP_STEP)):  # a code not used yet
        refused = send_code(intruder, code_for_secret(intruders_secret))
    assert refused.status_code == 422
    assert "Code: that code is not right now" in text_of(refused)
    assert intruder.get("/clinic/")["Location"].startswith(SETUP)
    page = intruder.get(f"{SETUP}?next=/clinic/").content.decode()
    assert "Confirm it is you" in page and "data-otp-secret" not in page


def test_a_secret_dropped_by_another_confirmation_cannot_be_confirmed_later(cleo: User) -> None:
    early, late = browser_for(cleo), browser_for(cleo)
    early_secret, late_secret = secret_shown(early), secret_shown(late)
    assert send_code(late, code_for_secret(late_secret)).status_code == 302
    with time_machine.travel(timezone.now() + timedelta(seconds=TOTP_STEP)):
        assert send_code(early, code_for_secret(early_secret)).status_code == 422
    assert list(TOTPDevice.objects.filter(user=cleo).values_list("confirmed", flat=True)) == [True]


def test_of_two_confirmations_at_once_only_the_first_counts(cleo: User) -> None:
    # Both sessions' codes were right; the second one to reach the database finds a confirmed key.
    first = TOTPDevice.objects.create(user=cleo, name="Authenticator", confirmed=False)
    second = TOTPDevice.objects.create(user=cleo, name="Authenticator", confirmed=False)
    assert make_only_authenticator(cleo, first)
    assert not make_only_authenticator(cleo, second)
    assert list(TOTPDevice.objects.filter(user=cleo).values_list("pk", "confirmed")) == [(first.pk, True)]


# --- the two-step page's own fields ----------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "12345",  # too short
        "1234567",  # too long
        "12345x",
        "\x00" * 6,
    ],
)
def test_the_code_must_be_six_digits(cleo: User, code: str) -> None:
    TOTPDevice.objects.create(user=cleo, name="phone", confirmed=True)
    response = send_code(browser_for(cleo), code)
    assert response.status_code == 422
    assert "Code: " in text_of(response)


def test_the_right_code_in_other_digits_is_not_taken(cleo: User) -> None:
    device = TOTPDevice.objects.create(user=cleo, name="phone", confirmed=True)
    arabic_indic = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    client = browser_for(cleo)
    response = send_code(client, current_code(device).translate(arabic_indic))
    assert response.status_code == 422
    assert "Code: the code is 6 digits from 0 to 9" in text_of(response)
    assert client.get("/clinic/")["Location"].startswith(SETUP)


@pytest.mark.parametrize("next_page", ["/clinic/\x00", "/clinic/" + "a" * 3000])
def test_a_broken_next_page_is_refused_by_name(cleo: User, next_page: str) -> None:
    device = TOTPDevice.objects.create(user=cleo, name="phone", confirmed=True)
    client = browser_for(cleo)
    response = send_code(client, current_code(device), next_page=next_page)
    assert response.status_code == 400
    assert "Next page: " in text_of(response)
    assert client.get("/clinic/")["Location"].startswith(SETUP)  # not signed in with the code either
    shown = client.get(SETUP, {"next": next_page})
    assert shown.status_code == 400 and "Next page: " in text_of(shown)


def test_a_next_page_on_another_site_goes_to_the_clinic_instead(cleo: User) -> None:
    device = TOTPDevice.objects.create(user=cleo, name="phone", confirmed=True)
    for elsewhere in ("https://evil.example/", "//evil.example/", "/\\evil.example/"):
        response = send_code(browser_for(cleo), current_code(device), next_page=elsewhere)
        assert response["Location"] == "/clinic/"
        device.refresh_from_db()
        device.last_t = -1  # the same code may be used again in this loop
        device.save()


# --- API keys --------------------------------------------------------------------------------------


def make_key(client: Client, name: str = "laptop script"):  # type: ignore[no-untyped-def]
    token = csrf_token(client.get("/accounts/keys/").content.decode())
    return client.post("/accounts/tokens/", {"name": name, "csrfmiddlewaretoken": token})


def test_staff_without_two_step_sign_in_are_told_why_and_make_no_key(cleo: User) -> None:
    client = browser_for(cleo)
    page = text_of(client.get("/accounts/keys/"))
    assert "Turn on two-step sign-in" in page
    assert f'href="{SETUP}?next=/accounts/keys/"' in page
    assert 'id="token-name"' not in page  # no form offered

    refused = make_key(client)
    assert refused.status_code == 403
    assert "Turn on two-step sign-in" in text_of(refused)
    assert not ApiToken.objects.exists()


def test_staff_with_an_authenticator_confirm_a_code_in_this_session_first(cleo: User) -> None:
    device = TOTPDevice.objects.create(user=cleo, name="phone", confirmed=True)
    client = browser_for(cleo)
    assert make_key(client).status_code == 403  # a password alone does not make a key
    assert not ApiToken.objects.exists()

    assert (
        send_code(client, current_code(device), next_page="/accounts/keys/")["Location"] == "/accounts/keys/"
    )
    assert 'id="token-name"' in client.get("/accounts/keys/").content.decode()
    assert make_key(client).status_code == 201
    assert ApiToken.objects.filter(user=cleo).count() == 1


def test_site_admins_need_it_too() -> None:
    admin = User.objects.create_superuser("root", password="a long test password")
    assert make_key(browser_for(admin)).status_code == 403
    assert not ApiToken.objects.exists()


def test_patients_make_keys_as_before() -> None:
    user = User.objects.create_user("pat", password="a long test password")
    Patient.objects.create(user=user, display_name="Pat")
    client = browser_for(user)
    assert "Turn on two-step sign-in" not in text_of(client.get("/accounts/keys/"))
    assert make_key(client).status_code == 201


@pytest.fixture
def patient_browser() -> Client:
    user = User.objects.create_user("pat", password="a long test password")
    Patient.objects.create(user=user, display_name="Pat")
    return browser_for(user)


@pytest.mark.parametrize(
    "name",
    ["", "   ", "laptop\x00script", "x" * (API_TOKEN_NAME_MAX + 1)],
    ids=["empty", "blank", "nul", "too-long"],
)
def test_a_bad_key_name_is_named_and_makes_nothing(patient_browser: Client, name: str) -> None:
    response = make_key(patient_browser, name)
    assert response.status_code == 422
    assert "Name: " in text_of(response)
    assert not ApiToken.objects.exists()


def test_a_name_of_the_longest_length_is_kept_as_typed(patient_browser: Client) -> None:
    name = "é" * API_TOKEN_NAME_MAX
    assert make_key(patient_browser, name).status_code == 201
    assert ApiToken.objects.get().name == name


def test_the_key_name_form_refuses_unpaired_surrogates() -> None:
    # A browser's form body cannot carry one (it is decoded as UTF-8 with replacement), so the form itself
    # is asked: the same field would meet one from any other door that reuses it.
    form = KeyNameForm({"name": "laptop \udfff"})
    assert not form.is_valid()
    assert "unpaired surrogate" in " ".join(form.errors["name"])
