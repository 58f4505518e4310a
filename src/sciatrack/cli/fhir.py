"""``sciatrack fhir export``: a person's record as a FHIR R4 Bundle, or a clinic's as Bulk Data NDJSON.

``--patient ID --out FILE.json`` writes the person's collection Bundle (``ID``: their UUID, or their id
or username as ``sciatrack report`` takes them); ``--clinic SLUG --out FOLDER`` writes one
``<resourceType>.ndjson`` per type and ``manifest.json`` into the folder (made when missing). Either
prints the resources written per type. An unknown patient or clinic, or an ``--out`` that cannot be
written, is an error naming the option (exit 2) and nothing is written; a write that fails midway exits 1
and leaves what was there before.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sciatrack.cli.common import EXIT_FAILED, EXIT_INVALID, EXIT_OK, add_command, out_problem, setup_django

if TYPE_CHECKING:
    from sciatrack.cli.common import Commands

COMMAND = "fhir export"


def folder_problem(path: str) -> str | None:
    """Why the folder ``path`` cannot take a bulk export, or None (checked before any work)."""
    target = Path(path)
    if target.exists() and not target.is_dir():
        return f"--out: {path!r} is a file; give a folder for a clinic's export"
    folder = target if target.exists() else target.parent
    if not folder.is_dir():
        return f"--out: the folder {str(folder)!r} does not exist"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"--out: cannot write to {str(folder)!r} (permission denied)"
    return None


def failed(message: str, code: int = EXIT_INVALID) -> int:
    print(f"sciatrack {COMMAND}: {message}; nothing was written", file=sys.stderr)
    return code


def print_counts(counts: dict[str, int], where: str) -> None:
    print(f"Wrote {sum(counts.values()):,} resources to {where}")
    for kind, count in counts.items():
        print(f"  {kind:<24}{count:>10,}")


def export_patient(args: argparse.Namespace) -> int:
    problem = out_problem(args.out, (".json",))
    if problem is not None:
        return failed(problem)
    setup_django()
    from sciatrack.cli.report import find_patient
    from sciatrack.fhir.bulk import export_patient as write_bundle

    patient = find_patient(args.patient)
    if patient is None:
        return failed(f"--patient: no patient {args.patient!r}; give a patient UUID, id or username")
    try:
        counts = write_bundle(patient, Path(args.out))
    except OSError as error:
        return failed(f"--out: cannot write {args.out!r}: {error.strerror}", EXIT_FAILED)
    print_counts(counts, args.out)
    return EXIT_OK


def export_clinic(args: argparse.Namespace) -> int:
    problem = folder_problem(args.out)
    if problem is not None:
        return failed(problem)
    setup_django()
    from sciatrack.accounts.models import Clinic
    from sciatrack.fhir.bulk import export_clinic as write_files

    clinic = Clinic.objects.filter(slug=args.clinic).first()
    if clinic is None:
        return failed(f"--clinic: no clinic {args.clinic!r}; give a clinic's slug")
    try:
        counts = write_files(clinic, Path(args.out))
    except OSError as error:
        return failed(f"--out: cannot write into {args.out!r}: {error.strerror}", EXIT_FAILED)
    print_counts(counts, args.out)
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    """Write a person's record as a FHIR R4 Bundle, or a clinic's as FHIR Bulk Data NDJSON files."""
    return export_patient(args) if args.patient is not None else export_clinic(args)


def add_to(commands: Commands) -> None:
    fhir = commands.add_parser("fhir", help="FHIR R4 exports of the records")
    actions = fhir.add_subparsers(dest="fhir_command", required=True, metavar="ACTION")
    export = add_command(actions, "export", run_export)
    whose = export.add_mutually_exclusive_group(required=True)
    whose.add_argument("--patient", metavar="ID", help="one person: their UUID (or id or username)")
    whose.add_argument("--clinic", metavar="SLUG", help="every patient of the clinic with this slug")
    export.add_argument(
        "--out",
        required=True,
        metavar="PATH",
        help="a .json file for --patient; a folder for --clinic (made when missing)",
    )
