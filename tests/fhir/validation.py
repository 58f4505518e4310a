"""Validate a FHIR R4 resource the way a conformant server would, without a Java server.

``problems(resource)`` runs three independent checks and returns every problem found (empty when valid):

* model: the fhir.resources R4B pydantic models (types, cardinality, required elements, unknown elements);
* schema: HL7's R4 JSON schema (codes of required bindings, primitive formats, unknown elements);
* invariant: every error-severity invariant of the R4 StructureDefinitions (vendor/r4_invariants.json),
  evaluated with fhirpathpy on each element it is defined on, through datatypes and backbone elements;
* string: no control characters in strings (a SHALL of the string datatype the other checks miss).

Resources inside a resource (Bundle entries, contained resources) are checked as resources of their own.
Where each vendored file came from, and how to regenerate it: vendor/README.md.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pydantic
from fhir.resources import R4B
from fhirpathpy import apply_parsed_path
from fhirpathpy.engine.nodes import ResourceNode
from fhirpathpy.models import models as fhirpath_models
from fhirpathpy.parser import parse
from jsonschema import Draft6Validator, validators
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT6

VENDOR = Path(__file__).parent / "vendor"
SCHEMA_FILE = VENDOR / "fhir.schema.json"
INVARIANTS_FILE = VENDOR / "r4_invariants.json"
SCHEMA_URI = "urn:sciatrack-tests:hl7-fhir-r4-schema"

# Invariants deliberately not evaluated, with why. test_validation pins this set: it may not grow unnoticed.
# (fhirpathpy lacks the FHIR-specific hasValue() and htmlChecks(); both are supplied below: none is skipped.)
SKIPPED: dict[str, str] = {}

# Invariants evaluated in an equivalent form fhirpathpy 2.2.4 can run: key -> (vendored text, its replacement
# wherever it occurs, why; vendor/README.md says more). test_validation pins these and checks each text.
REWRITES: dict[str, tuple[str, str, str]] = {
    "dom-3": (
        "%resource.descendants().as(",
        "%resource.descendants().ofType(",
        "fhirpathpy's as() takes one item; R4-era engines filter a collection with it, as ofType() does",
    ),
    "que-7": (
        "answer is Boolean",
        "answer is boolean",
        "R4's spelling of the FHIR type boolean; fhirpathpy reads it as System.Boolean and fails every one",
    ),
    "rng-2": (
        "(low <= high)",
        "(low.code.exists() and high.code.exists() and low.code != high.code) or (low.value <= high.value)",
        "fhirpathpy cannot compare Quantity elements: by value in one unit, not judged across units",
    ),
}

R4 = fhirpath_models["r4"]
PATH_TYPES: dict[str, str] = R4["path2Type"]
CHOICE_TYPES: dict[str, list[str]] = R4["choiceTypePaths"]
CONTENT_REFERENCES: dict[str, str] = R4["pathsDefinedElsewhere"]
# Backbone elements have no entry of their own in path2Type, only their children do.
BACKBONES = frozenset(path.rsplit(".", 1)[0] for path in PATH_TYPES if path.count(".") > 1)


def problems(resource: dict[str, Any]) -> list[str]:
    """Every way ``resource`` breaks FHIR R4; each problem names its check, where, and what."""
    found: list[str] = []
    for nested, root, where in _resources(resource, resource, ""):
        prefix = f"in {where}: " if where else ""
        root_text = None if root is nested else json.dumps(root)
        found += [prefix + problem for problem in _own_problems(json.dumps(nested), root_text)]
    return found


@functools.lru_cache(maxsize=50_000)
def _own_problems(text: str, root_text: str | None) -> tuple[str, ...]:
    """The problems of one resource, not of the resources within it (checked on their own). Cached by the
    exact JSON: a Bundle's entries are then not checked again after patient_resources() was."""
    resource = json.loads(text)
    root = resource if root_text is None else json.loads(root_text)
    return (
        *model_problems(_with_stand_ins(resource)),
        *schema_problems(resource),
        *invariant_problems(resource, root),
        *control_character_problems(resource, str(resource.get("resourceType"))),
    )


def control_character_problems(value: Any, where: str) -> list[str]:
    """FHIR (datatypes.html#string): strings SHALL NOT contain characters below 32 but tab, CR and LF.
    Neither the models nor the schema's pattern check it. Nested resources are left to their own turn."""
    if isinstance(value, str):
        bad = sorted({f"U+{ord(c):04X}" for c in value if ord(c) < 32 and c not in "\t\r\n"})
        return [f"string: {where}: holds control characters {', '.join(bad)}"] if bad else []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    nested = isinstance(value, dict) and "resourceType" in value and where.count(".") > 0
    return [] if nested else [p for k, v in items for p in control_character_problems(v, f"{where}.{k}")]


def _resources(
    resource: dict[str, Any], root: dict[str, Any], where: str
) -> Iterator[tuple[dict[str, Any], dict[str, Any], str]]:
    """The resource, then every resource within it: (resource, its %rootResource, where it is)."""
    yield resource, root, where
    for index, entry in enumerate(
        resource.get("entry", []) if resource.get("resourceType") == "Bundle" else []
    ):
        for key, inner in _entry_resources(entry):
            if isinstance(inner, dict):
                yield from _resources(inner, inner, f"{where or 'Bundle'}.entry[{index}].{key}")
    for index, contained in enumerate(resource.get("contained", [])):
        if isinstance(contained, dict):
            yield contained, resource, f"{where or resource['resourceType']}.contained[{index}]"


def _entry_resources(entry: Any) -> list[tuple[str, Any]]:
    if not isinstance(entry, dict):
        return []
    response = entry.get("response")
    outcome = response.get("outcome") if isinstance(response, dict) else None
    return [
        (key, value)
        for key, value in (("resource", entry.get("resource")), ("response.outcome", outcome))
        if value is not None
    ]


# What the model check of a container sees in place of each resource within it, checked on its own.
STAND_IN = {"resourceType": "Basic", "code": {"text": "validated on its own"}}


def _with_stand_ins(resource: dict[str, Any]) -> dict[str, Any]:
    nested = (resource.get("resourceType") == "Bundle" and resource.get("entry")) or resource.get("contained")
    if not nested:
        return resource
    shell: dict[str, Any] = json.loads(json.dumps(resource))
    for entry in shell.get("entry", []) if shell.get("resourceType") == "Bundle" else []:
        for key, _inner in _entry_resources(entry):
            if key == "resource":
                entry["resource"] = STAND_IN
            else:
                entry["response"]["outcome"] = STAND_IN
    if isinstance(shell.get("contained"), list):
        shell["contained"] = [STAND_IN for _resource in shell["contained"]]
    return shell


# -- check a: the R4B models ---------------------------------------------------------------------------


def model_problems(resource: dict[str, Any]) -> list[str]:
    """The R4B pydantic model of the resourceType (these validate resources within a Bundle too)."""
    resource_type = resource.get("resourceType")
    try:
        model = R4B.get_fhir_model_class(str(resource_type))
    except KeyError:
        return [f"model: unknown resourceType {resource_type!r}"]
    try:
        model.model_validate(resource)
    except pydantic.ValidationError as error:
        return [
            f"model: {resource_type}.{'.'.join(str(part) for part in detail['loc'])}: {detail['msg']}"
            for detail in error.errors()
        ]
    return []


# -- check b: HL7's JSON schema ------------------------------------------------------------------------


@functools.cache
def _schema_registry() -> Registry:
    """The vendored schema, loaded once. Its ResourceList (any resource, a oneOf over ~150 definitions)
    is narrowed to "an object naming a resource type": that is slow and gives unreadable errors, and
    problems() validates each nested resource against its own definition instead."""
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    _add_fhir_version_4_0_1(schema)
    resource_types = sorted(schema["discriminator"]["mapping"])
    schema["definitions"]["ResourceList"] = {
        "type": "object",
        "required": ["resourceType"],
        "properties": {"resourceType": {"enum": resource_types}},
    }
    registry: Registry = Registry().with_resource(
        SCHEMA_URI, Resource.from_contents(schema, default_specification=DRAFT6)
    )
    return registry


def _add_fhir_version_4_0_1(schema: Any) -> None:
    """The vendored schema is R4's first release (4.0.0): its FHIRVersion codes stop at 4.0.0. R4's technical
    correction 4.0.1, the version we claim, added "4.0.1" to them (HL7's 4.0.1 schema has it)."""
    if isinstance(schema, dict):
        if schema.get("enum", [None])[-1] == "4.0.0":
            schema["enum"] = [*schema["enum"], "4.0.1"]
        for value in schema.values():
            _add_fhir_version_4_0_1(value)
    elif isinstance(schema, list):
        for value in schema:
            _add_fhir_version_4_0_1(value)


_VALID_UNDER_REF: set[tuple[str, str]] = set()


def _ref_remembering_valid(validator: Any, ref: str, instance: Any, schema: Any) -> Iterator[Any]:
    """Draft 6's $ref, skipping a (definition, JSON) pair already found valid: the same codings, references
    and codes recur in every resource, and jsonschema is slow. Errors are never cached, always recomputed."""
    key = (ref, json.dumps(instance))
    if key in _VALID_UNDER_REF:
        return
    errors = list(Draft6Validator.VALIDATORS["$ref"](validator, ref, instance, schema))
    if not errors:
        if len(_VALID_UNDER_REF) > 500_000:
            _VALID_UNDER_REF.clear()
        _VALID_UNDER_REF.add(key)
    yield from errors


RememberingDraft6Validator = validators.extend(Draft6Validator, {"$ref": _ref_remembering_valid})


@functools.cache
def _schema_validator(resource_type: str) -> Any:
    registry = _schema_registry()
    if resource_type not in registry.contents(SCHEMA_URI)["discriminator"]["mapping"]:
        return None  # not a resource type (a datatype has a definition too)
    return RememberingDraft6Validator(
        {"$ref": f"{SCHEMA_URI}#/definitions/{resource_type}"}, registry=registry
    )


def schema_problems(resource: dict[str, Any]) -> list[str]:
    resource_type = str(resource.get("resourceType"))
    validator = _schema_validator(resource_type)
    if validator is None:
        return [f"schema: no definition for resourceType {resource_type!r}"]
    return [
        f"schema: {'.'.join([resource_type, *(str(part) for part in error.absolute_path)])}: {error.message}"
        for error in sorted(
            validator.iter_errors(resource), key=lambda error: list(map(str, error.absolute_path))
        )
    ]


# -- check c: the invariants ---------------------------------------------------------------------------


@functools.cache
def invariants() -> dict[str, Any]:
    """The vendored invariants: {"constraints": {key: {severity, human, expression}},
    "paths": {type: {element path: [keys]}}}."""
    data: dict[str, Any] = json.loads(INVARIANTS_FILE.read_text(encoding="utf-8"))
    return data


def expression(key: str) -> str:
    """The expression evaluated for invariant ``key``: the vendored one, or its rewrite (REWRITES)."""
    vendored: str = invariants()["constraints"][key]["expression"]
    if key not in REWRITES:
        return vendored
    original, rewritten, _why = REWRITES[key]
    if original not in vendored:
        raise ValueError(f"invariant {key} changed: {original!r} is no longer in {vendored!r}")
    return vendored.replace(original, rewritten)


@functools.cache
def compiled(key: str) -> dict[str, Any]:
    """The parsed expression of invariant ``key`` (fhirpathpy raises on a syntax it does not know)."""
    return dict(parse(expression(key)))


def has_value(inputs: list[Any]) -> bool:
    """FHIR's hasValue(): a single primitive that has a value (not only extensions)."""
    return len(inputs) == 1 and inputs[0] is not None and not isinstance(inputs[0], (dict, list))


# The elements the narrative may use (FHIR R4 narrative.html#xhtml), and what it must not hold.
NARRATIVE_ELEMENTS = frozenset(
    (  # noqa: SIM905 -- a list of 48 names reads better as words
        "a abbr acronym b big blockquote br caption cite code col colgroup dd dfn div dl dt em "
        "h1 h2 h3 h4 h5 h6 hr i img li ol p pre q samp small span strong sub sup "
        "table tbody td tfoot th thead tr tt ul var"
    ).split()
)
XHTML = "{http://www.w3.org/1999/xhtml}"


def html_checks(inputs: list[Any]) -> bool:
    """FHIR's htmlChecks() for Narrative.div (txt-1 and txt-2): well-formed XHTML rooted in an XHTML div, only
    the narrative's elements, no event-handler attributes or script URLs, and some non-whitespace content."""
    if len(inputs) != 1 or not isinstance(inputs[0], str):
        return False
    try:
        root = ElementTree.fromstring(inputs[0])  # noqa: S314 -- our own export's narrative, in a test
    except ElementTree.ParseError:
        return False
    if root.tag != f"{XHTML}div":
        return False
    for element in root.iter():
        if not element.tag.startswith(XHTML) or element.tag.removeprefix(XHTML) not in NARRATIVE_ELEMENTS:
            return False
        for name, value in element.attrib.items():
            if name.lower().startswith("on") or value.strip().lower().startswith("javascript:"):
                return False
    return bool("".join(root.itertext()).strip()) or root.find(f".//{XHTML}img") is not None


FHIR_FUNCTIONS = {"hasValue": {"fn": has_value}, "htmlChecks": {"fn": html_checks}}


def _quiet_trace(label: str, value: Any) -> None:
    """trace() in an invariant (dom-3, ref-1) is for debugging; fhirpathpy would print it."""


OPTIONS = {"userInvocationTable": FHIR_FUNCTIONS, "traceFn": _quiet_trace}


# In an expression, what may read more of the element than the members it names (or the resource around it).
WHOLE_NODE: tuple[str, ...] = ("descendants(", "children(", "repeat(", "$this", "resolve(", "%context")
WHOLE_NODE += ("%rootResource", "trace(")


@functools.cache
def _members(key: str) -> frozenset[str] | None:
    """The names an invariant's expression may read from its element, or None when it may read any."""
    text = expression(key)
    if any(marker in text for marker in WHOLE_NODE):
        return None
    return frozenset(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text.replace("`", "")))


@functools.cache
def _named(member: str, names: frozenset[str]) -> bool:
    """Whether a JSON member ("valueQuantity", "_status") is one of ``names`` (a choice by its base)."""
    member = member.removeprefix("_")
    return member in names or any(
        member.startswith(n) and member[len(n) : len(n) + 1].isupper() for n in names
    )


def _evaluate(key: str, node: ResourceNode, context: dict[str, Any], at_root: bool) -> str | None:
    """None when the invariant holds on the node, else why not (FHIR: only a single true passes).

    fhirpathpy is slow, and the same elements recur in every resource, so an invariant is evaluated once
    per distinct input: the element's type and JSON, cut down to the members the expression names when it
    can read no others (so obs-6 sees only value[x] and dataAbsentReason). One that reads the resource
    around a nested element (%resource below the root) is evaluated every time."""
    text = expression(key)
    names = _members(key)
    if names is not None and ("%resource" not in text or at_root):
        data = (
            {m: v for m, v in node.data.items() if m == "resourceType" or _named(m, names)}
            if isinstance(node.data, dict)
            else node.data
        )
        return _evaluate_alone(
            key, str(node.path), json.dumps([data, node._data]), "null", "%resource" in text
        )
    if "%resource" in text:
        return _evaluate_in(key, node, context)
    contained = None
    if "%rootResource" in text:
        if text.count("%rootResource") != text.count("%rootResource.contained"):
            return _evaluate_in(key, node, context)
        contained = context["rootResource"].get("contained")  # ref-1: all it reads of the root
    return _evaluate_alone(
        key, str(node.path), json.dumps([node.data, node._data]), json.dumps(contained), False
    )


@functools.lru_cache(maxsize=200_000)
def _evaluate_alone(
    key: str, base: str, text: str, contained_text: str, resource_is_node: bool
) -> str | None:
    """An invariant evaluated on an element alone (and, for ref-1, the contained resources of its root)."""
    data, extra = json.loads(text)
    contained = json.loads(contained_text)
    root = (
        data
        if resource_is_node
        else {"resourceType": "Basic", **({"contained": contained} if contained else {})}
    )
    return _evaluate_in(
        key, ResourceNode.create_node(data, base, extra), {"resource": root, "rootResource": root}
    )


def _evaluate_in(key: str, node: ResourceNode, context: dict[str, Any]) -> str | None:
    try:
        result = apply_parsed_path(node, compiled(key), context, R4, OPTIONS)
    except Exception as error:  # an invariant that cannot be evaluated is a problem, never a silent pass
        return f"could not be evaluated ({type(error).__name__}: {error})"
    return None if result == [True] else f"evaluated to {result!r}"


class _Walk:
    """Visits every element of one resource with its FHIR type, applying the invariants defined on it."""

    def __init__(self, resource: dict[str, Any], root: dict[str, Any]) -> None:
        self.context = {"resource": resource, "rootResource": root}
        self.found: list[str] = []

    def check(self, keys: list[str], node: ResourceNode, where: str) -> None:
        at_root = node.data is self.context["resource"]
        for key in dict.fromkeys(keys):
            failure = _evaluate(key, node, self.context, at_root)
            if failure is not None:
                human = invariants()["constraints"][key]["human"]
                self.found.append(f"invariant {key} at {where}: {human} -- {failure}")

    def element(self, value: Any, extra: Any, keys: list[str], base: str, where: str) -> None:
        """One element: ``base`` is its type ("Quantity", "code"), or its path for a backbone element."""
        if base == "Resource":
            return  # a nested resource: problems() checks it as a resource of its own
        is_datatype = "." not in base
        if isinstance(value, dict) and not base.startswith("System."):
            own = list(_keys_at(base)) if is_datatype else []
            self.check(keys + own, ResourceNode.create_node(value, base), where)
            self.children(value, base, where)
            return
        own = list(_keys_at(base)) if is_datatype else []
        # A primitive with no value but extensions is, to FHIRPath, an element whose children are those.
        node_data = extra if value is None and isinstance(extra, dict) else value
        self.check(keys + own, ResourceNode.create_node(node_data, base, extra), where)
        if isinstance(extra, dict):  # a primitive's extensions, from its "_name" sibling
            keys_of_extensions = list(_keys_at(f"{base}.extension"))
            for index, extension in enumerate(extra.get("extension", [])):
                self.element(extension, None, keys_of_extensions, "Extension", f"{where}.extension[{index}]")

    def children(self, node: dict[str, Any], base: str, where: str) -> None:
        for name in dict.fromkeys(name.removeprefix("_") for name in node if name != "resourceType"):
            resolved = _child(base, name)
            if resolved is None:
                continue  # not an element of this type: the model and schema checks report it
            definition_path, child_base = resolved
            keys = list(_keys_at(definition_path))
            if definition_path in CONTENT_REFERENCES:
                keys += _keys_at(CONTENT_REFERENCES[definition_path])
            value, extra = node.get(name), node.get(f"_{name}")
            if isinstance(value, list) or isinstance(extra, list):
                values = value if isinstance(value, list) else []
                extras = extra if isinstance(extra, list) else []
                for index in range(max(len(values), len(extras))):
                    item = values[index] if index < len(values) else None
                    item_extra = extras[index] if index < len(extras) else None
                    self.element(item, item_extra, keys, child_base, f"{where}.{name}[{index}]")
            else:
                self.element(value, extra, keys, child_base, f"{where}.{name}")


@functools.cache
def _keys_at(definition_path: str) -> tuple[str, ...]:
    """The evaluated invariants defined at an element path ("Observation.component", "Quantity")."""
    owner = definition_path.split(".", 1)[0]
    by_path: dict[str, list[str]] = invariants()["paths"].get(owner, {})
    return tuple(key for key in by_path.get(definition_path, []) if key not in SKIPPED)


@functools.cache
def _child(base: str, name: str) -> tuple[str, str] | None:
    """(the path its invariants are defined at, its type or backbone path) of element ``name`` of ``base``."""
    path = f"{base}.{name}"
    if path in CONTENT_REFERENCES:
        return path, CONTENT_REFERENCES[path]
    if path in BACKBONES:
        return path, path
    if path in PATH_TYPES:
        for choice, type_names in CHOICE_TYPES.items():
            owner, prefix = choice.rsplit(".", 1)
            if owner == base and name.startswith(prefix) and name[len(prefix) :] in type_names:
                return f"{choice}[x]", PATH_TYPES[path]
        return path, PATH_TYPES[path]
    return None


def invariant_problems(resource: dict[str, Any], root: dict[str, Any] | None = None) -> list[str]:
    """Every failed error invariant of ``resource`` (``root``: the resource containing it, if contained)."""
    resource_type = str(resource.get("resourceType"))
    if resource_type not in invariants()["paths"]:
        return [f"invariant: no invariants vendored for resourceType {resource_type!r}"]
    walk = _Walk(resource, resource if root is None else root)
    walk.element(resource, None, [], resource_type, resource_type)
    return walk.found


def evaluable_keys() -> list[str]:
    return [key for key in invariants()["constraints"] if key not in SKIPPED]
