# Clearances (contract version 2, section 3): a held check cleared for exercise, and an exercise cleared
# to resume after a stop because the pain spread.

import uuid

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_api_tokens"),
        ("care", "0008_safety_updates"),
    ]

    operations = [
        migrations.CreateModel(
            name="Clearance",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                (
                    "by",
                    models.CharField(
                        choices=[
                            ("clinician", "A clinician of the person's clinic"),
                            ("person", "The person, after a doctor checked them"),
                        ],
                        max_length=20,
                    ),
                ),
                ("by_name", models.CharField(max_length=150)),
                ("where", models.CharField(max_length=40)),
                ("rules", models.JSONField()),
                ("seen_on", models.DateField()),
                ("note", models.CharField(blank=True, max_length=500)),
                ("created", models.DateTimeField(auto_now_add=True)),
                (
                    "by_clinician",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="clearances",
                        to="accounts.clinician",
                    ),
                ),
                (
                    "intake",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="clearances",
                        to="care.intake",
                    ),
                ),
            ],
            options={
                "ordering": ["-created"],
                "constraints": [
                    models.UniqueConstraint(fields=("intake",), name="one_clearance_per_check"),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("by", "clinician"), ("where__in", ["doctor_today", "doctor_within_days"])
                            ),
                            models.Q(("by", "person"), ("where__in", ["doctor_within_days"])),
                            _connector="OR",
                        ),
                        name="clearance_by_who_may_clear",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("by", "person"), ("by_clinician__isnull", True)),
                            ("by", "clinician"),
                            _connector="OR",
                        ),
                        name="clearance_by_person_names_no_clinician",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("by_name", ""), _negated=True), name="clearance_names_who"
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("note"), 500
                        ),
                        name="clearance_note_length",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ResumeClearance",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("exercise_id", models.CharField(max_length=40)),
                ("by_name", models.CharField(max_length=150)),
                ("stopped_at", models.DateTimeField()),
                ("created", models.DateTimeField(auto_now_add=True)),
                (
                    "by_clinician",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="accounts.clinician",
                    ),
                ),
                (
                    "change",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="care.programchange",
                    ),
                ),
                (
                    "patient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="resume_clearances",
                        to="accounts.patient",
                    ),
                ),
            ],
            options={
                "ordering": ["-created"],
                "indexes": [
                    models.Index(fields=["patient", "-created"], name="care_resume_patient_b96499_idx")
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "exercise_id__in",
                                (
                                    "lift-off",
                                    "hip-holds",
                                    "heel-slides",
                                    "hamstring-ball-release",
                                    "mckenzie-extension",
                                    "glute-activation",
                                    "hip-flexor-activation",
                                ),
                            )
                        ),
                        name="resume_clearance_exercise_known",
                    )
                ],
            },
        ),
    ]
