"""Demo data: a clinic, a clinician, a patient and an admin with published passwords.

Built in code and safe to run again: existing records are found, not duplicated.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.models import User
from django.db import transaction

from sciatrack.accounts.models import Clinic, Clinician, Patient

DEMO_PASSWORD = "sciatrack-demo"


def demo_user(username: str, first_name: str, last_name: str, *, staff: bool = False) -> tuple[User, bool]:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": f"{username}@demo.sciatrack.invalid",
            "is_staff": staff,
            "is_superuser": staff,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user, created


@transaction.atomic
def load_demo() -> Iterator[str]:
    """Create the demo records that are missing and describe each one."""
    clinic, _ = Clinic.objects.get_or_create(slug="riverside", defaults={"name": "Riverside Spine Clinic"})

    _admin, created = demo_user("admin", "Ada", "Admin", staff=True)
    yield f"{'created' if created else 'kept'} site admin: admin / {DEMO_PASSWORD}"

    clinician_user, created = demo_user("clinician", "Cleo", "Moreno")
    clinician, _ = Clinician.objects.get_or_create(
        user=clinician_user,
        defaults={"clinic": clinic, "profession": Clinician.Profession.PHYSICAL_THERAPIST},
    )
    yield f"{'created' if created else 'kept'} clinician: clinician / {DEMO_PASSWORD}"

    patient_user, created = demo_user("patient", "Pat", "Lee")
    patient, _ = Patient.objects.get_or_create(
        user=patient_user, defaults={"clinic": clinic, "display_name": "Pat Lee"}
    )
    patient.clinicians.add(clinician)
    yield f"{'created' if created else 'kept'} patient: patient / {DEMO_PASSWORD}"
