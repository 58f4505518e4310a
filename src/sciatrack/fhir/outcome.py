"""How the FHIR API answers: every body is FHIR JSON, every refusal an OperationOutcome.

A view raises :class:`FhirRefusalError` for anything it will not answer (a bad value, nobody signed in, a
record that is not there or not theirs); :func:`refusal_response` turns it into the OperationOutcome
with the status FHIR's RESTful API gives it (https://hl7.org/fhir/R4/http.html).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse

# FHIR's own media type for JSON (https://hl7.org/fhir/R4/http.html#mime-type).
FHIR_JSON = "application/fhir+json; charset=utf-8"
# The methods a read-only server answers.
READ_METHODS = ("GET", "HEAD")
# A refused value is named in the diagnostics; a hostile one is cut short there.
NAMED_VALUE_MAX = 100

# Issue codes of the R4 issue-type code system (https://hl7.org/fhir/R4/valueset-issue-type.html).
INVALID = "invalid"
NOT_SUPPORTED = "not-supported"
NOT_FOUND = "not-found"
LOGIN = "login"
EXCEPTION = "exception"
TOO_COSTLY = "too-costly"

SIGN_IN = (
    "Sign in first, or send your personal key as the header Authorization: Bearer <key> "
    "(make one on your account page, under Keys for scripts)."
)


class FhirRefusalError(Exception):
    """A request the API refuses: the status, the OperationOutcome's issue code and what was wrong."""

    def __init__(self, status: int, code: str, diagnostics: str, headers: dict[str, str] | None = None):
        super().__init__(diagnostics)
        self.status = status
        self.code = code
        self.diagnostics = diagnostics
        self.headers = headers or {}


def named(value: str) -> str:
    """A value as the diagnostics quote it: shortened, so a huge one does not come back whole."""
    shown = value if len(value) <= NAMED_VALUE_MAX else value[:NAMED_VALUE_MAX] + "…"
    return json.dumps(shown, ensure_ascii=False)


def bad_value(parameter: str, problem: str) -> FhirRefusalError:
    return FhirRefusalError(400, INVALID, f"{parameter}: {problem}")


def not_supported(parameter: str, problem: str) -> FhirRefusalError:
    return FhirRefusalError(400, NOT_SUPPORTED, f"{parameter}: {problem}")


def not_found(what: str) -> FhirRefusalError:
    """404 for a record that is not there, or not the caller's to see: the two are never told apart."""
    return FhirRefusalError(404, NOT_FOUND, f"{what} is not there, or is not yours to see.")


def not_signed_in(diagnostics: str = SIGN_IN) -> FhirRefusalError:
    return FhirRefusalError(401, LOGIN, diagnostics, {"WWW-Authenticate": 'Bearer realm="sciatrack"'})


def wrong_method(method: str) -> FhirRefusalError:
    return FhirRefusalError(
        405,
        NOT_SUPPORTED,
        f"method: this server only reads; {named(method)} is not answered here, use GET.",
        {"Allow": ", ".join(READ_METHODS)},
    )


def operation_outcome(code: str, diagnostics: str) -> dict[str, Any]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": code, "diagnostics": diagnostics}],
    }


def fhir_response(body: dict[str, Any], status: int = 200, *, private: bool = True) -> HttpResponse:
    """``body`` as FHIR JSON. A person's record is never kept by a cache on the way (``no-store``)."""
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")), status=status, content_type=FHIR_JSON
    )
    if private:
        response["Cache-Control"] = "no-store"
    # The answer depends on who asks: the session cookie or the key.
    response["Vary"] = "Authorization, Cookie"
    return response


def refusal_response(refusal: FhirRefusalError) -> HttpResponse:
    response = fhir_response(operation_outcome(refusal.code, refusal.diagnostics), refusal.status)
    for header, value in refusal.headers.items():
        response[header] = value
    return response
