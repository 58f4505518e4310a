"""Demo data: a clinic, a clinician, four patients and an admin with published passwords.

Each patient gets twelve weeks (the worsening one eight) of seeded history from
:mod:`sciatrack.demo_histories`: "patient" is the responder, "sam" the slow responder, "wes" the
worsening case flagged for review, "nora" the one who stopped her sessions. Built in code and safe to run
again: existing records are found, not duplicated, and a patient with a check keeps their history. The
patients belong to the clinic, so each is mirrored into the outcome registry; the diary and sessions are
stored in bulk, without the signals that keep the registry current, so the demo syncs each patient itself.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.models import User
from django.db import transaction

from sciatrack.accounts.models import Clinic, Clinician, Patient
from sciatrack.demo_histories import PERSONAS, add_history, describe
from sciatrack.registry.generate import generate_registry, generated_clinics
from sciatrack.registry.sync import sync_patient

DEMO_PASSWORD = "sciatrack-demo"  # noqa: S105 - the demo accounts' known password, printed by `sciatrack demo`
# A synthetic clinic network, so that the registry pages have figures to show (four patients are too
# few: groups under the minimum are hidden).
DEMO_REGISTRY_PATIENTS = 3000
DEMO_REGISTRY_CLINICS = 6


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

    for persona in PERSONAS:
        patient_user, created = demo_user(persona.username, persona.first_name, persona.last_name)
        patient, _ = Patient.objects.get_or_create(
            user=patient_user, defaults={"clinic": clinic, "display_name": persona.display_name}
        )
        patient.clinicians.add(clinician)
        yield f"{'created' if created else 'kept'} patient: {persona.username} / {DEMO_PASSWORD}"
        created = add_history(patient, persona)
        sync_patient(patient)
        yield describe(persona, created)

    if generated_clinics().exists():
        yield "kept the synthetic registry network"
    else:
        generate_registry(DEMO_REGISTRY_PATIENTS, seed=1, clinics=DEMO_REGISTRY_CLINICS)
        yield (
            f"created a synthetic registry network: {DEMO_REGISTRY_PATIENTS} patients in "
            f"{DEMO_REGISTRY_CLINICS} clinics (see /clinic/registry/ as admin)"
        )
