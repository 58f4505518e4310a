"""The account page offers no API keys: they sit one click further, on "Keys for scripts"."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from api.as_browser import browser
from sciatrack.accounts.models import ApiToken, Patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def pat() -> Client:
    user = User.objects.create_user("pat", password="a long test password")
    Patient.objects.create(user=user, display_name="Pat")
    return browser(user)


def token_of(page: str) -> str:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[0]


def test_the_account_page_links_to_keys_and_offers_none(pat: Client) -> None:
    page = pat.get("/accounts/").content.decode()
    assert 'id="token-name"' not in page and "Make a key" not in page and "/accounts/tokens/" not in page
    assert '<a href="/accounts/keys/">Keys for scripts</a>' in page
    assert "Download my data (JSON)" in page and "Delete my account" in page


def test_keys_are_made_listed_and_stopped_on_their_own_page(pat: Client) -> None:
    page = pat.get("/accounts/keys/").content.decode()
    assert "<h1>Keys for scripts</h1>" in page and "You have no keys." in page
    made = pat.post("/accounts/tokens/", {"name": "laptop", "csrfmiddlewaretoken": token_of(page)})
    assert made.status_code == 201
    assert "<h1>Keys for scripts</h1>" in made.content.decode()
    assert re.search(r'<code class="api-key">sct_[^<]+</code>', made.content.decode())
    token = ApiToken.objects.get()
    page = pat.get("/accounts/keys/").content.decode()
    assert "laptop" in page and token.prefix in page
    stopped = pat.post(f"/accounts/tokens/{token.pk}/revoke/", {"csrfmiddlewaretoken": token_of(page)})
    assert stopped["Location"] == "/accounts/keys/"
    token.refresh_from_db()
    assert token.revoked is not None
    assert "stopped" in pat.get("/accounts/keys/").content.decode()


def test_a_visitor_is_sent_to_sign_in() -> None:
    response = browser().get("/accounts/keys/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
