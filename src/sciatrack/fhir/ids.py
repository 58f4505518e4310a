"""Resource ids, references and instants: the same record gives the same id on every export.

A row with a public uuid gives its main resource that uuid as id; every other resource made from a row
gets that row's uuid, a dot and a hash of what the resource is, so ids are stable, unique, reveal nothing
about the record, and say which row (and so whose record) a resource comes from. FHIR ids allow
``[A-Za-z0-9\\-\\.]{1,64}``: a uuid's 36 characters, a dot and 16 hex digits fit.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import date, datetime
from typing import Any

from django.utils import timezone

# The namespace of Sciatrack's derived ids; fixed forever, or every id would change.
ID_NAMESPACE = uuid.UUID("5b0c3d1e-6f0a-4c55-9d3c-7a5e1f2b8c40")
# FHIR R4's id datatype (https://hl7.org/fhir/R4/datatypes.html#id).
ID_PATTERN = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


# SHA-1 already fed the namespace: each id hashes only its own name (a copy of this state).
_NAMESPACE_SHA1 = hashlib.sha1(ID_NAMESPACE.bytes, usedforsecurity=False)
# RFC 4122's variant bits (10xx) set on the top two bits of the id's 17th hex digit.
_VARIANT_DIGIT = "89ab"


# A row's uuid at the start of a part (a row's uuid, or an id made here from one).
_ROW_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# The hex digits of the name's hash after the row's uuid: 64 bits, unique within one row's resources.
_TAIL_DIGITS = 16


def derived_id(*parts: object) -> str:
    """A stable id from the parts, e.g. ``derived_id("intake", intake.uuid, "leg-pain")``.

    When a part is (or starts with) a row's uuid, the id is that uuid, a dot and 16 hex digits of the
    name's hash (``<row uuid>.<hash>``, 53 characters): the read API finds whose record a resource is in
    from its id alone (:func:`row_uuid`). Otherwise it is the text of ``uuid.uuid5(ID_NAMESPACE,
    "/".join(parts))``, made without building UUID objects (an export makes millions of ids)."""
    name = "/".join(map(str, parts))
    digest = _NAMESPACE_SHA1.copy()
    digest.update(name.encode("utf-8"))
    hexed = digest.hexdigest()
    for part in parts:
        found = _ROW_UUID.match(str(part))
        if found is not None:
            return f"{found.group()}.{hexed[:_TAIL_DIGITS]}"
    variant = _VARIANT_DIGIT[int(hexed[16], 16) & 3]
    return f"{hexed[:8]}-{hexed[8:12]}-5{hexed[13:16]}-{variant}{hexed[17:20]}-{hexed[20:32]}"


def row_uuid(resource_id: str) -> uuid.UUID | None:
    """The uuid of the row a resource was made from, when its id says (a row's own uuid, or
    ``<row uuid>.<hash>`` from :func:`derived_id`); None otherwise."""
    found = _ROW_UUID.match(resource_id)
    if found is None or resource_id[found.end() : found.end() + 1] not in ("", "."):
        return None
    return uuid.UUID(found.group())


def reference(resource_type: str, resource_id: str, display: str | None = None) -> dict[str, Any]:
    """A relative reference, e.g. ``{"reference": "Patient/<id>"}``."""
    found: dict[str, Any] = {"reference": f"{resource_type}/{resource_id}"}
    if display:
        found["display"] = display
    return found


def ref_of(resource: dict[str, Any]) -> dict[str, Any]:
    """A relative reference to a resource made here."""
    return reference(resource["resourceType"], resource["id"])


def patient_ref(patient_uuid: str) -> dict[str, Any]:
    return reference("Patient", patient_uuid)


def instant(moment: datetime) -> str:
    """An ISO 8601 instant with its offset (UTC for a naive one, which the app never stores)."""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_fixed_timezone(0))
    return moment.isoformat()


def day(value: date) -> str:
    """A calendar day, as FHIR's date (a day has no time and so no offset)."""
    return value.isoformat()
