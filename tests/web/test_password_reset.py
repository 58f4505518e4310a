"""Forgotten passwords: a one-time link by e-mail (console backend by default) sets a new one."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new long password"


@pytest.fixture
def alice() -> User:
    return User.objects.create_user("alice", email="alice@example.org", password="the old long password")


def test_it_links_the_reset_from_the_sign_in_page(client: Client) -> None:
    assert 'href="/accounts/password-reset/"' in client.get("/accounts/login/").content.decode()


def test_it_mails_a_one_time_link_that_sets_a_new_password(client: Client, alice: User) -> None:
    response = client.post("/accounts/password-reset/", {"email": "alice@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Reset your Sciatrack password"
    assert message.to == ["alice@example.org"]
    link = re.search(r"https?://[^/]+(/accounts/password-reset/\S+/)", message.body)
    assert link is not None, message.body

    form = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done["Location"] == "/accounts/password-reset/complete/"
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)

    again = client.get(link.group(1), follow=True).content.decode()
    assert "already been used or has expired" in again


def test_it_says_the_same_for_an_unknown_address_and_sends_nothing(client: Client, alice: User) -> None:
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []
