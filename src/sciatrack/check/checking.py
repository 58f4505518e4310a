"""The safety check's state between requests, its triage, and saving a finished check.

The answers of a check in progress live in the session under one key, as ``{"steps": {slug: data}}``
(see :mod:`.steps`), with the ``token`` the check got when it started and, once stored, what was
``saved``. Nothing goes to the database until the check is finished by a signed-in person with a patient
record; anyone else keeps their answers in the session only.
"""

from __future__ import annotations

import copy
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from sciatrack.accounts.models import Patient
from sciatrack.care.models import Intake
from sciatrack.domain.intake import IntakeError, parse_intake
from sciatrack.domain.triage import TriageResult, result_to_json, triage
from sciatrack.domain.vocabulary import Tier

from . import questionnaires, steps
from .stepbase import State

SESSION_KEY = "sciatrack_check"


def load(request: HttpRequest) -> State:
    """A private copy of the check in progress, so a refused answer cannot change the session."""
    state = request.session.get(SESSION_KEY)
    return copy.deepcopy(state) if isinstance(state, dict) else {"steps": {}}


def store_state(request: HttpRequest, state: State) -> None:
    """Keep the check in progress; the first time, give it the token its submissions are known by.

    Made once, as the check starts, so that every request of the same browser later reads the same one
    (two clicks at once on the last step both carry it).
    """
    state.setdefault("token", str(uuid.uuid4()))
    request.session[SESSION_KEY] = state


def clear(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def run_triage(data: dict[str, Any]) -> TriageResult:
    return triage(parse_intake(data), emergency_number=settings.SCIATRACK_EMERGENCY_NUMBER)


def provisional(state: State) -> TriageResult | None:
    """The triage of the answers given so far (the rest neutral), or None before the first answer."""
    if not steps.answered(state):
        return None
    data = steps.build_intake(state, provisional=True)
    assert data is not None
    try:
        return run_triage(data)
    except IntakeError:
        return None


def alert_tier(state: State) -> Tier | None:
    """The tier of the answers so far when it is an alert (:attr:`Tier.is_alert`: emergency or urgent),
    else None."""
    result = provisional(state)
    return result.tier if result is not None and result.tier.is_alert else None


def provisional_reasons(state: State) -> list[dict[str, Any]]:
    result = provisional(state)
    return list(result_to_json(result)["reasons"]) if result is not None else []


@dataclass(frozen=True)
class Outcome:
    answers: dict[str, Any]  # sciatrack.intake/2
    result: dict[str, Any]  # result_to_json
    measures: dict[str, Any]
    fingerprint: str


def evaluate(state: State) -> Outcome:
    """Triage and score a finished check. Raises IntakeError if the answers do not parse."""
    data = steps.build_intake(state)
    if data is None:
        raise ValueError("the check is not finished")
    result = result_to_json(run_triage(data))
    scores = questionnaires.score_all(steps.answered(state), data)
    blob = json.dumps([data, scores], sort_keys=True).encode()
    return Outcome(data, result, scores, hashlib.sha256(blob).hexdigest()[:16])


def patient_of(request: HttpRequest) -> Patient | None:
    """The signed-in person's patient record; None for visitors and for staff without one.

    Read once per request and kept on the user (:meth:`Patient.objects.of_user
    <sciatrack.accounts.managers.PatientManager.of_user>`): the pages ask several times per request.
    """
    return Patient.objects.of_user(request.user)


def save(request: HttpRequest, state: State, outcome: Outcome, patient: Patient) -> Intake:
    """Store a finished check once per submission (:func:`submission_key`): the same answers sent again,
    at the same moment or later, get the stored intake back.

    The insert comes first and the unique submission key refuses a copy, rather than a look before it,
    so that two copies sent at once (a double click) cannot both get in. ``saved`` in the session then
    answers a copy sent later without a write, and tells the result page the check is stored.
    """
    existing = saved_intake(state, outcome, patient)
    if existing is not None:
        return existing
    key = submission_key(state, outcome, patient)
    try:
        with transaction.atomic():
            intake = Intake.objects.record(
                patient, outcome.answers, outcome.result, outcome.measures, submission=key
            )
    except IntegrityError:
        stored = Intake.objects.filter(submission=key, patient=patient).first()
        if stored is None:
            raise  # refused by another rule: not a copy of a stored check
        intake = stored
    state["saved"] = {"fingerprint": outcome.fingerprint, "uuid": str(intake.uuid)}
    store_state(request, state)
    return intake


def submission_key(state: State, outcome: Outcome, patient: Patient) -> uuid.UUID:
    """The key of this submission of the check: the same for every copy of it, a new one when the check
    is started again or its answers change.

    Made from the check's token, the person, the answers (their fingerprint) and the answers stored last
    in this check, if any: going back to earlier answers after a change stores a new check, as any
    change does, rather than handing back the older one.
    """
    token = uuid.UUID(state.setdefault("token", str(uuid.uuid4())))  # a check begun before tokens
    saved = state.get("saved") or {}
    return uuid.uuid5(token, f"{patient.pk}:{saved.get('fingerprint', '')}:{outcome.fingerprint}")


def saved_intake(state: State, outcome: Outcome, patient: Patient | None) -> Intake | None:
    """The check stored from these very answers in this check, if it was (what the result page shows)."""
    saved = state.get("saved")
    if patient is None or not saved or saved.get("fingerprint") != outcome.fingerprint:
        return None
    return Intake.objects.filter(uuid=saved["uuid"], patient=patient).first()


def finish(request: HttpRequest, state: State) -> None:
    """The last answer is in: save the check for a signed-in patient (nothing for anyone else)."""
    patient = patient_of(request)
    if patient is None:
        return
    try:
        outcome = evaluate(state)
    except (IntakeError, ValueError):
        return  # the result page shows what is missing or refused
    save(request, state, outcome, patient)
