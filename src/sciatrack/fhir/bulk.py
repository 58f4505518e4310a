"""Exports to files: a clinic's records as FHIR Bulk Data NDJSON, and one person's record as a Bundle.

:func:`export_clinic` writes one ``<resourceType>.ndjson`` per type (one resource per line, compact
JSON, UTF-8), as a FHIR Bulk Data export's output files, and a ``manifest.json`` in the shape of the
Bulk Data completion manifest listing them with their counts. It streams: each table of the clinic's
patients is read with ``iterator(chunk_size=...)`` (prefetches run per chunk), each row goes through
its mapper of :mod:`.rows` and its lines are written at once, so memory does not grow with the clinic.
The shared definitions (:func:`.record.definitions`) are written once, in their types' files.

Every file is written under a temporary name and renamed into place when the whole export has
succeeded, so a reader never sees half a file; a failed export leaves the folder as it was.

:func:`export_patient` writes :func:`.record.collection_bundle` the same way, whole.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from django.conf import settings
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from pydantic_core import to_json

from .ids import instant
from .record import SERVED_TYPES, collection_bundle, definitions
from .rows import (
    diary_resources,
    intake_resources,
    patient_resource,
    program_resources,
    session_resources,
    with_changes,
    with_newest,
    with_reports,
)

if TYPE_CHECKING:
    from sciatrack.accounts.models import Clinic, Patient

# Rows read per round trip (and per prefetch): large enough to keep the database busy, small enough that
# a chunk stays a few megabytes.
CHUNK = 2_000
# Programs are read fewer at a time: each carries its exercise list (some 20 kB once read from JSON, so
# 2,000 of them were 40 MB of the export's peak).
PROGRAM_CHUNK = 250
MANIFEST = "manifest.json"
# The annotation carrying each row's patient uuid, so that no row loads its patient.
PATIENT_UUID = "fhir_patient_uuid"
# Written by more than one row (the same clinician changed many programs): each kept once per file.
SHARED_TYPES = frozenset({"Practitioner"})
# Lines of one type kept before they are written: one write per few hundred kilobytes, not per line.
LINES_PER_WRITE = 500


def site_fhir_base() -> str:
    """The read API's base at the site's address (``SCIATRACK_SITE_URL``), e.g.
    ``https://example.org/fhir/R4``: what a file written away from any request puts before its fullUrls,
    as :func:`.api.fhir_base` does for a request."""
    site: str = settings.SCIATRACK_SITE_URL
    return site.rstrip("/") + reverse("fhir-metadata").removesuffix("/metadata")


def compact(resource: dict[str, Any]) -> bytes:
    """A resource as one line's compact UTF-8 JSON (no newline): the same text as ``json.dumps(resource,
    ensure_ascii=False, separators=(",", ":"))`` for the plain strings, numbers, lists and dicts a mapper
    makes, by pydantic's compiled encoder at a third of the cost (the export's largest single cost)."""
    return to_json(resource)


def _temporary(folder: Path, name: str) -> tuple[IO[bytes], Path]:
    handle, path = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".part")
    return os.fdopen(handle, "wb", buffering=1 << 20), Path(path)


def _publish(temporary: Path, target: Path) -> None:
    """Give the finished temporary file an ordinary file's mode and rename it into place."""
    umask = os.umask(0)
    os.umask(umask)
    temporary.chmod(0o666 & ~umask)  # mkstemp makes it private
    temporary.replace(target)


def _write_whole(target: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``target`` through a temporary file beside it; ``target`` is left as it
    was when this fails."""
    stream, temporary = _temporary(target.parent, target.name)
    try:
        with stream:
            stream.write(text.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        _publish(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


class NdjsonFiles:
    """One temporary file per resource type in ``folder``, renamed into place by :meth:`publish`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: dict[str, tuple[IO[bytes], Path]] = {}
        self.counts: dict[str, int] = {}
        self.shared: set[tuple[str, str]] = set()
        self.pending: dict[str, list[bytes]] = {}

    def write(self, resources: Iterable[dict[str, Any]]) -> None:
        """Write each resource as a line of its type's file; lines wait in :attr:`pending` and go to
        the file :data:`LINES_PER_WRITE` at a time (the rest by :meth:`publish`)."""
        pending, counts, shared = self.pending, self.counts, self.shared
        for resource in resources:
            kind = resource["resourceType"]
            if kind in SHARED_TYPES:
                seen = (kind, resource["id"])
                if seen in shared:
                    continue
                shared.add(seen)
            lines = pending.get(kind)
            if lines is None:
                lines = pending[kind] = []
                counts.setdefault(kind, 0)
            lines.append(compact(resource))
            if len(lines) >= LINES_PER_WRITE:
                self._flush(kind)

    def _flush(self, kind: str) -> None:
        lines = self.pending[kind]
        if not lines:
            return
        opened = self.files.get(kind)
        if opened is None:
            opened = self.files[kind] = _temporary(self.folder, f"{kind}.ndjson")
        lines.append(b"")  # the last line's newline
        opened[0].write(b"\n".join(lines))
        self.counts[kind] += len(lines) - 1
        lines.clear()

    def publish(self) -> dict[str, int]:
        """Close every file, rename each into place (``<type>.ndjson``) and remove a file of an earlier
        export for a type this one has none of; the counts per type."""
        for kind in self.pending:
            self._flush(kind)
        for stream, _ in self.files.values():
            stream.flush()
            os.fsync(stream.fileno())
            stream.close()
        for kind, (_, temporary) in self.files.items():
            _publish(temporary, self.folder / f"{kind}.ndjson")
        for kind in set(SERVED_TYPES) - set(self.files):
            (self.folder / f"{kind}.ndjson").unlink(missing_ok=True)
        return dict(sorted(self.counts.items()))

    def discard(self) -> None:
        for stream, temporary in self.files.values():
            stream.close()
            temporary.unlink(missing_ok=True)


class Table(NamedTuple):
    """One table of a clinic's records as the export reads it."""

    name: str
    rows: QuerySet[Any]  # annotated with the patient's uuid, with the relations ``mapper`` reads
    mapper: Callable[[Any, str], list[dict[str, Any]]]
    chunk: int  # rows per round trip (and per prefetch)


def _streamed(table: Table) -> Iterator[dict[str, Any]]:
    mapper = table.mapper
    for row in table.rows.iterator(chunk_size=table.chunk):
        yield from mapper(row, str(getattr(row, PATIENT_UUID)))


def clinic_tables(clinic: Clinic) -> Iterator[Table]:
    """Each table of the clinic's records with the relations its row mapper reads (see :mod:`.rows`),
    in the order the export reads them: ``(name, rows annotated with the patient's uuid, mapper)``."""
    from sciatrack.care.models import DiaryEntry, Intake, Program, SessionLog

    of_clinic = {"patient__clinic": clinic}
    uuid = {PATIENT_UUID: F("patient__uuid")}
    yield Table(
        "checks",
        with_reports(with_newest(Intake.objects.filter(**of_clinic))).annotate(**uuid).order_by("pk"),
        intake_resources,
        CHUNK,
    )
    programs = (
        with_changes(with_newest(Program.objects.filter(**of_clinic)))
        .annotate(**uuid)
        .select_related("patient__clinic")
        .order_by("pk")
    )
    yield Table("programs", programs, program_resources, PROGRAM_CHUNK)
    # The session's program is read for its id only: its exercises (kilobytes per row) stay unread.
    logs = (
        SessionLog.objects.filter(**of_clinic)
        .annotate(**uuid)
        .select_related("program")
        .defer("program__exercises", "program__left_out")
        .order_by("pk")
    )
    yield Table("sessions", logs, session_resources, CHUNK)
    yield Table(
        "diary days",
        DiaryEntry.objects.filter(**of_clinic).annotate(**uuid).order_by("pk"),
        diary_resources,
        CHUNK,
    )


def export_clinic(clinic: Clinic, out_dir: Path) -> dict[str, int]:
    """Write the clinic's records as Bulk Data NDJSON files and ``manifest.json`` into ``out_dir`` (made
    when missing); the number of resources written per type. Raises ``OSError`` when the folder cannot
    be written (nothing of this export is left in it then)."""
    from sciatrack.accounts.models import Patient

    out_dir.mkdir(parents=True, exist_ok=True)
    started = timezone.now()
    files = NdjsonFiles(out_dir)
    try:
        files.write(definitions())
        patients = Patient.objects.filter(clinic=clinic).select_related("clinic").order_by("pk")
        files.write(patient_resource(patient) for patient in patients.iterator(chunk_size=CHUNK))
        for table in clinic_tables(clinic):
            files.write(_streamed(table))
    except BaseException:
        files.discard()
        raise
    counts = files.publish()
    # Last, so that a manifest names only files that are complete.
    _write_whole(
        out_dir / MANIFEST, json.dumps(_manifest(clinic, out_dir, counts, instant(started)), indent=2)
    )
    return counts


def _manifest(clinic: Clinic, out_dir: Path, counts: dict[str, int], transaction_time: str) -> dict[str, Any]:
    """The Bulk Data completion manifest of the export (file URLs: the files sit on this machine)."""
    return {
        "transactionTime": transaction_time,
        "request": f"{site_fhir_base()}/Group/{clinic.uuid}/$export",
        "requiresAccessToken": False,
        "output": [
            {"type": kind, "url": (out_dir / f"{kind}.ndjson").resolve().as_uri(), "count": count}
            for kind, count in sorted(counts.items())
        ],
        "error": [],
    }


def export_patient(patient: Patient, out: Path, base: str | None = None) -> dict[str, int]:
    """Write the person's collection Bundle (:func:`.record.collection_bundle`, ``fullUrl`` under
    ``base``, default :func:`site_fhir_base`) to ``out`` whole; the number of entries per resource type.
    Raises ``OSError`` when it cannot be written (``out`` is then left as it was)."""
    bundle = collection_bundle(patient, base or site_fhir_base())
    _write_whole(out, json.dumps(bundle, ensure_ascii=False, indent=1))
    counts: dict[str, int] = {}
    for entry in bundle["entry"]:
        kind = entry["resource"]["resourceType"]
        counts[kind] = counts.get(kind, 0) + 1
    return dict(sorted(counts.items()))
