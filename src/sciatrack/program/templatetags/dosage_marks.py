"""Template filters that ask :mod:`sciatrack.content.dosage_text` how to mark a project's own dose.

``{% load dosage_marks %}`` then ``{{ exercise.dosage|project_dose_mark }}`` (the short mark, or "" for a
dose taken from the source) and ``{{ exercise.dosage|project_dose_why }}`` (why it is marked).
"""

from __future__ import annotations

from django import template

from sciatrack.content import dosage_text
from sciatrack.content.schema import Dosage

register = template.Library()


@register.filter
def project_dose_mark(dosage: Dosage) -> str:
    return dosage_text.project_dose_mark(dosage)


@register.filter
def project_dose_why(dosage: Dosage) -> str:
    return dosage_text.project_dose_why(dosage)
