# After 0006 has filled them, the current tier and place of every check must name real ones. Kept apart
# from 0006 so that PostgreSQL does not alter the table in the transaction that updated its rows.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_api_tokens"),
        ("care", "0006_checks_under_contract_v2"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="intake",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("current_tier__in", ("emergency", "urgent", "soon", "routine", "self_care"))
                ),
                name="intake_current_tier_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="intake",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "where__in",
                        (
                            "emergency_department_now",
                            "emergency_department_today",
                            "doctor_today",
                            "doctor_within_days",
                            "clinician_review",
                            "home_program",
                        ),
                    )
                ),
                name="intake_where_known",
            ),
        ),
    ]
