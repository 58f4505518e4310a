"""``{% load check_length %}{% check_length_sentence %}``: how long the safety check is, in one sentence.

Every page that mentions the check's length uses this tag, so they all show the one figure counted from
the check's own screens (:func:`sciatrack.check.steps.check_length`).
"""

from __future__ import annotations

from django import template

from sciatrack.check import steps

register = template.Library()


@register.simple_tag
def check_length_sentence() -> str:
    return steps.check_length().sentence
