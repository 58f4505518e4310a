"""``sciatrack report``: a patient's progress report as PDF (or their data as CSV) from the database.

``--patient`` is the patient's id as the admin shows it, their UUID, or their account's username. A
patient that cannot be found, or a bad ``--out``, is an error naming the option (exit 2), and nothing is
written.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from typing import TYPE_CHECKING

from sciatrack.cli.common import EXIT_INVALID, EXIT_OK, add_command, out_problem, setup_django, write_whole

if TYPE_CHECKING:
    from sciatrack.accounts.models import Patient
    from sciatrack.cli.common import Commands


def find_patient(key: str) -> Patient | None:
    """The patient with this id, UUID or username, or None (Django must be set up)."""
    from sciatrack.accounts.models import Patient

    patients = Patient.objects.select_related("user")
    if key.isdigit():
        return patients.filter(pk=int(key)).first()
    try:
        return patients.filter(uuid=uuid.UUID(key)).first()
    except ValueError:
        return patients.filter(user__username=key).first()


def run(args: argparse.Namespace) -> int:
    """Write a patient's progress report for their clinician (PDF), or their data (CSV)."""
    problem = out_problem(args.out, (".pdf", ".csv"))
    if problem is not None:
        print(f"sciatrack report: {problem}; nothing was written", file=sys.stderr)
        return EXIT_INVALID
    setup_django()
    from sciatrack.progress.report import data_csv_text, report_pdf_bytes

    patient = find_patient(args.patient)
    if patient is None:
        print(
            f"sciatrack report: --patient: no patient {args.patient!r}; give a patient id, UUID or username",
            file=sys.stderr,
        )
        return EXIT_INVALID
    csv = args.out.lower().endswith(".csv")
    data = data_csv_text(patient).encode("utf-8") if csv else report_pdf_bytes(patient)
    problem = write_whole(args.out, data)
    if problem is not None:
        print(f"sciatrack report: {problem}", file=sys.stderr)
        return EXIT_INVALID
    print(f"Wrote the {'data' if csv else 'progress report'} of {patient.display_name} to {args.out}")
    return EXIT_OK


def add_to(commands: Commands) -> None:
    report = add_command(commands, "report", run)
    report.add_argument("--patient", required=True, metavar="ID", help="patient id, UUID or username")
    report.add_argument(
        "--out", required=True, metavar="FILE", help="where to write: a .pdf report or .csv data"
    )
