"""Everything the FHIR export emits is valid FHIR R4 (tests/fhir/validation.py: R4B models, HL7's JSON schema
and every error invariant): the shared definitions, every demo persona's record and its collection Bundle, and
the records of generated patients built through the app's own models and code paths."""

from __future__ import annotations

import dataclasses
import random
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from validation import invariants, problems

from domain.answers_factory import answers as answers_example
from domain.answers_factory import answers_strategy
from sciatrack.accounts.forms import SignUpForm
from sciatrack.accounts.models import Clinic, Clinician, Patient
from sciatrack.care.forms import DiaryForm
from sciatrack.care.models import DiaryEntry, Intake, SessionLog
from sciatrack.check.measures import ROWS, PsfsForm, name_field, score_field
from sciatrack.check.questionnaires import score_all
from sciatrack.demo_histories import PERSONAS, SLEEP, add_history, build_session
from sciatrack.domain.intake import IntakeAnswers
from sciatrack.domain.outcomes import SymptomReach
from sciatrack.domain.triage import result_to_json, triage
from sciatrack.fhir import record
from sciatrack.program.changes import change_program
from sciatrack.program.programs import create_program

pytestmark = pytest.mark.django_db

BASE = "https://sciatrack.example/fhir/R4"


def invalid(resources: list[dict[str, Any]]) -> list[str]:
    """Every problem of every resource, each after its type/id (empty when all are valid)."""
    return [f"{r.get('resourceType')}/{r.get('id')}: {problem}" for r in resources for problem in problems(r)]


def assert_all_valid(resources: list[dict[str, Any]]) -> None:
    found = invalid(resources)
    assert not found, "\n".join(found)


def assert_valid_record(patient: Patient) -> set[str]:
    """The patient's resources and their collection Bundle are valid; returns the types seen."""
    resources = list(record.patient_resources(patient))
    assert resources[0]["resourceType"] == "Patient"
    assert_all_valid(resources)
    bundle = record.collection_bundle(patient, BASE)
    assert_all_valid([bundle])
    assert {e["resource"]["id"] for e in bundle["entry"]} >= {r["id"] for r in resources}
    return {r["resourceType"] for r in resources}


def test_every_served_type_has_its_invariants_vendored() -> None:
    assert set(record.SERVED_TYPES) <= set(invariants()["paths"])


def test_the_shared_definitions_are_valid() -> None:
    definitions = record.definitions()
    assert {d["resourceType"] for d in definitions} >= {"Questionnaire", "ActivityDefinition", "Device"}
    assert_all_valid(definitions)


def test_every_demo_persona_record_is_valid() -> None:
    seen: set[str] = set()
    for persona in PERSONAS:
        user = User.objects.create(username=persona.username)
        patient = Patient.objects.create(user=user, display_name=persona.display_name)
        assert add_history(patient, persona)
        seen |= assert_valid_record(patient)
    # the histories hold checks, programs, sessions and diary days: each kind of resource was validated
    assert seen >= {
        "Patient",
        "Observation",
        "QuestionnaireResponse",
        "Flag",
        "CarePlan",
        "ServiceRequest",
        "Goal",
        "Provenance",
    }
    assert seen <= set(record.SERVED_TYPES)


# -- generated patients ------------------------------------------------------------------------------

# Free text as a person might type or paste it: markup characters, quotes, accents, emoji, odd spaces and
# control characters; it reaches the records only through the app's own forms (psfs_answer, diary_note).
TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from("<>&\"'\n"), max_size=40
)


@st.composite
def histories(draw: st.DrawFn) -> dict[str, Any]:
    """A plan of a patient's history: checks with random valid answers and questionnaires, diary days,
    sessions, and whether a clinician changed the program."""
    # Most checks without danger signs, so that most patients get a program, sessions and changes too.
    calm = answers_strategy().map(lambda answers: dataclasses.replace(answers, red_flags=frozenset()))
    checks = draw(st.lists(st.one_of(calm, calm, answers_strategy()), min_size=1, max_size=3))
    return {
        "names": draw(st.booleans()),
        "first_name": draw(TEXT.filter(str.strip)),
        "checks": [
            {
                "answers": answers,
                "sbi": draw(st.none() | st.lists(st.integers(0, 6), min_size=4, max_size=4)),
                "peg": draw(st.none() | st.lists(st.integers(0, 10), min_size=3, max_size=3)),
                "psfs": draw(
                    st.lists(
                        st.tuples(TEXT.filter(str.strip), st.integers(0, 10)),
                        max_size=3,
                        unique_by=lambda a: a[0],
                    )
                ),
            }
            for answers in checks
        ],
        "diary": draw(
            st.lists(
                st.tuples(
                    st.integers(0, 10),
                    st.integers(0, 10),
                    st.sampled_from(list(SymptomReach)),
                    st.sampled_from(SLEEP),
                    TEXT,
                ),
                max_size=4,
            )
        ),
        "sessions": draw(st.lists(st.tuples(st.integers(0, 10), st.booleans()), max_size=3)),
        "change": draw(st.booleans()),
        "seed": draw(st.integers(0, 2**32)),
    }


def psfs_answer(named: list[tuple[str, int]]) -> dict[str, Any] | None:
    """The PSFS step's answer as the check's form makes it from these typed rows (None: nothing kept)."""
    data = QueryDict(mutable=True)
    for row, (name, score) in zip(ROWS, named, strict=False):
        data[name_field(row)], data[score_field(row)] = name, str(score)
    form = PsfsForm(data)
    if not form.is_valid() or not form.cleaned_data["activities"]:
        return None
    return {"activities": form.cleaned_data["activities"]}


def display_name(typed: str) -> str:
    """The name as the sign-up form keeps it (a plain "x" when the form would refuse it)."""
    try:
        return str(SignUpForm.base_fields["display_name"].clean(typed))
    except ValidationError:
        return "x"


def diary_note(typed: str) -> str:
    """The note as the diary's form keeps it ("" when the form would refuse it)."""
    try:
        return str(DiaryForm.base_fields["note"].clean(typed))
    except ValidationError:
        return ""


def store_check(patient: Patient, answers: IntakeAnswers, plan: dict[str, Any], days_ago: int) -> Intake:
    """A check stored as the check's steps store it: triaged, scored, kept by Intake.objects.record."""
    answered: dict[str, dict[str, Any]] = {}
    if plan["sbi"] is not None:
        items = ("leg_pain", "numbness_tingling", "weakness", "sitting_pain")
        answered["bothersome"] = {"responses": dict(zip(items, plan["sbi"], strict=True))}
    if plan["peg"] is not None:
        items = ("pain", "enjoyment", "activity")
        answered["daily-life"] = {"responses": dict(zip(items, plan["peg"], strict=True))}
    psfs = psfs_answer(plan["psfs"])
    if psfs is not None:
        answered["activities"] = psfs
    stored = answers.to_json()
    result = result_to_json(triage(answers, emergency_number=django_settings.SCIATRACK_EMERGENCY_NUMBER))
    intake = Intake.objects.record(patient, stored, result, measures=score_all(answered, stored))
    Intake.objects.filter(pk=intake.pk).update(created=timezone.now() - timedelta(days=days_ago))
    intake.refresh_from_db()
    return intake


def build_history(plan: dict[str, Any], clinic: Clinic, clinician_user: User) -> Patient:
    rng = random.Random(plan["seed"])
    user = User.objects.create(username=f"generated-{plan['seed']}-{User.objects.count()}")
    name = display_name(plan["first_name"])
    patient = Patient.objects.create(user=user, clinic=clinic, display_name=name)
    Clinic.objects.filter(pk=clinic.pk).update(fhir_export_names=plan["names"])
    program = None
    for index, check in enumerate(plan["checks"]):
        intake = store_check(patient, check["answers"], check, days_ago=30 - 10 * index)
        program = create_program(intake) or program
    today = timezone.localdate()
    for offset, (leg, back, reach, sleep, note) in enumerate(plan["diary"]):
        DiaryEntry.objects.create(
            patient=patient,
            day=today - timedelta(days=offset),
            leg_pain=leg,
            back_pain=back,
            reach=reach.value,
            sleep=sleep,
            note=diary_note(note),
        )
    if program is not None:
        for offset, (leg, spread) in enumerate(plan["sessions"]):
            start = timezone.now() - timedelta(days=offset + 1)
            log = build_session(program.exercises, start, leg, spread, rng)
            SessionLog.from_domain(patient, log, program).save()
        if plan["change"]:
            change_program(program, list(reversed(program.exercises)), clinician_user)
    return patient


@pytest.fixture
def clinic() -> Clinic:
    return Clinic.objects.create(name="Riverside & Co <Physio>", slug="riverside")


@pytest.fixture
def clinician_user(clinic: Clinic) -> User:
    user = User.objects.create(username="dr-o", first_name="Ada", last_name="O'Neil")
    Clinician.objects.create(user=user, clinic=clinic, profession=Clinician.Profession.PHYSICAL_THERAPIST)
    return user


# No shrinking: each example builds a whole record, so shrinking a failure takes minutes and ends in the
# suite's timeout; the failing example and the exact problems are shown as found.
@settings(
    max_examples=25,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=histories())
def test_generated_patient_records_are_valid(
    plan: dict[str, Any], clinic: Clinic, clinician_user: User
) -> None:
    patient = build_history(plan, clinic, clinician_user)
    assert_valid_record(patient)


def test_pasted_text_exports_valid(clinic: Clinic, clinician_user: User) -> None:
    """What a person may paste: a no-break space and a line separator (FHIR strings allow no whitespace but
    space, tab and line breaks), a control character (none below 32 but those), and markup, in a name, a
    PSFS activity and a diary note, each kept by the app's own forms."""
    odd = 'Jean\u00a0Pierre <b>&amp;</b>\u2028 "x" \x1a.'
    answers = dataclasses.replace(answers_example(), red_flags=frozenset())
    check = {"answers": answers, "sbi": None, "peg": [5, 5, 5], "psfs": [(odd, 4)]}
    plan = {
        "names": True,
        "first_name": odd,
        "checks": [check],
        "diary": [(4, 3, SymptomReach.THIGH, SLEEP[0], odd)],
        "sessions": [(4, False)],
        "change": True,
        "seed": 7,
    }
    assert display_name(odd) == odd.strip() and psfs_answer([(odd, 4)]) is not None
    assert_valid_record(build_history(plan, clinic, clinician_user))
