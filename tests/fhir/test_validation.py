"""The FHIR validator of the tests catches what a conformant server would: hand-written valid resources
of every type Sciatrack emits pass, and each kind of mistake (a wrong code, a missing required element, an
element R4 does not have, a broken invariant) is named. No database needed."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fhirpathpy import apply_parsed_path
from fhirpathpy.engine.nodes import ResourceNode
from validation import (
    CHOICE_TYPES,
    OPTIONS,
    R4,
    REWRITES,
    SKIPPED,
    compiled,
    evaluable_keys,
    invariants,
    problems,
)

# The invariants validation.py does not evaluate. Growing this set must be a decision, documented in
# vendor/README.md with the reason, never a quiet way to make a test pass.
EXPECTED_SKIPS: set[str] = set()
# The invariants evaluated in a rewritten form fhirpathpy can run (each with its reason in validation.py).
EXPECTED_REWRITES = {"dom-3", "que-7", "rng-2"}

PATIENT_REF = {"reference": "Patient/p1"}
LOINC_PAIN = {"system": "http://loinc.org", "code": "72514-3", "display": "Pain severity"}
NARRATIVE = {
    "status": "generated",
    "div": '<div xmlns="http://www.w3.org/1999/xhtml"><p>Leg pain <b>4</b>/10</p></div>',
}

VALID: dict[str, dict[str, Any]] = {
    "Patient": {
        "resourceType": "Patient",
        "id": "p1",
        "identifier": [{"system": "https://sciatrack.org/fhir/sid/patient", "value": "0b6c6f4e"}],
        "active": True,
    },
    "Observation": {
        "resourceType": "Observation",
        "id": "o1",
        "text": NARRATIVE,
        "status": "final",
        "_status": {
            "extension": [{"url": "https://example.org/note", "valueString": "a primitive's extension"}]
        },
        "category": [
            {
                "coding": [
                    {"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "survey"}
                ]
            }
        ],
        "code": {"coding": [LOINC_PAIN]},
        "subject": PATIENT_REF,
        "effectivePeriod": {"start": "2026-12-01T10:00:00Z", "end": "2026-12-01T10:20:00Z"},
        "valueQuantity": {
            "value": 4,
            "unit": "score",
            "system": "http://unitsofmeasure.org",
            "code": "{score}",
        },
        "component": [{"code": {"text": "back"}, "valueInteger": 3}],
    },
    "Questionnaire": {
        "resourceType": "Questionnaire",
        "id": "q1",
        "url": "https://sciatrack.org/fhir/Questionnaire/peg",
        "status": "active",
        "item": [
            {
                "linkId": "g",
                "type": "group",
                "item": [
                    {"linkId": "g.1", "text": "Pain?", "type": "boolean"},
                    {
                        "linkId": "g.2",
                        "type": "integer",
                        "enableWhen": [{"question": "g.1", "operator": "exists", "answerBoolean": True}],
                    },
                    {"linkId": "g.3", "type": "choice", "answerOption": [{"valueCoding": {"code": "a"}}]},
                ],
            },
            {"linkId": "d", "type": "display", "text": "Thank you"},
        ],
    },
    "QuestionnaireResponse": {
        "resourceType": "QuestionnaireResponse",
        "id": "qr1",
        "questionnaire": "https://sciatrack.org/fhir/Questionnaire/peg",
        "status": "completed",
        "subject": PATIENT_REF,
        "item": [{"linkId": "g", "item": [{"linkId": "g.1", "answer": [{"valueBoolean": True}]}]}],
    },
    "Flag": {
        "resourceType": "Flag",
        "id": "f1",
        "status": "active",
        "code": {"text": "red flag"},
        "subject": PATIENT_REF,
    },
    "CarePlan": {
        "resourceType": "CarePlan",
        "id": "c1",
        "status": "active",
        "intent": "plan",
        "subject": PATIENT_REF,
        "period": {"start": "2026-11-01"},
        "activity": [
            {"reference": {"reference": "ServiceRequest/s1"}},
            # detail is R4's (R5 dropped it): the validator must accept it
            {
                "detail": {
                    "status": "in-progress",
                    "code": {"text": "walking"},
                    "scheduledTiming": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}},
                }
            },
        ],
    },
    "ServiceRequest": {
        "resourceType": "ServiceRequest",
        "id": "s1",
        "status": "active",
        "intent": "order",
        "subject": PATIENT_REF,
        "instantiatesCanonical": ["https://sciatrack.org/fhir/ActivityDefinition/walk"],
        "quantityQuantity": {"value": 10, "unit": "repetitions"},
        "occurrenceTiming": {
            "repeat": {"frequency": 2, "period": 1, "periodUnit": "d", "duration": 5, "durationUnit": "min"}
        },
    },
    "Goal": {
        "resourceType": "Goal",
        "id": "g1",
        "lifecycleStatus": "active",
        "description": {"text": "Less leg pain"},
        "subject": PATIENT_REF,
        "target": [
            {"measure": {"coding": [LOINC_PAIN]}, "detailRange": {"low": {"value": 0}, "high": {"value": 3}}}
        ],
    },
    "ActivityDefinition": {
        "resourceType": "ActivityDefinition",
        "id": "a1",
        "url": "https://sciatrack.org/fhir/ActivityDefinition/walk",
        "status": "active",
        "kind": "ServiceRequest",
        "quantity": {"value": 10, "unit": "repetitions"},
    },
    "Provenance": {
        "resourceType": "Provenance",
        "id": "pr1",
        "target": [{"reference": "CarePlan/c1"}],
        "recorded": "2026-12-01T10:00:00+01:00",
        "agent": [{"who": {"reference": "Practitioner/d1"}}],
    },
    "Device": {
        "resourceType": "Device",
        "id": "d0",
        "deviceName": [{"name": "Sciatrack", "type": "manufacturer-name"}],
        "version": [{"value": "1.0"}],
    },
    "Practitioner": {"resourceType": "Practitioner", "id": "d1", "name": [{"text": "Dr Who"}]},
    "OperationOutcome": {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "not-found", "diagnostics": "no such patient"}],
    },
    "CapabilityStatement": {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-12-04",
        "kind": "instance",
        "implementation": {"description": "Sciatrack"},
        "fhirVersion": "4.0.1",
        "format": ["json"],
        "rest": [{"mode": "server", "resource": [{"type": "Patient", "interaction": [{"code": "read"}]}]}],
    },
}
VALID["Bundle"] = {
    "resourceType": "Bundle",
    "type": "collection",
    "timestamp": "2026-12-04T12:00:00Z",
    "entry": [
        {"fullUrl": f"https://example.org/fhir/R4/{r['resourceType']}/{r.get('id', 'x')}", "resource": r}
        for r in VALID.values()
    ],
}


def changed(resource_type: str, **changes: Any) -> dict[str, Any]:
    resource = copy.deepcopy(VALID[resource_type])
    resource.update(changes)
    return resource


def named(found: list[str], *words: str) -> bool:
    return any(all(word in problem for word in words) for problem in found)


@pytest.mark.parametrize("resource_type", sorted(VALID))
def test_valid_resources_pass(resource_type: str) -> None:
    assert problems(VALID[resource_type]) == []


def test_a_wrong_code_is_named() -> None:
    found = problems(changed("Observation", status="finished"))
    assert named(found, "schema", "Observation.status", "'finished'")


@pytest.mark.parametrize(
    ("resource_type", "element"),
    [
        ("Observation", "code"),
        ("Observation", "status"),
        ("QuestionnaireResponse", "status"),
        ("CarePlan", "subject"),
    ],
)
def test_a_missing_required_element_is_named(resource_type: str, element: str) -> None:
    resource = changed(resource_type)
    del resource[element]
    resource.pop(f"_{element}", None)
    found = problems(resource)
    assert named(found, "model", f"{resource_type}.{element}:")
    if element[0].isupper() or element in ("code", "subject"):
        # HL7's schema requires complex elements only: a primitive may stand as "_status" with extensions
        assert named(found, "schema", f"'{element}' is a required property")


def test_a_required_primitive_with_only_an_extension_passes() -> None:
    observation = changed("Observation")
    del observation["status"]  # "_status" holds an extension, as data-absent-reason would
    assert not any("invariant" in problem for problem in problems(observation))


def test_r4_elements_that_r5_dropped_pass_and_r5_elements_fail() -> None:
    """The models are R4B's, not fhir.resources' default R5: CarePlan.activity.detail is R4 (R5 dropped
    it), Observation.triggeredBy is R5 only."""
    from fhir.resources.careplan import CarePlan as R5CarePlan
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="detail"):
        R5CarePlan.model_validate(VALID["CarePlan"])
    assert problems(VALID["CarePlan"]) == []
    found = problems(
        changed(
            "Observation", triggeredBy=[{"observation": {"reference": "Observation/o2"}, "type": "reflex"}]
        )
    )
    assert named(found, "model", "triggeredBy") and named(found, "schema", "triggeredBy")


def broken(resource_type: str, change: Any) -> list[str]:
    resource = copy.deepcopy(VALID[resource_type])
    change(resource)
    return problems(resource)


@pytest.mark.parametrize(
    ("key", "resource_type", "change"),
    [
        ("cpl-3", "CarePlan", lambda r: r["activity"][0].update(detail={"status": "completed"})),
        ("obs-6", "Observation", lambda r: r.update(dataAbsentReason={"text": "asked, not answered"})),
        (
            "obs-7",
            "Observation",
            lambda r: r["component"].append({"code": {"coding": [LOINC_PAIN]}, "valueInteger": 1}),
        ),
        ("bdl-7", "Bundle", lambda r: r["entry"].append(copy.deepcopy(r["entry"][0]))),
        (
            "bdl-8",
            "Bundle",
            lambda r: r["entry"][0].update(fullUrl="https://example.org/Patient/p1/_history/2"),
        ),
        ("per-1", "CarePlan", lambda r: r.update(period={"start": "2026-11-02", "end": "2026-11-01"})),
        ("qty-3", "Observation", lambda r: r["valueQuantity"].pop("system")),
        ("sqty-1", "ActivityDefinition", lambda r: r["quantity"].update(comparator="<")),
        (
            "ext-1",
            "Patient",
            lambda r: r.update(
                extension=[{"url": "u", "valueString": "x", "extension": [{"url": "v", "valueCode": "y"}]}]
            ),
        ),
        ("ele-1", "Observation", lambda r: r.update(code={})),
        ("ele-1", "Observation", lambda r: r.pop("status") and r.update(_status={})),
        ("que-2", "Questionnaire", lambda r: r["item"][0]["item"][1].update(linkId="g.1")),
        ("que-1", "Questionnaire", lambda r: r["item"][0].update(item=[])),
        ("que-6", "Questionnaire", lambda r: r["item"][1].update(required=True)),
        ("qrs-1", "QuestionnaireResponse", lambda r: r["item"][0].update(answer=[{"valueString": "x"}])),
        ("rng-2", "Goal", lambda r: r["target"][0]["detailRange"]["low"].update(value=5)),
        (
            "que-7",
            "Questionnaire",
            lambda r: r["item"][0]["item"][1]["enableWhen"][0].update(answerBoolean=None, answerString="yes"),
        ),
        ("tim-1", "ServiceRequest", lambda r: r["occurrenceTiming"]["repeat"].pop("durationUnit")),
        ("dom-3", "Flag", lambda r: r.update(contained=[{"resourceType": "Practitioner", "id": "nobody"}])),
        ("ref-1", "Flag", lambda r: r.update(author={"reference": "#missing"})),
        (
            "txt-1",
            "Observation",
            lambda r: r["text"].update(
                div='<div xmlns="http://www.w3.org/1999/xhtml"><script>x()</script>hi</div>'
            ),
        ),
        (
            "txt-2",
            "Observation",
            lambda r: r["text"].update(div='<div xmlns="http://www.w3.org/1999/xhtml">  </div>'),
        ),
        ("cpb-1", "CapabilityStatement", lambda r: r.pop("rest")),
        (
            "cpb-14",
            "CapabilityStatement",
            lambda r: r.pop("implementation") and r.update(software={"name": "S"}),
        ),
    ],
)
def test_a_broken_invariant_is_named(key: str, resource_type: str, change: Any) -> None:
    found = broken(resource_type, change)
    assert named(found, f"invariant {key} "), found


def test_a_control_character_in_a_string_is_named() -> None:
    found = problems(changed("Practitioner", name=[{"text": "Dr\x07 Who\tand\nline"}]))
    assert found == ["string: Practitioner.name.0.text: holds control characters U+0007"]


def test_invariants_inside_a_bundle_are_checked_and_located() -> None:
    bundle = copy.deepcopy(VALID["Bundle"])
    index = next(i for i, e in enumerate(bundle["entry"]) if e["resource"]["resourceType"] == "CarePlan")
    bundle["entry"][index]["resource"]["activity"][0]["detail"] = {"status": "completed"}
    bundle["entry"][0]["resource"]["gender"] = "femail"
    found = problems(bundle)
    assert named(found, f"in Bundle.entry[{index}].resource: invariant cpl-3")
    assert named(found, "in Bundle.entry[0].resource: schema: Patient.gender")


def test_contained_resources_are_checked_and_referenced_ones_pass() -> None:
    flag = changed(
        "Flag", contained=[{"resourceType": "Practitioner", "id": "dr"}], author={"reference": "#dr"}
    )
    assert problems(flag) == []
    flag["contained"][0]["gender"] = "robot"
    assert named(problems(flag), "in Flag.contained[0]: schema: Practitioner.gender")


def test_the_skip_list_does_not_grow_unnoticed() -> None:
    assert set(SKIPPED) == EXPECTED_SKIPS
    assert set(REWRITES) == EXPECTED_REWRITES
    assert set(evaluable_keys()) == set(invariants()["constraints"]) - EXPECTED_SKIPS
    for key, (vendored, _rewritten, _why) in REWRITES.items():
        assert vendored in invariants()["constraints"][key]["expression"]


@pytest.mark.parametrize(
    ("key", "resource_type", "change"),
    [
        (
            "dom-3",
            "Flag",
            lambda r: r.update(
                contained=[{"resourceType": "Practitioner", "id": "dr"}], author={"reference": "#dr"}
            ),
        ),
        ("que-7", "Questionnaire", lambda r: None),
        ("rng-2", "Goal", lambda r: r["target"][0]["detailRange"]["high"].update(value=0)),
    ],
)
def test_rewritten_invariants_pass_valid_resources(key: str, resource_type: str, change: Any) -> None:
    """The other half of each rewrite: test_a_broken_invariant_is_named shows it still fails when broken."""
    assert not named(broken(resource_type, change), f"invariant {key} ")


def test_every_vendored_invariant_is_an_error_and_evaluates_where_it_is_defined() -> None:
    """Each invariant parses and runs on an empty element of each path it is defined on, so none is
    skipped in disguise by a function fhirpathpy lacks."""
    constraints = invariants()["constraints"]
    assert {c["severity"] for c in constraints.values()} == {"error"}
    evaluated: set[str] = set()
    for type_name, by_path in invariants()["paths"].items():
        for path, keys in by_path.items():
            base = path.removesuffix("[x]")
            is_choice = base in CHOICE_TYPES
            node = ResourceNode.create_node(None if is_choice or type_name[0].islower() else {}, base)
            for key in keys:
                context = {"resource": {"resourceType": "Basic"}, "rootResource": {"resourceType": "Basic"}}
                result = apply_parsed_path(node, compiled(key), context, R4, OPTIONS)
                assert result in ([True], [False], []), (key, path, result)
                evaluated.add(key)
    assert evaluated == set(constraints)
