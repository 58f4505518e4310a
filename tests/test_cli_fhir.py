"""``sciatrack fhir export``: a person's Bundle file and a clinic's NDJSON folder, run through ``main``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sciatrack.accounts.models import Patient
from sciatrack.cli.common import EXIT_INVALID, EXIT_OK
from sciatrack.cli.parser import main
from sciatrack.db.care_records import generate_clinic

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient() -> Patient:
    generate_clinic("cli", 4, seed=21)
    found = Patient.objects.filter(clinic__slug="cli").order_by("pk").first()
    assert found is not None
    return found


def test_a_patient_s_bundle(patient: Patient, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "record.json"
    assert main(["fhir", "export", "--patient", str(patient.uuid), "--out", str(out)]) == EXIT_OK
    bundle = json.loads(out.read_text(encoding="utf-8"))
    assert bundle["type"] == "collection"
    assert bundle["entry"][0]["resource"]["id"] == str(patient.uuid)
    printed = capsys.readouterr().out
    assert f"to {out}" in printed
    assert f"Patient{'':<17}{1:>10,}" in printed


def test_a_clinic_s_folder(patient: Patient, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "new-folder"
    assert main(["fhir", "export", "--clinic", "cli", "--out", str(out)]) == EXIT_OK
    lines = (out / "Patient.ndjson").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4
    printed = capsys.readouterr().out
    for path in out.glob("*.ndjson"):
        count = len(path.read_text(encoding="utf-8").splitlines())
        assert f"{path.stem:<24}{count:>10,}" in printed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--patient", "0b5e6f55-0000-4000-8000-000000000000", "--out", "{tmp}/x.json"],
            "--patient: no patient",
        ),
        (["--patient", "{uuid}", "--out", "{tmp}/x.txt"], "must end in .json"),
        (["--patient", "{uuid}", "--out", "{tmp}/no/such/x.json"], "does not exist"),
        (["--clinic", "no-such-clinic", "--out", "{tmp}/out"], "--clinic: no clinic 'no-such-clinic'"),
        (["--clinic", "cli", "--out", "{tmp}/a-file.txt"], "is a file"),
        (["--clinic", "cli", "--out", "{tmp}/no/such/out"], "does not exist"),
    ],
)
def test_bad_requests_write_nothing(
    patient: Patient, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    (tmp_path / "a-file.txt").write_text("mine", encoding="utf-8")
    before = sorted(tmp_path.rglob("*"))
    filled = [arg.format(tmp=tmp_path, uuid=patient.uuid) for arg in args]
    assert main(["fhir", "export", *filled]) == EXIT_INVALID
    error = capsys.readouterr().err
    assert message in error and "nothing was written" in error
    assert sorted(tmp_path.rglob("*")) == before


def test_an_unwritable_folder_is_refused(
    patient: Patient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code = main(["fhir", "export", "--clinic", "cli", "--out", str(locked / "out")])
        probe = locked / "probe"
        try:
            probe.touch()
            writable = True  # running as root: permissions do not stop us
        except PermissionError:
            writable = False
    finally:
        locked.chmod(0o700)
    if writable:
        assert code == EXIT_OK
    else:
        assert code == EXIT_INVALID
        assert "permission denied" in capsys.readouterr().err


def test_patient_and_clinic_are_one_or_the_other(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["fhir", "export", "--patient", "x", "--clinic", "y", "--out", "z"])
    assert exited.value.code == EXIT_INVALID
    assert "not allowed with argument" in capsys.readouterr().err
