"""The outcome registry: de-identified cases across the clinic network, and their summary table.

Base tables hold what happened: a :class:`RegistryCase` per person (cohort fields and baseline
measures, never a name or contact detail), their follow-ups (:class:`RegistryFollowUp`, days since the
first check) and weekly activity (:class:`RegistryWeek`, sessions done and diary days per week; at
registry scale a week's summary stands in for the individual sessions and diary entries).

:class:`CaseOutcome` is the summary table the reports read: one row per case and outcome definition,
with the cohort fields copied in, so any cohort's figures are a single scan of one table. It is kept
up to date incrementally (:mod:`.summary`): adding follow-ups or weeks marks the case stale, and a
refresh recomputes only stale cases.
"""

from __future__ import annotations

from django.db import models

from .managers import RegistryCaseManager


class RegistryCase(models.Model):
    id = models.BigAutoField(primary_key=True)
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.CASCADE, related_name="registry_cases")
    # The care-app patient this case mirrors (empty for generated cases); no other link back to a person.
    source_patient = models.UUIDField(null=True, blank=True, unique=True)
    enrolled_on = models.DateField()
    age_band = models.CharField(max_length=8)
    triage_tier = models.CharField(max_length=20)
    pattern = models.CharField(max_length=20)
    program_mask = models.IntegerField(default=0)  # one bit per exercise, see program_bits in the content
    sessions_per_week = models.SmallIntegerField(default=0)  # as prescribed
    baseline_leg_pain = models.SmallIntegerField(null=True, blank=True)
    baseline_back_pain = models.SmallIntegerField(null=True, blank=True)
    baseline_sbi = models.SmallIntegerField(null=True, blank=True)
    # Set when follow-ups or weeks arrive; cleared when the case's summary rows are recomputed.
    stale = models.BooleanField(default=True)

    objects = RegistryCaseManager()

    class Meta:
        indexes = [
            models.Index(fields=["clinic", "enrolled_on"]),
            models.Index(fields=["stale"], condition=models.Q(stale=True), name="registry_case_stale"),
        ]
        # Clinic admins see their own clinic's registry; this permission opens the whole network's.
        permissions = [("view_network", "Can see the outcome registry of every clinic in the network")]

    def __str__(self) -> str:
        return f"Registry case {self.pk}"


class RegistryFollowUp(models.Model):
    id = models.BigAutoField(primary_key=True)
    case = models.ForeignKey(RegistryCase, on_delete=models.CASCADE, related_name="follow_ups")
    day = models.SmallIntegerField()  # days since the first check
    leg_pain = models.SmallIntegerField(null=True, blank=True)
    back_pain = models.SmallIntegerField(null=True, blank=True)
    sbi = models.SmallIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["case", "day"])]

    def __str__(self) -> str:
        return f"Follow-up of case {self.case_id} on day {self.day}"


class RegistryWeek(models.Model):
    id = models.BigAutoField(primary_key=True)
    case = models.ForeignKey(RegistryCase, on_delete=models.CASCADE, related_name="weeks")
    week = models.SmallIntegerField()  # 0 is the week starting on the first check
    sessions_done = models.SmallIntegerField(default=0)
    # Of the sessions done: how many were short ones (a bad day's), and how many were ended early. Both
    # still count in sessions_done. Kept by the database too, for the bulk writes that leave them out.
    short_sessions = models.SmallIntegerField(default=0, db_default=0)
    ended_early_sessions = models.SmallIntegerField(default=0, db_default=0)
    diary_days = models.SmallIntegerField(default=0)
    mean_leg_pain = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "week"], name="registry_week_once")]

    def __str__(self) -> str:
        return f"Week {self.week} of case {self.case_id}"


class CaseOutcome(models.Model):
    """One case's result for one outcome definition (status values: see ``domain.registry_outcomes``)."""

    id = models.BigAutoField(primary_key=True)
    case = models.ForeignKey(RegistryCase, on_delete=models.CASCADE, related_name="outcomes", db_index=False)
    outcome = models.CharField(max_length=60)
    # Cohort fields, copied from the case.
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.CASCADE, related_name="+", db_index=False)
    enrolled_on = models.DateField()
    age_band = models.CharField(max_length=8)
    triage_tier = models.CharField(max_length=20)
    pattern = models.CharField(max_length=20)
    program_mask = models.IntegerField(default=0)
    adherence_band = models.CharField(max_length=20, blank=True)  # '' when no session was prescribed
    # The result.
    status = models.SmallIntegerField()
    baseline = models.SmallIntegerField(null=True, blank=True)
    value = models.SmallIntegerField(null=True, blank=True)
    change = models.SmallIntegerField(null=True, blank=True)
    time_week = models.SmallIntegerField(default=0)
    event = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "outcome"], name="registry_outcome_once")]
        indexes = [
            models.Index(fields=["outcome", "clinic", "enrolled_on"]),
            models.Index(fields=["outcome", "enrolled_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.outcome} for case {self.case_id}"
