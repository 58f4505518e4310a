"""The joined statements of the pages and API calls people use most, written by hand.

Each runs on nearly every request of its kind, where the ORM spends far longer building the query than
the database spends answering it. The apps' managers call these (``Intake.objects.newest_with_program``,
``Patient.objects.with_program``, ``RegistryCase.objects.worth_syncing``) and pass in their models, so
this module imports no app and no app imports it but through a manager.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection, models

from .plain_sql import columns, instance, partial_instance

# The check's fields read with its program, and those read too when it has a clearance to check.
CHECK_FIELDS = ("id", "patient_id", "current_tier", "where", "created")
CLEARED_FIELDS = ("result", "current_result")


@dataclass(frozen=True)
class CheckModels:
    """The care models the newest-check statement reads, passed in by the manager that asks."""

    intake: type[models.Model]
    program: type[models.Model]
    clearance: type[models.Model]
    safety_update: type[models.Model]
    session_log: type[models.Model]


def _check_columns(records: CheckModels) -> str:
    """The columns of the newest check (alias ``i``), its clearance (``c``) and program (``p``), and the
    two EXISTS flags, in the order :func:`_read_check` takes them; two parameters (True, "")."""
    quote = connection.ops.quote_name
    updates = quote(records.safety_update._meta.db_table)
    logs = quote(records.session_log._meta.db_table)
    results = ", ".join(
        f"CASE WHEN c.id IS NULL THEN NULL ELSE i.{quote(name)} END" for name in CLEARED_FIELDS
    )
    check = ", ".join(f"i.{quote(name)}" for name in CHECK_FIELDS)
    return (
        f"{check}, {results}, "
        f"EXISTS (SELECT 1 FROM {updates} u WHERE u.intake_id = i.id), "
        f"EXISTS (SELECT 1 FROM {logs} s WHERE s.patient_id = i.patient_id AND s.needs_review = %s "
        f"AND s.{quote('quarantine_reason')} = %s), "
        f"{columns(records.clearance, 'c')}, {columns(records.program, 'p')}"
    )


def _check_joins(records: CheckModels) -> str:
    quote = connection.ops.quote_name
    clearances, programs = quote(records.clearance._meta.db_table), quote(records.program._meta.db_table)
    # A check has at most one program (the one_program_per_check constraint).
    return f"LEFT JOIN {clearances} c ON c.intake_id = i.id LEFT JOIN {programs} p ON p.intake_id = i.id"


def _read_check(values: list[Any], records: CheckModels) -> tuple[Any, Any]:
    """The check and its program from the values of :func:`_check_columns` (None, None when no check)."""
    loaded, values = values[: len(CHECK_FIELDS)], values[len(CHECK_FIELDS) :]
    if loaded[0] is None:
        return None, None
    cleared, values = values[: len(CLEARED_FIELDS)], values[len(CLEARED_FIELDS) :]
    reported, flagged, values = values[0], values[1], values[2:]
    width = len(records.clearance._meta.concrete_fields)
    clearance = instance(records.clearance, values[:width]) if values[0] is not None else None
    record = instance(records.program, values[width:]) if values[width] is not None else None
    fields = CHECK_FIELDS + (CLEARED_FIELDS if clearance is not None else ())
    intake = partial_instance(records.intake, fields, loaded + (cleared if clearance is not None else []))
    if not reported:
        intake.__dict__["safety_update"] = None  # known already: Intake.safety_update need not ask
    intake.__dict__["clearance"] = clearance  # known already: Intake.clearance need not ask
    intake.__dict__["patient_has_flagged_sessions"] = bool(flagged)  # known already: need not ask
    return intake, record


def newest_check_and_program(patient_id: int, records: CheckModels) -> tuple[Any, Any]:
    """The patient's newest shown check and the program made from it (None where there is none).

    One statement: the check comes back with only :data:`CHECK_FIELDS` loaded, and its other fields (the
    answers, the result) load when first used, as with ``.only()``; whether danger signs were reported
    since it comes too, so the usual case (none) costs no second query, and so does its clearance, with
    the results it must cover when there is one, and whether any of the patient's shown session logs is
    flagged for review (the usual case, none, then needs no look for stops that keep exercises out).
    """
    quote = connection.ops.quote_name
    intakes = quote(records.intake._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_check_columns(records)} FROM {intakes} i {_check_joins(records)} "
            # A quarantined check (see sciatrack.care.quarantine) is never the one the program follows.
            f"WHERE i.patient_id = %s AND i.{quote('quarantine_reason')} = %s "
            f"ORDER BY i.created DESC LIMIT 1",
            [True, "", patient_id, ""],
        )
        row = cursor.fetchone()
    return (None, None) if row is None else _read_check(list(row), records)


def patient_with_newest_check(
    user_id: Any, patient_model: type[models.Model], records: CheckModels
) -> tuple[Any, Any, Any]:
    """The patient record of the user ``user_id`` with their newest shown check and its program, as
    :func:`newest_check_and_program` reads them, in one statement; (None, None, None) when the user
    has no patient record, and (patient, None, None) when the patient has no check yet."""
    quote = connection.ops.quote_name
    patients, intakes = quote(patient_model._meta.db_table), quote(records.intake._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns(patient_model, 'pa')}, {_check_columns(records)} FROM {patients} pa "
            f"LEFT JOIN {intakes} i ON i.id = (SELECT n.id FROM {intakes} n WHERE n.patient_id = pa.id "
            f"AND n.{quote('quarantine_reason')} = %s ORDER BY n.created DESC LIMIT 1) "
            f"{_check_joins(records)} WHERE pa.user_id = %s",
            [True, "", "", user_id],
        )
        row = cursor.fetchone()
    if row is None:
        return None, None, None
    width = len(patient_model._meta.concrete_fields)
    patient = instance(patient_model, row[:width])
    intake, record = _read_check(list(row[width:]), records)
    return patient, intake, record


def patient_and_program(
    user_id: Any,
    program_uuid: str | None,
    patient_model: type[models.Model],
    program_model: type[models.Model],
) -> tuple[Any, Any]:
    """The patient record of the user ``user_id`` and their program ``program_uuid`` (None when not
    theirs), in one statement; None, None when the user has no patient record.

    The records come back with only their id loaded (as ``.only("id")`` would give), which is all a new
    session log refers to; any other field loads on use.
    """
    patients = connection.ops.quote_name(patient_model._meta.db_table)
    programs = connection.ops.quote_name(program_model._meta.db_table)
    uuid_value = program_model._meta.get_field("uuid").get_db_prep_value(program_uuid, connection)  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT pa.id, pr.id FROM {patients} pa LEFT JOIN {programs} pr "
            f"ON pr.patient_id = pa.id AND pr.uuid = %s WHERE pa.user_id = %s",
            [uuid_value, user_id],
        )
        row = cursor.fetchone()
    if row is None:
        return None, None
    # A key needs no converting: built directly, this costs nothing measurable on every stored session.
    patient = patient_model.from_db(connection.alias, ["id"], [row[0]])
    program = program_model.from_db(connection.alias, ["id"], [row[1]]) if row[1] is not None else None
    return patient, program


def patient_has_clinic_or_case(
    patient_id: int, patient_model: type[models.Model], case_model: type[models.Model]
) -> bool:
    """Whether the patient exists and has a clinic or a registry case (``case_model`` rows whose
    ``source_patient`` is the patient's uuid), in one statement."""
    patients = connection.ops.quote_name(patient_model._meta.db_table)
    cases = connection.ops.quote_name(case_model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {patients} p WHERE p.id = %s AND (p.clinic_id IS NOT NULL "
            f"OR EXISTS (SELECT 1 FROM {cases} c WHERE c.source_patient = p.uuid))",
            [patient_id],
        )
        return cursor.fetchone() is not None
