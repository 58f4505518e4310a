"""The bulk export of a clinic (NDJSON per type) and the Bundle file of one person."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from validation import problems

from sciatrack.accounts.models import Clinic, Patient
from sciatrack.care.models import DiaryEntry, Intake, Program, SessionLog
from sciatrack.db.care_records import generate_clinic
from sciatrack.fhir.bulk import MANIFEST, export_clinic, export_patient
from sciatrack.fhir.record import SERVED_TYPES, definitions
from sciatrack.fhir.rows import diary_resources, session_resources

pytestmark = pytest.mark.django_db

PATIENTS = 30


def lines_of(folder: Path) -> dict[str, list[dict[str, Any]]]:
    found = {}
    for path in sorted(folder.glob("*.ndjson")):
        text = path.read_bytes().decode("utf-8")
        assert text.endswith("\n")
        found[path.stem] = [json.loads(line) for line in text.splitlines()]
    return found


@pytest.fixture
def exported(tmp_path: Path) -> tuple[Clinic, Path, dict[str, int]]:
    generate_clinic("exported", PATIENTS, seed=11)
    generate_clinic("elsewhere", 5, seed=12)
    clinic = Clinic.objects.get(slug="exported")
    out = tmp_path / "bulk"
    return clinic, out, export_clinic(clinic, out)


def test_each_type_gets_its_file_of_compact_lines(exported: tuple[Clinic, Path, dict[str, int]]) -> None:
    _, out, counts = exported
    files = lines_of(out)
    assert set(files) == set(counts) <= set(SERVED_TYPES)
    for kind, resources in files.items():
        assert len(resources) == counts[kind]
        assert {resource["resourceType"] for resource in resources} == {kind}
        ids = [resource["id"] for resource in resources]
        assert len(ids) == len(set(ids)), f"{kind} repeats an id"
    first = (out / "Patient.ndjson").read_text(encoding="utf-8").splitlines()[0]
    assert ", " not in first and ": " not in first  # compact separators
    assert not list(out.glob(".*.part"))


def test_every_row_is_there_once_and_no_other_clinic(exported: tuple[Clinic, Path, dict[str, int]]) -> None:
    clinic, out, _ = exported
    files = lines_of(out)
    ours = {str(uuid) for uuid in Patient.objects.filter(clinic=clinic).values_list("uuid", flat=True)}
    assert sorted(p["id"] for p in files["Patient"]) == sorted(ours)
    subjects = {
        resource["subject"]["reference"].removeprefix("Patient/")
        for resources in files.values()
        for resource in resources
        if "subject" in resource
    }
    assert subjects <= ours
    assert subjects  # the other clinic's patients would show up here
    # Every row's resources, exactly as its mapper makes them, and each once.
    written = Counter((r["resourceType"], r["id"]) for resources in files.values() for r in resources)
    expected: list[tuple[str, str]] = []
    for rows, mapper in (
        (DiaryEntry.objects.filter(patient__clinic=clinic).select_related("patient"), diary_resources),
        (
            SessionLog.objects.filter(patient__clinic=clinic).select_related("patient", "program"),
            session_resources,
        ),
    ):
        for row in rows:
            expected += [(r["resourceType"], r["id"]) for r in mapper(row, str(row.patient.uuid))]
    assert all(written[item] == 1 for item in expected)
    diary_days = DiaryEntry.objects.filter(patient__clinic=clinic).count()
    sessions = SessionLog.objects.filter(patient__clinic=clinic).count()
    assert len(files["Observation"]) >= 2 * diary_days + sessions  # two pain ratings a day, and each session
    assert len(files["CarePlan"]) == Program.objects.filter(patient__clinic=clinic).count()
    assert Intake.objects.filter(patient__clinic=clinic).count() > PATIENTS


def test_definitions_are_written_once(exported: tuple[Clinic, Path, dict[str, int]]) -> None:
    _, out, _ = exported
    files = lines_of(out)
    for definition in definitions():
        same = [r for r in files[definition["resourceType"]] if r["id"] == definition["id"]]
        assert same == [definition]


def test_the_manifest_lists_the_files(exported: tuple[Clinic, Path, dict[str, int]]) -> None:
    _, out, counts = exported
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert {item["type"]: item["count"] for item in manifest["output"]} == counts
    for item in manifest["output"]:
        assert item["url"] == (out / f"{item['type']}.ndjson").resolve().as_uri()


def test_the_lines_are_valid_fhir(exported: tuple[Clinic, Path, dict[str, int]]) -> None:
    _, out, _ = exported
    for kind, resources in lines_of(out).items():
        for resource in resources[:40]:
            assert not problems(resource), (kind, resource["id"], problems(resource))


def test_a_second_export_replaces_the_first(exported: tuple[Clinic, Path, dict[str, int]]) -> None:
    clinic, out, counts = exported
    (out / "Flag.ndjson").write_text("left from before\n", encoding="utf-8")
    Intake.objects.filter(patient__clinic=clinic).delete()
    again = export_clinic(clinic, out)
    assert "Flag" not in again and not (out / "Flag.ndjson").exists()
    assert again["Patient"] == counts["Patient"]


def test_the_person_s_bundle_file(tmp_path: Path) -> None:
    generate_clinic("one", 3, seed=13)
    patient = Patient.objects.filter(clinic__slug="one").order_by("pk").first()
    assert patient is not None
    out = tmp_path / "bundle.json"
    counts = export_patient(patient, out, base="https://example.org/fhir")
    bundle = json.loads(out.read_text(encoding="utf-8"))
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    assert Counter(e["resource"]["resourceType"] for e in bundle["entry"]) == counts
    assert counts["Patient"] == 1
    for entry in bundle["entry"]:
        resource = entry["resource"]
        assert entry["fullUrl"] == f"https://example.org/fhir/{resource['resourceType']}/{resource['id']}"
    assert not problems(bundle)
    assert not list(tmp_path.glob(".*.part"))
