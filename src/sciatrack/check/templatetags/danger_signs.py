"""``{% load danger_signs %}``: the danger signs' words, from their one home ``content/danger_signs.yaml``.

- ``{% danger_sign_list %}``: every sign, each that alone means the emergency department now marked;
  ``{% danger_sign_list emergency_only=True %}``: just those, unmarked.
- ``{% danger_signs_advice %}``: what to do when any of them appears, said once with a list.
- ``{% danger_signs_in_brief %}``: the signs that matter most in a few words, for a one-sentence reminder.
- ``{% danger_sign_mark %}``: the mark after a sign that alone means the emergency department now.

Which signs alone mean the emergency department now is the triage rules' answer
(:func:`sciatrack.domain.safety_update.danger_signs`), never written in a template.
"""

from __future__ import annotations

from typing import Any

from django import template

from sciatrack.content.danger_signs import load_danger_signs
from sciatrack.domain.safety_update import danger_signs

register = template.Library()


@register.inclusion_tag("care/_danger_signs.html")
def danger_sign_list(emergency_only: bool = False) -> dict[str, Any]:
    signs = [sign for sign in danger_signs() if sign.emergency_alone or not emergency_only]
    return {"signs": signs, "unmarked": emergency_only}


@register.simple_tag
def danger_signs_advice() -> str:
    return load_danger_signs().advice


@register.simple_tag
def danger_signs_in_brief() -> str:
    return load_danger_signs().in_brief


@register.simple_tag
def danger_sign_mark() -> str:
    return load_danger_signs().emergency_mark
