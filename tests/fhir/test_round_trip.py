"""A demo history exported as a collection Bundle, read back as a FHIR reader would (the JSON text, parsed by
the R4B models), holds every measure and every session of the stored record."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from fhir.resources import R4B

from sciatrack.accounts.models import Patient
from sciatrack.care.models import DiaryEntry, Intake, SessionLog
from sciatrack.demo_histories import PERSONAS, add_history
from sciatrack.fhir import record
from sciatrack.fhir.codes import EXERCISE_DURATION, LEG_SITE, LOINC, LOW_BACK_SITE, PAIN_SEVERITY_0_10
from sciatrack.fhir.questionnaires import canonical

pytestmark = pytest.mark.django_db

SITES = {LEG_SITE: "leg", LOW_BACK_SITE: "back"}


def codes(concept: Any) -> set[tuple[str, str]]:
    return {(str(c.system), str(c.code)) for c in (concept.coding or [])} if concept is not None else set()


class ReadBack:
    """The resources of a Bundle parsed by the R4B models, indexed as a reader would look things up."""

    def __init__(self, text: str) -> None:
        self.bundle = R4B.get_fhir_model_class("Bundle").model_validate_json(text)
        assert self.bundle.type == "collection"
        self.by_ref = {
            f"{e.resource.get_resource_type()}/{e.resource.id}": e.resource for e in self.bundle.entry or []
        }

    def of_type(self, resource_type: str) -> list[Any]:
        return [r for r in self.by_ref.values() if r.get_resource_type() == resource_type]

    def pains(self) -> Counter[tuple[str, Any, int, bool]]:
        """(site, when, rating, derived from answers) of every 0-10 pain rating."""
        found: Counter[tuple[str, Any, int, bool]] = Counter()
        for obs in self.of_type("Observation"):
            if (LOINC, PAIN_SEVERITY_0_10) in codes(obs.code):
                (site,) = [SITES[code] for _system, code in codes(obs.bodySite) if code in SITES]
                found[(site, obs.effectiveDateTime, obs.valueInteger, bool(obs.derivedFrom))] += 1
        return found

    def scores(self) -> dict[tuple[str, datetime], Decimal]:
        """{(questionnaire canonical, when answered): score} of every scored QuestionnaireResponse."""
        found: dict[tuple[str, datetime], Decimal] = {}
        for obs in self.of_type("Observation"):
            if obs.valueQuantity is None:
                continue
            for source in obs.derivedFrom or []:
                response = self.by_ref.get(str(source.reference))
                if response is not None and response.get_resource_type() == "QuestionnaireResponse":
                    found[(str(response.questionnaire), response.authored)] = obs.valueQuantity.value
        return found

    def sessions(self) -> Counter[tuple[datetime, int]]:
        """(start, number of exercises) of every guided session."""
        return Counter(
            (obs.effectivePeriod.start, len(obs.component or []))
            for obs in self.of_type("Observation")
            if (LOINC, EXERCISE_DURATION) in codes(obs.code)
        )


def test_a_demo_history_survives_the_round_trip() -> None:
    persona = PERSONAS[
        0
    ]  # the responder: three follow-ups, a diary most days, 2-3 sessions a day, one exercise stopped
    user = User.objects.create(username=persona.username)
    patient = Patient.objects.create(user=user, display_name=persona.display_name)
    assert add_history(patient, persona)
    text = json.dumps(record.collection_bundle(patient, "https://sciatrack.example/fhir/R4"))
    assert json.loads(text)["resourceType"] == "Bundle"
    read = ReadBack(text)

    pains, scores = read.pains(), read.scores()
    intakes = list(Intake.objects.filter(patient=patient))
    assert len(intakes) == len(persona.checks)
    for intake in intakes:
        pain = intake.answers["pain"]
        assert pains[("leg", intake.created, pain["leg_now"], True)] == 1
        assert pains[("back", intake.created, pain["back_now"], True)] == 1
        kept = [q for q in ("peg", "sbi", "psfs") if intake.measures.get(q, {}).get("score") is not None]
        assert kept == ["peg", "sbi", "psfs"]  # the demo's checks answer all three
        for questionnaire in kept:
            expected = Decimal(str(round(float(intake.measures[questionnaire]["score"]), 2)))
            assert scores[(canonical(questionnaire), intake.created)] == expected

    days = list(DiaryEntry.objects.filter(patient=patient))
    assert days
    for entry in days:  # keyed by a date: a rating dated with a moment instead would not be found
        assert pains[("leg", entry.day, entry.leg_pain, False)] >= 1
        assert pains[("back", entry.day, entry.back_pain, False)] >= 1

    logs = SessionLog.objects.filter(patient=patient)
    assert read.sessions() == Counter((log.started_at, len(log.exercises)) for log in logs)
    assert sum(read.sessions().values()) == logs.count() > 0
