"""What the browser tests share: a patient with a program of all seven exercises."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from browser.signing_in import PASSWORD
from sciatrack.accounts.models import Patient
from web.test_program import make_intake


@pytest.fixture
def alice() -> Patient:
    """Alice, signed up with the password the sign-in helper uses, and a program from a self-care check
    (all seven exercises)."""
    user = User.objects.create_user("alice", password=PASSWORD)
    patient = Patient.objects.create(user=user, display_name="Alice")
    make_intake(patient, "disc-pattern-self-care")
    return patient
