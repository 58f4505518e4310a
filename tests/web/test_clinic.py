"""Clinic pages: each clinic sees its own patients only, the urgent ones first, and every look is audited.

Personas in the style of healthchecks' ``hc/test.py``: alice and amir are patients of Riverside, bea is a
patient of Hillside; cleo is Riverside's clinician, hugo Hillside's, ada Riverside's clinic admin.
"""

from __future__ import annotations

import io
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from sciatrack.accounts.models import Clinic, Clinician, Patient
from sciatrack.care.models import Intake, SafetyUpdate, SessionLog
from sciatrack.clinic.models import AuditEvent
from sciatrack.program.programs import create_program
from second_factor import confirm_second_factor
from web.test_program import make_intake

pytestmark = pytest.mark.django_db

PASSWORD = "a long test password"


def patient(name: str, clinic: Clinic, vignette: str = "disc-pattern-self-care") -> Patient:
    record = Patient.objects.create(
        user=User.objects.create_user(name, password=PASSWORD), clinic=clinic, display_name=name.title()
    )
    intake = make_intake(record, vignette)
    create_program(intake)
    return record


def clinician(name: str, clinic: Clinic, role: str = Clinician.Role.CLINICIAN) -> Client:
    user = User.objects.create_user(name, password=PASSWORD)
    Clinician.objects.create(user=user, clinic=clinic, role=role)
    client = Client()
    client.force_login(user)
    confirm_second_factor(client, user)
    return client


@pytest.fixture
def riverside() -> Clinic:
    return Clinic.objects.create(name="Riverside", slug="riverside")


@pytest.fixture
def hillside() -> Clinic:
    return Clinic.objects.create(name="Hillside", slug="hillside")


@pytest.fixture
def alice(riverside: Clinic) -> Patient:
    return patient("alice", riverside)


@pytest.fixture
def amir(riverside: Clinic) -> Patient:
    """A Riverside patient whose latest check found a danger sign."""
    return patient("amir", riverside, "cauda-equina-bladder")


@pytest.fixture
def bea(hillside: Clinic) -> Patient:
    return patient("bea", hillside)


@pytest.fixture
def cleo(riverside: Clinic) -> Client:
    return clinician("cleo", riverside)


@pytest.fixture
def hugo(hillside: Clinic) -> Client:
    return clinician("hugo", hillside)


@pytest.fixture
def ada(riverside: Clinic) -> Client:
    return clinician("ada", riverside, Clinician.Role.CLINIC_ADMIN)


def test_it_lists_the_clinics_own_patients_with_danger_signs_first(
    cleo: Client, alice: Patient, amir: Patient, bea: Patient
) -> None:
    page = cleo.get("/clinic/").content.decode()
    assert "Patients of Riverside" in page
    assert page.index("Amir") < page.index("Alice")  # alphabetically after, but a danger sign comes first
    assert "Danger sign at the latest check" in page
    assert "Bea" not in page


def test_it_shows_a_flagged_session_and_filters_to_those_needing_attention(
    cleo: Client, alice: Patient, amir: Patient
) -> None:
    SessionLog.objects.create(
        patient=alice,
        idempotency_key=uuid.uuid4(),
        started_at=timezone.now() - timedelta(days=1),
        finished_at=timezone.now() - timedelta(days=1),
        pain_before=5,
        exercises=[{"id": "lift-off", "status": "stopped", "stop_reason": "spread"}],
        needs_review=True,
    )
    page = cleo.get("/clinic/?attention=1").content.decode()
    assert "1 session flagged for review" in page
    assert "Alice" in page and "Amir" in page
    assert "Alice" not in cleo.get("/clinic/?q=ami").content.decode()


def test_it_never_shows_another_clinics_patient(hugo: Client, alice: Patient) -> None:
    assert "Alice" not in hugo.get("/clinic/").content.decode()
    assert hugo.get(f"/clinic/patients/{alice.uuid}/").status_code == 404
    assert hugo.get(f"/clinic/patients/{alice.uuid}/report.pdf").status_code == 404
    assert not AuditEvent.objects.exists()


def test_it_keeps_patients_and_visitors_out(client: Client, alice: Patient, bea: Patient) -> None:
    assert client.get("/clinic/")["Location"].startswith("/accounts/login/")
    assert client.get(f"/clinic/patients/{alice.uuid}/")["Location"].startswith("/accounts/login/")
    assert alice.user is not None
    client.force_login(alice.user)
    assert client.get("/clinic/").status_code == 403
    assert client.get(f"/clinic/patients/{alice.uuid}/").status_code == 403
    assert client.get(f"/clinic/patients/{bea.uuid}/").status_code == 403
    assert client.get("/clinic/audit/").status_code == 403


def test_it_shows_a_patients_record_and_audits_each_look(cleo: Client, ada: Client, alice: Patient) -> None:
    page = cleo.get(f"/clinic/patients/{alice.uuid}/").content.decode()
    assert "<h1>Alice</h1>" in page
    assert "Hamstring release with a ball" in page
    report = cleo.get(f"/clinic/patients/{alice.uuid}/report.pdf")
    assert report["Content-Type"] == "application/pdf"
    events = list(
        AuditEvent.objects.order_by("created", "pk").values_list("actor_name", "action", "patient_uuid")
    )
    assert events == [("cleo", "view", alice.uuid), ("cleo", "export", alice.uuid)]

    audit = ada.get("/clinic/audit/").content.decode()
    assert audit.count("cleo") == 2 and "Exported" in audit
    assert cleo.get("/clinic/audit/").status_code == 403  # clinicians do not read the audit log


def test_it_shows_a_clinic_admin_only_their_own_clinics_audit_log(
    cleo: Client, hugo: Client, hillside: Clinic, alice: Patient
) -> None:
    cleo.get(f"/clinic/patients/{alice.uuid}/")
    hillside_admin = clinician("hana", hillside, Clinician.Role.CLINIC_ADMIN)
    assert "cleo" not in hillside_admin.get("/clinic/audit/").content.decode()


def test_it_keeps_audit_events_append_only(cleo: Client, alice: Patient) -> None:
    cleo.get(f"/clinic/patients/{alice.uuid}/")
    event = AuditEvent.objects.get()
    event.action = "change"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    assert AuditEvent.objects.get().action == "view"


def test_it_lists_the_dashboard_in_the_same_number_of_queries_for_more_patients(
    cleo: Client, riverside: Clinic
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert cleo.get("/clinic/").status_code == 200
        return len(captured)

    for index in range(3):
        patient(f"p{index}", riverside)
    few = queries()
    for index in range(3, 15):
        patient(
            f"p{index}", riverside, "cauda-equina-bladder" if index % 4 == 0 else "disc-pattern-self-care"
        )
    assert queries() == few


def test_it_flags_a_patient_not_improving_six_weeks_after_the_first_check(
    cleo: Client, alice: Patient
) -> None:
    first = alice.intakes.get()
    Intake.objects.filter(pk=first.pk).update(
        created=timezone.now() - timedelta(weeks=7), measures={"nprs": {"leg_now": 6, "back_now": 3}}
    )
    later = make_intake(alice, "disc-pattern-self-care")
    Intake.objects.filter(pk=later.pk).update(measures={"nprs": {"leg_now": 5, "back_now": 3}})
    assert "Not improving after 6 weeks" in cleo.get("/clinic/").content.decode()
    Intake.objects.filter(pk=later.pk).update(measures={"nprs": {"leg_now": 3, "back_now": 2}})
    assert "Not improving after 6 weeks" not in cleo.get("/clinic/").content.decode()


def test_it_keeps_clinician_notes_with_author_and_audits_them(
    cleo: Client, hugo: Client, alice: Patient
) -> None:
    response = cleo.post(
        f"/clinic/patients/{alice.uuid}/", {"note": "Started on a lighter dose of hip holds."}
    )
    assert response.status_code == 302
    page = cleo.get(f"/clinic/patients/{alice.uuid}/").content.decode()
    assert "cleo:</strong> Started on a lighter dose of hip holds." in page
    assert AuditEvent.objects.filter(action="change", actor_name="cleo").count() == 1

    too_long = cleo.post(f"/clinic/patients/{alice.uuid}/", {"note": "x" * 2001})
    assert too_long.status_code == 422
    assert "Note: write 1 to 2000 characters (this has 2001); nothing was saved" in too_long.content.decode()
    assert hugo.post(f"/clinic/patients/{alice.uuid}/", {"note": "not my patient"}).status_code == 404
    assert alice.clinician_notes.count() == 1


def program_form(patient: Patient, **changes: str) -> dict[str, Any]:
    program = patient.programs.get()
    form: dict[str, Any] = {"keep": [item["id"] for item in program.exercises]}
    for item in program.exercises:
        for field in ("reps", "times_per_day"):
            if item["dosage"].get(field) is not None:
                form[f"{field}-{item['id']}"] = str(item["dosage"][field])
    form.update(changes)
    return form


def test_it_lets_a_clinician_adjust_the_program_and_keeps_who_changed_what(
    cleo: Client, alice: Patient
) -> None:
    form = program_form(alice, **{"reps-mckenzie-extension": "6"})
    form["keep"] = [i for i in form["keep"] if i != "lift-off"]
    response = cleo.post(f"/clinic/patients/{alice.uuid}/program/", form)
    assert response.status_code == 302
    program = alice.programs.get()
    by_id = {item["id"]: item for item in program.exercises}
    assert "lift-off" not in by_id
    assert by_id["mckenzie-extension"]["dosage_text"] == "6 times, hold 2 to 3 seconds, every waking hour"
    change = program.changes.get()
    assert change.author_name == "cleo"
    assert "removed Lift off" in change.summary
    assert "10 times, hold 2 to 3 seconds, every waking hour → 6 times" in change.summary
    assert "removed Lift off" in cleo.get(f"/clinic/patients/{alice.uuid}/").content.decode()
    assert AuditEvent.objects.filter(action="change").count() == 1
    report = cleo.get(f"/clinic/patients/{alice.uuid}/report.pdf").content
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(report)).pages)
    assert "Changes by clinicians" in text and "cleo: removed Lift off" in text

    assert alice.user is not None
    patient_client = Client()
    patient_client.force_login(alice.user)
    page = patient_client.get("/program/").content.decode()
    assert "6 times, hold 2 to 3 seconds" in page and "Lift off" not in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"reps-mckenzie-extension": "0"},
            "McKenzie press-up on the elbows, reps: give a whole number from 1 to 100",
        ),
        ({"reps-mckenzie-extension": "ten"}, "reps: give a whole number from 1 to 100"),
        ({"keep": []}, "Keep at least one exercise"),
    ],
)
def test_it_names_what_is_wrong_with_a_program_change_and_changes_nothing(
    cleo: Client, alice: Patient, changes: dict[str, Any], message: str
) -> None:
    before = alice.programs.get().exercises
    response = cleo.post(f"/clinic/patients/{alice.uuid}/program/", program_form(alice, **changes))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert alice.programs.get().exercises == before
    assert not alice.programs.get().changes.exists()


def test_it_lets_no_other_clinic_change_the_program(hugo: Client, alice: Patient) -> None:
    before = alice.programs.get().exercises
    assert (
        hugo.post(f"/clinic/patients/{alice.uuid}/program/", program_form(alice, keep=[])).status_code == 404
    )
    assert alice.programs.get().exercises == before


def test_it_lists_first_a_patient_who_reported_a_danger_sign_since_their_check(
    cleo: Client, riverside: Clinic
) -> None:
    calm = patient("aaron", riverside)
    reporting = patient("zora", riverside)
    check = Intake.objects.get(patient=reporting)
    SafetyUpdate.objects.create(
        patient=reporting,
        intake=check,
        source=SafetyUpdate.Source.DIARY,
        signs=["fever"],
        result={"tier": "urgent", "where": "doctor_today"},
        tier="urgent",
        where="doctor_today",
    )
    SafetyUpdate.objects.create(  # a top-up of new questions is not a report of a danger sign
        patient=calm,
        intake=Intake.objects.get(patient=calm),
        source=SafetyUpdate.Source.TOP_UP,
        signs=[],
        result={"tier": "self_care", "where": "home_program"},
        tier="self_care",
        where="home_program",
    )
    page = cleo.get("/clinic/").content.decode()
    assert page.index("Zora") < page.index("Aaron")
    assert page.count("Danger sign reported since the latest check") == 1
