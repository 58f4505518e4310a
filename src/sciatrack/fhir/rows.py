"""One mapper per stored row, for the bulk export and for :mod:`.record`: each reads only its row, the
prefetched relations its docstring names, and the content, and makes no query of its own.

Each takes the row and the patient's uuid as ``str`` and returns the resources made from that row, in a
stable order with stable ids (see :mod:`.ids`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Exists, Model, OuterRef, Prefetch, QuerySet

from . import plan, safety, sessions
from .patient import patient_resource as _patient_resource

if TYPE_CHECKING:
    from sciatrack.accounts.models import Patient
    from sciatrack.care.models import DiaryEntry, Intake, Program, SessionLog

__all__ = [
    "CHANGES",
    "NEWEST",
    "diary_resources",
    "intake_resources",
    "patient_resource",
    "program_resources",
    "session_resources",
    "with_changes",
    "with_newest",
    "with_reports",
]

# The annotation that tells a check or program it is the patient's newest (see :func:`with_newest`).
NEWEST = "fhir_is_newest"
# The attribute holding a program's changes (see :func:`with_changes`).
CHANGES = "fhir_changes"

RowT = TypeVar("RowT", bound=Model)


def with_newest(rows: QuerySet[RowT]) -> QuerySet[RowT]:
    """``rows`` (checks or programs) annotated with :data:`NEWEST`: no later row of the same patient is
    shown (quarantined rows do not count, as the pages do not count them)."""
    model = rows.model
    later = model._default_manager.filter(patient=OuterRef("patient"), created__gt=OuterRef("created"))
    annotated: QuerySet[RowT] = rows.annotate(**{NEWEST: ~Exists(later)})
    return annotated


def with_changes(programs: QuerySet[RowT]) -> QuerySet[RowT]:
    """``programs`` with each one's clinician changes, oldest first, in the list :data:`CHANGES`, each
    change with its ``changed_by.clinician``: one query per chunk of programs. Into a plain list, not the
    related manager's cache, which keeps a queryset per program (a tenth of a megabyte a program, and
    most of the time of reading them); the changes' ``before`` and ``after`` lists are not read."""
    relation = programs.model._meta.get_field("changes").related_model
    assert isinstance(relation, type) and issubclass(relation, Model)
    changes = (
        relation._default_manager.select_related("changed_by__clinician")
        .defer("before", "after")
        .order_by("created", "pk")
    )
    return programs.prefetch_related(Prefetch("changes", queryset=changes, to_attr=CHANGES))


def with_reports(checks: QuerySet[RowT]) -> QuerySet[RowT]:
    """``checks`` with each one's danger-sign reports (oldest first) and clearances in plain lists
    (:data:`sciatrack.fhir.safety.UPDATES`, :data:`~sciatrack.fhir.safety.CLEARANCES`): one query each
    per chunk of checks, and no queryset kept per row, as :func:`with_changes` does for programs."""
    updates = checks.model._meta.get_field("safety_updates").related_model
    clearances = checks.model._meta.get_field("clearances").related_model
    assert isinstance(updates, type) and issubclass(updates, Model)
    assert isinstance(clearances, type) and issubclass(clearances, Model)
    return checks.prefetch_related(
        Prefetch(
            "safety_updates",
            queryset=updates._default_manager.order_by("created", "pk"),
            to_attr=safety.UPDATES,
        ),
        Prefetch(
            "clearances",
            queryset=clearances._default_manager.select_related("by_clinician"),
            to_attr=safety.CLEARANCES,
        ),
    )


def _is_newest(row: Model) -> bool:
    # Without the annotation the row counts as the newest: an alert Flag is then shown as active, the
    # safe side for a reader who might otherwise miss a current warning.
    return bool(getattr(row, NEWEST, True))


def patient_resource(patient: Patient) -> dict[str, Any]:
    """The Patient; reads ``patient.clinic`` (``select_related("clinic")``)."""
    return _patient_resource(patient)


def intake_resources(intake: Intake, patient_uuid: str) -> list[dict[str, Any]]:
    """A completed check: leg and back pain Observations, the triage answers as a QuestionnaireResponse,
    the triage Flag, each baseline questionnaire (SBI, PEG, PSFS) as a QuestionnaireResponse with its
    score Observations, and a Provenance naming the Sciatrack Device for what the rules made.

    Then each danger-sign report made since (a safety update: its signs, its Flag, its Provenance) and
    the check's clearance (:func:`sciatrack.fhir.safety.intake_resources_with_safety`).

    Reads the row and its danger-sign reports and clearances (:func:`with_reports`, or else
    ``safety_updates`` and ``clearances__by_clinician`` prefetched). Only the newest advice is active:
    the newest check's newest safety update, or the check itself when it has none, when the row is
    annotated as the newest check (:func:`with_newest`, or no annotation) and its tier is an alert.
    """
    return safety.intake_resources_with_safety(intake, patient_uuid, newest=_is_newest(intake))


def program_resources(program: Program, patient_uuid: str) -> list[dict[str, Any]]:
    """A program: CarePlan, its Goal, a ServiceRequest per exercise, a Provenance for the rules that made
    it, and per clinician change a Practitioner and a Provenance.

    Reads ``program.patient.clinic`` (for whether names may be exported) and the changes with each
    change's ``changed_by.clinician`` (:func:`with_changes`, or else ``program.changes`` prefetched with
    them); the CarePlan is active when the row is
    annotated as the newest program (:func:`with_newest`, or no annotation).
    """
    changes = getattr(program, CHANGES, None)
    if changes is None:
        changes = list(program.changes.all())
    return plan.program_resources(program, patient_uuid, changes, newest=_is_newest(program))


def session_resources(log: SessionLog, patient_uuid: str) -> list[dict[str, Any]]:
    """A guided session: its exercise duration Observation (a component per exercise) and the leg pain
    before and after as pain Observations. Reads ``log.program`` (``select_related("program")``) for the
    CarePlan the session follows."""
    return sessions.session_resources(log, patient_uuid)


def diary_resources(entry: DiaryEntry, patient_uuid: str) -> list[dict[str, Any]]:
    """A diary day: leg and back pain Observations. Reads only the row."""
    return sessions.diary_resources(entry, patient_uuid)
