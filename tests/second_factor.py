"""Two-step sign-in for staff personas in tests: a confirmed authenticator and today's code."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def code_for_secret(secret: str) -> str:
    """The code an authenticator app shows now for the key the set-up page displays."""
    import base64

    text = secret.replace(" ", "")
    key = base64.b32decode(text + "=" * (-len(text) % 8))
    return f"{totp(key, step=30, t0=0, digits=6):06d}"


def confirm_second_factor(client: Client, user: Any) -> None:
    """Give ``user`` an authenticator and confirm today's code in ``client``'s session."""
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    response = client.post("/accounts/two-factor/", {"token": current_code(device), "next": "/clinic/"})
    assert response.status_code == 302, response.content.decode()[:500]
