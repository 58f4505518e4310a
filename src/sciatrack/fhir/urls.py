"""The FHIR API's addresses under ``/fhir/R4/`` (see :mod:`.api`).

A type is matched only when it is one the export serves (:data:`sciatrack.fhir.record.SERVED_TYPES`),
so the patterns and the CapabilityStatement list the same types; any other address under the base
answers a FHIR 404, never Django's page.
"""

from __future__ import annotations

import re

from django.urls import path, re_path, register_converter

from . import api
from .record import SERVED_TYPES


class ServedTypeConverter:
    """One of the served resource types, spelled exactly."""

    regex = "|".join(re.escape(name) for name in SERVED_TYPES)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ServedTypeConverter, "served_type")

urlpatterns = [
    path("metadata", api.metadata, name="fhir-metadata"),
    path("Patient/<str:resource_id>/$everything", api.everything, name="fhir-everything"),
    path("<served_type:resource_type>", api.search, name="fhir-search"),
    path("<served_type:resource_type>/<str:resource_id>", api.read, name="fhir-read"),
    # Unnamed: nothing links here; it only answers a wrong address in FHIR's shape.
    re_path(r"^(?P<path>[\s\S]*)\Z", api.unknown),  # any character, a newline too
]
