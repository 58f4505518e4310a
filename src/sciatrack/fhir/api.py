"""A read-only FHIR R4 API at ``/fhir/R4/`` (issue 24): the CapabilityStatement, read and search of every
type the export emits, and Patient ``$everything``.

Plain Django views, not the JSON API's: FHIR has its own media type and its own refusals. Every answer
is ``application/fhir+json``; every refusal an OperationOutcome (:mod:`.outcome`). Who may read what,
and the audit, is :mod:`.api_access`; query values, search parameters and pages are :mod:`.api_search`.
The shared definitions (Questionnaires, ActivityDefinitions, the Device) are read by anyone signed in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from sciatrack.clinic.models import AuditEvent

from .api_access import Reader
from .api_search import (
    Page,
    PageQuery,
    ReadQuery,
    SearchQuery,
    patient_uuid,
    read_query,
    search_parameters,
    searchset,
)
from .capability import capability_statement
from .ids import ID_PATTERN
from .outcome import (
    EXCEPTION,
    NOT_FOUND,
    NOT_SUPPORTED,
    READ_METHODS,
    FhirRefusalError,
    bad_value,
    fhir_response,
    named,
    not_found,
    operation_outcome,
    refusal_response,
    wrong_method,
)
from .record import SERVED_TYPES, collection_bundle, definitions, patient_resources

logger = logging.getLogger(__name__)

View = Callable[..., HttpResponse]
ANSWERED = (
    "this server answers only GET metadata, GET <type>/<id>, GET <type>?<search> and "
    "GET Patient/<id>/$everything"
)


def fhir_base(request: HttpRequest) -> str:
    """The server's base address, e.g. ``https://example.org/fhir/R4``, as every fullUrl starts."""
    return request.build_absolute_uri(reverse("fhir-metadata")).removesuffix("/metadata")


def types_of(shared: list[dict[str, Any]]) -> frozenset[str]:
    """The types of the shared definitions, read by anyone signed in (not part of anyone's record)."""
    return frozenset(item["resourceType"] for item in shared)


def fhir_view(view: View) -> View:
    """GET and HEAD only, no CSRF token (nothing is ever changed), refusals as OperationOutcomes."""

    @csrf_exempt
    @wraps(view)
    def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            if request.method not in READ_METHODS:
                raise wrong_method(request.method or "")
            return view(request, *args, **kwargs)
        except FhirRefusalError as refusal:
            return refusal_response(refusal)
        except Exception:
            # A fault of ours: logged with its traceback, answered in FHIR's shape.
            logger.exception("FHIR API fault at %s", request.path)
            return fhir_response(operation_outcome(EXCEPTION, "The server failed; this was logged."), 500)

    return answer


def checked_id(resource_id: str) -> str:
    if resource_id.startswith(("$", "_")):  # a type-level operation or history: none is answered
        raise FhirRefusalError(404, NOT_SUPPORTED, f"{named(resource_id)}: {ANSWERED}")
    if not ID_PATTERN.fullmatch(resource_id):  # fullmatch: "$" would let a final newline through
        raise bad_value("id", f"{named(resource_id)} is not a FHIR id (1 to 64 letters, digits, '-' or '.')")
    return resource_id


@fhir_view
def metadata(request: HttpRequest) -> HttpResponse:
    read_query(request, ReadQuery(request.GET))
    statement = capability_statement(fhir_base(request), types_of(definitions()))
    return fhir_response(statement, private=False)


@fhir_view
def read(request: HttpRequest, resource_type: str, resource_id: str) -> HttpResponse:
    reader = Reader(request)
    read_query(request, ReadQuery(request.GET))
    checked_id(resource_id)
    what = f"{resource_type}/{resource_id}"
    shared = definitions()
    if resource_type in types_of(shared):
        for item in shared:
            if item["resourceType"] == resource_type and item["id"] == resource_id:
                return fhir_response(item)
        raise not_found(what)
    if resource_type == "Patient":
        patient = reader.patient(resource_id)
        if patient is None:
            raise not_found(what)
        reader.looked_at(patient)
        return fhir_response(next(iter(patient_resources(patient))))
    found = reader.find(resource_type, resource_id)
    if found is None:
        raise not_found(what)
    holder, resource = found
    reader.looked_at(holder)
    return fhir_response(resource)


@fhir_view
def search(request: HttpRequest, resource_type: str) -> HttpResponse:
    reader = Reader(request)
    shared = definitions()
    definitional = resource_type in types_of(shared)
    parameters = search_parameters(resource_type, definitional)
    cleaned = read_query(request, SearchQuery(request.GET, parameters=parameters))
    page = Page.of(cleaned)
    base = fhir_base(request)
    address = f"{base}/{resource_type}"
    wanted_id: str | None = cleaned.get("_id") or None
    if resource_type == "Patient":
        readable = reader.patients()
        if wanted_id is not None:
            wanted = patient_uuid(wanted_id)
            readable = readable.none() if wanted is None else readable.filter(uuid=wanted)
        size = readable.count()
        shown = list(readable[page.offset : page.offset + page.count]) if page.count else []
        for patient in shown:
            reader.looked_at(patient)
        entries = [(next(iter(patient_resources(patient))), "match") for patient in shown]
        return fhir_response(searchset(base, address, page, entries, size=size, total=size))
    if definitional:
        matches = [
            item
            for item in shared
            if item["resourceType"] == resource_type and wanted_id in (None, item["id"])
        ]
    else:
        matches = patient_matches(reader, resource_type, wanted_id, cleaned)
    entries = [(resource, "match") for resource in page.cut(matches)]
    return fhir_response(searchset(base, address, page, entries, size=len(matches), total=len(matches)))


def patient_matches(
    reader: Reader, resource_type: str, wanted_id: str | None, cleaned: dict[str, Any]
) -> list[dict[str, Any]]:
    """The resources of a type in the records the caller may read, by patient when one is named; each
    record read is audited."""
    named_patients = {cleaned[name] for name in ("patient", "subject") if cleaned.get(name)}
    if not named_patients:
        matches, holders = reader.matching(resource_type, wanted_id)
        for holder in holders:
            reader.looked_at(holder)
        return matches
    if len(named_patients) > 1:
        return []  # patient and subject name two people: nothing is about both
    patient = reader.patient(named_patients.pop())
    if patient is None:
        return []  # not there or not theirs: an empty result either way
    reader.looked_at(patient)
    return [
        resource
        for resource in reader.resources_of(patient)
        if resource["resourceType"] == resource_type and wanted_id in (None, resource["id"])
    ]


@fhir_view
def everything(request: HttpRequest, resource_id: str) -> HttpResponse:
    """Patient $everything: the whole record, and the definitions it refers to (search mode include)."""
    reader = Reader(request)
    cleaned = read_query(request, PageQuery(request.GET))
    checked_id(resource_id)
    patient = reader.patient(resource_id)
    if patient is None:
        raise not_found(f"Patient/{resource_id}")
    reader.looked_at(patient, AuditEvent.Action.EXPORT)
    page = Page.of(cleaned)
    base = fhir_base(request)
    shared = {(item["resourceType"], item["id"]) for item in definitions()}
    record = [entry["resource"] for entry in collection_bundle(patient, base).get("entry", [])]
    own = [resource for resource in record if (resource["resourceType"], resource["id"]) not in shared]
    included = [resource for resource in record if (resource["resourceType"], resource["id"]) in shared]
    everything_in_order = [(resource, "match") for resource in own] + [
        (resource, "include") for resource in included
    ]
    address = f"{base}/Patient/{patient.uuid}/$everything"
    entries = page.cut(everything_in_order)
    return fhir_response(
        searchset(base, address, page, entries, size=len(everything_in_order), total=len(own))
    )


@fhir_view
def unknown(request: HttpRequest, path: str) -> HttpResponse:
    """Any other address under the base: an unknown type, or an interaction this server does not answer."""
    first = path.split("/", 1)[0]
    if first and first not in SERVED_TYPES and first != "metadata":
        raise FhirRefusalError(
            404, NOT_FOUND, f"type: {named(first)} is not served here; GET metadata lists what is"
        )
    raise FhirRefusalError(404, NOT_SUPPORTED, f"{named(path)}: {ANSWERED}")
