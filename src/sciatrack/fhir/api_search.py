"""The FHIR API's query values, search parameters and pages of results.

Every query value passes a declared form (:class:`ReadQuery` and its subclasses); a parameter the form
does not declare, one given twice or empty, or a value the form refuses is a 400 naming the parameter.
Results come a page at a time: ``_count`` per page (default 50, at most 200) from ``_offset``, which the
Bundle's links carry (clients follow ``next``; they need not build it).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

from django import forms
from django.core.validators import RegexValidator
from django.http import HttpRequest
from django.utils import timezone

from sciatrack.lib.fields import SafeCharField, WholeNumberField
from sciatrack.lib.query_forms import query_problems

from .ids import ID_PATTERN, instant
from .outcome import bad_value, named, not_supported

COUNT_DEFAULT = 50
COUNT_MAX = 200
# Far past any one person's or clinic's record; a larger offset is a hand-made link.
OFFSET_MAX = 1_000_000
FHIR_ID_MAX = 64
FHIR_ID_PROBLEM = "give an id of 1 to 64 letters, digits, '-' or '.'"
PATIENT_REFERENCE_PROBLEM = "give the patient as Patient/<id> or <id>"
PATIENT_PREFIX = "Patient/"
ItemT = TypeVar("ItemT")
# The formats ``_format`` may name: this server writes JSON only (https://hl7.org/fhir/R4/http.html#mime-type).
FORMATS = ("json", "application/json", "application/fhir+json")

# The R4 search parameters that find a resource by its patient, for each type served that has them
# (each type's "Search Parameters" table in the R4 specification, e.g.
# https://hl7.org/fhir/R4/observation.html#search). A served type missing here has none (Practitioner,
# and Patient itself, which is found by ``_id``).
PATIENT_PARAMETERS: dict[str, tuple[str, ...]] = {
    "CarePlan": ("patient", "subject"),
    "Flag": ("patient", "subject"),
    "Goal": ("patient", "subject"),
    "Observation": ("patient", "subject"),
    "Provenance": ("patient",),
    "QuestionnaireResponse": ("patient", "subject"),
    "ServiceRequest": ("patient", "subject"),
}


def search_parameters(resource_type: str, definitional: bool) -> list[tuple[str, str]]:
    """The search parameters a type takes here, each with its FHIR search parameter type."""
    found = [("_id", "token")]
    if not definitional:
        found += [(name, "reference") for name in PATIENT_PARAMETERS.get(resource_type, ())]
    return found


class PatientReferenceField(SafeCharField):
    """A reference to a patient, ``Patient/<id>`` or ``<id>``; cleaned to the bare id."""

    def clean(self, value: Any) -> str:
        text: str = super().clean(value)
        if not text:
            return text
        bare = text.removeprefix(PATIENT_PREFIX)
        if not ID_PATTERN.fullmatch(bare):
            raise forms.ValidationError(PATIENT_REFERENCE_PROBLEM, code="invalid")
        return bare


def fhir_id_field() -> SafeCharField:
    return SafeCharField(
        required=False,
        max_length=FHIR_ID_MAX,
        validators=[RegexValidator(ID_PATTERN, FHIR_ID_PROBLEM)],
        error_messages={"max_length": FHIR_ID_PROBLEM},
    )


class ReadQuery(forms.Form):
    """What a read takes: only the format."""

    _format = forms.ChoiceField(
        required=False,
        choices=[(name, name) for name in FORMATS],
        error_messages={"invalid_choice": "this server writes JSON only: give json or application/fhir+json"},
    )


class PageQuery(ReadQuery):
    """A read of many resources, a page at a time ($everything)."""

    _count = WholeNumberField(required=False, min_value=0, max_value=COUNT_MAX)
    _offset = WholeNumberField(required=False, min_value=0, max_value=OFFSET_MAX)


class SearchQuery(PageQuery):
    """A search of one type: by ``_id``, and by patient where the type has the parameter."""

    _id = fhir_id_field()
    patient = PatientReferenceField(required=False, max_length=len(PATIENT_PREFIX) + FHIR_ID_MAX)
    subject = PatientReferenceField(required=False, max_length=len(PATIENT_PREFIX) + FHIR_ID_MAX)

    def __init__(self, data: Any, *, parameters: list[tuple[str, str]]) -> None:
        super().__init__(data)
        taken = {name for name, _ in parameters}
        for name in ("_id", "patient", "subject"):
            if name not in taken:
                del self.fields[name]


def read_query(request: HttpRequest, form: forms.Form) -> dict[str, Any]:
    """The form's cleaned values for the request's query, or a refusal naming the parameter."""
    for name, values in request.GET.lists():
        if name not in form.fields:
            taken = ", ".join(form.fields) or "none"
            raise not_supported(named(name), f"this parameter is not supported here (supported: {taken})")
        if len(values) > 1:
            raise bad_value(name, "give this parameter once")
        if values[0] == "":
            raise bad_value(name, "give a value, or leave the parameter out")
    if not form.is_valid():
        raise bad_value(*query_problems(form)[0])
    return dict(form.cleaned_data)


def patient_uuid(value: str) -> uuid.UUID | None:
    """The patient id as the uuid it must be; None for an id no patient can have."""
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


@dataclass(frozen=True)
class Page:
    """Which slice of the results this answer holds, and the query values its links repeat."""

    count: int
    offset: int
    repeated: dict[str, str]

    @classmethod
    def of(cls, cleaned: dict[str, Any]) -> Page:
        count = cleaned.get("_count")
        offset = cleaned.get("_offset")
        repeated = {
            name: str(value)
            for name, value in cleaned.items()
            if name not in ("_count", "_offset") and value not in (None, "")
        }
        return cls(COUNT_DEFAULT if count is None else count, offset or 0, repeated)

    def cut(self, items: list[ItemT]) -> list[ItemT]:
        return items[self.offset : self.offset + self.count]

    def link(self, address: str, offset: int) -> str:
        values = {**self.repeated, "_count": str(self.count), "_offset": str(offset)}
        return f"{address}?{urlencode(values)}"

    def links(self, address: str, size: int) -> list[dict[str, str]]:
        """self, first, previous, next and last, for ``size`` results in all."""
        found = [("self", self.offset), ("first", 0)]
        if self.count:
            last = max(0, (size - 1) // self.count * self.count)
            if self.offset > 0:
                found.append(("previous", max(0, min(self.offset, last + self.count) - self.count)))
            if self.offset + self.count < size:
                found.append(("next", self.offset + self.count))
            found.append(("last", last))
        return [{"relation": relation, "url": self.link(address, offset)} for relation, offset in found]


def searchset(
    base: str,
    address: str,
    page: Page,
    entries: list[tuple[dict[str, Any], str]],
    *,
    size: int,
    total: int,
) -> dict[str, Any]:
    """A searchset Bundle of this page's ``entries`` (each a resource and its search mode) out of
    ``size`` results in all, ``total`` of them matches."""
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"lastUpdated": instant(timezone.now())},
        "type": "searchset",
        "total": total,
        "link": page.links(address, size),
    }
    if entries:
        bundle["entry"] = [
            {
                "fullUrl": f"{base}/{resource['resourceType']}/{resource['id']}",
                "resource": resource,
                "search": {"mode": mode},
            }
            for resource, mode in entries
        ]
    return bundle
