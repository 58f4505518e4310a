"""``{% load staff_menu %}``: the menu ``base.html`` gives clinic staff instead of the patient's.

``{% with staff=user|staff_menu %}`` is None for anyone who is not staff (a patient, a visitor), so
their menu is the patient's; for staff it says which staff items to offer. Who is staff is decided once,
in :func:`sciatrack.clinic.access.is_clinic_staff`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template

from sciatrack.clinic import access

register = template.Library()


@dataclass(frozen=True)
class StaffMenu:
    registry: bool  # offer the outcome registry


@register.filter
def staff_menu(user: Any) -> StaffMenu | None:
    if not getattr(user, "is_authenticated", False) or not access.is_clinic_staff(user):
        return None
    return StaffMenu(registry=access.may_see_registry(user))
