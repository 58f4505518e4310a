"""Signed links in reminder e-mail: confirming the address (expires) and stopping e-mail (needs no sign-in).

Both are made with :mod:`django.core.signing` under their own salt, so one kind never works as the other,
and neither can be made without the site's ``SECRET_KEY``.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing

CONFIRM_SALT = "sciatrack.nudges.confirm-email"
STOP_SALT = "sciatrack.nudges.stop-email"
CONFIRM_MAX_AGE = timedelta(days=3)


def confirm_token(patient_id: int, email: str) -> str:
    return signing.dumps({"p": patient_id, "e": email}, salt=CONFIRM_SALT, compress=True)


def read_confirm_token(token: str) -> tuple[int, str] | None:
    """The person and address a confirm link was made for; None when it is forged, altered or too old."""
    try:
        value = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("p"), int)
        or not isinstance(value.get("e"), str)
    ):
        return None
    return value["p"], value["e"]


def stop_token(patient_id: int) -> str:
    """The stop link's token: it never expires, so a link in an old e-mail still works."""
    return signing.dumps(patient_id, salt=STOP_SALT)


def read_stop_token(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=STOP_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
