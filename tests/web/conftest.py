"""The web tests' patient persona: alice, with a patient record, and a client signed in as her.

A test module that needs a different alice (with records, say) defines its own ``alice`` fixture;
``alice_client`` then signs that one in.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sciatrack.accounts.models import Patient


@pytest.fixture
def alice() -> Patient:
    user = User.objects.create_user("alice", password="a long test password")
    return Patient.objects.create(user=user, display_name="Alice")


@pytest.fixture
def alice_client(client: Client, alice: Patient) -> Client:
    assert alice.user is not None
    client.force_login(alice.user)
    return client
