"""Django system checks for the settings the care pages rely on: the emergency number (spec section 6).

- :func:`emergency_number_problems` runs with Django's system checks (``check``, ``check --deploy``,
  ``runserver``, ``manage migrate``) and before ``sciatrack serve`` starts: with ``DEBUG`` off there is no
  default number, so an unset ``SCIATRACK_EMERGENCY_NUMBER`` is an error; a blank or odd value is an
  error in development too.
- :func:`emergency_number_shown` runs with ``check --deploy`` and shows the number the advice gives.

Both are registered in :class:`sciatrack.care.apps.CareConfig`.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Info

# 1 to 15 characters, digits, spaces, "+" and "-", with at least one digit: 112, 999, +1-800-555-0100.
EMERGENCY_NUMBER = re.compile(r"(?=.*[0-9])[0-9 +\-]{1,15}")
HOW_TO_SET = (
    "Set SCIATRACK_EMERGENCY_NUMBER to the number people call in an emergency where this server is "
    "used, such as 112, 999 or 911."
)


def emergency_number_problems(app_configs: object = None, **kwargs: Any) -> list[CheckMessage]:
    """An error when the emergency number is missing (the settings give none with ``DEBUG`` off) or odd."""
    number = settings.SCIATRACK_EMERGENCY_NUMBER
    if not number:
        return [
            Error(
                "SCIATRACK_EMERGENCY_NUMBER is not set (or is blank), so the emergency advice would give "
                "no number to call. With DEBUG off there is no default.",
                hint=HOW_TO_SET,
                id="sciatrack.E001",
            )
        ]
    if not EMERGENCY_NUMBER.fullmatch(number):
        return [
            Error(
                f"SCIATRACK_EMERGENCY_NUMBER is {number!r}, which is not a phone number.",
                hint="Use 1 to 15 characters: digits, spaces, + and -, such as 112 or +1-800-555-0100.",
                id="sciatrack.E002",
            )
        ]
    return []


def emergency_number_shown(app_configs: object = None, **kwargs: Any) -> list[CheckMessage]:
    """The number the emergency advice gives, so whoever deploys can see it is the right one."""
    if emergency_number_problems():
        return []  # the error says what is wrong
    number = settings.SCIATRACK_EMERGENCY_NUMBER
    return [
        Info(
            f"The emergency advice tells people to call {number} (SCIATRACK_EMERGENCY_NUMBER).",
            id="sciatrack.I001",
        )
    ]
