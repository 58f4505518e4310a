"""The outcome registry's figures for a cohort, from the summary table only.

- :func:`cohort_report` counts a :class:`.cohort.Cohort` in two aggregate queries over :class:`CaseOutcome`
  (one grouped by outcome, status and change; one grouped by outcome, week and event for the time to
  response), whatever its size: no row of the cohort is read into Python. A cohort smaller than the minimum
  is suppressed: only its size is known to the caller, and no figure is shown.
- :func:`compare` puts two reports side by side with the difference of each rate and its interval.

Who is counted is :mod:`.cohort`; the JSON and CSV exports of the figures are :mod:`.report_export`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, QuerySet

from sciatrack.content.registry_schema import OutcomeDefinition, RegistryContent, load_registry_content
from sciatrack.domain.registry_outcomes import Status
from sciatrack.domain.registry_stats import (
    Difference,
    KaplanMeierCurve,
    Proportion,
    difference_interval,
    is_suppressed,
    kaplan_meier,
    median_from_counts,
    quantile_from_counts,
    wilson_interval,
)

from .cohort import NO_ADHERENCE, Cohort
from .models import CaseOutcome

CONFIDENCE = 0.95
# How the page and the command name an outcome definition's measure and its missing policy.
MEASURE_NAMES = {"leg_pain": "leg pain (0 to 10)", "back_pain": "back pain (0 to 10)", "sbi": "SBI (0 to 24)"}
MISSING_POLICY_WORDS = {
    "shown_apart": "the rate is over those followed up; those missing are shown apart",
    "counted_as_not_met": "the rate is over everyone; anyone missing counts as not meeting it",
}


@dataclass(frozen=True)
class ChangeSummary:
    """The change of the measure from the first check to the follow-up that counts (negative is better).

    ``count`` is how many cases had both scores; the median and quartiles are None when nobody had.
    """

    count: int
    median: float | None
    lower_quartile: float | None
    upper_quartile: float | None


@dataclass(frozen=True)
class OutcomeFigures:
    """One outcome definition's figures for a cohort.

    ``followed_up`` is the share of the cohort with a result (a follow-up in the window, and the first-check
    score the rule needs); ``rate`` is the share meeting the definition, over those followed up or over
    everyone as the definition's ``missing`` policy says. ``time_to_response`` is the Kaplan-Meier curve for
    definitions with ``time_to_event``, else None.
    """

    definition: OutcomeDefinition
    patients: int
    met: int
    not_met: int
    missing: int
    followed_up: Proportion
    rate: Proportion
    change: ChangeSummary
    time_to_response: KaplanMeierCurve | None


@dataclass(frozen=True)
class CohortReport:
    """A cohort's figures, or, when ``suppressed`` (fewer patients than ``minimum``), none at all."""

    cohort: Cohort
    minimum: int
    patients: int
    suppressed: bool
    outcomes: tuple[OutcomeFigures, ...] = field(default=())


def cohort_rows(
    cohort: Cohort, outcome_ids: Iterable[str], content: RegistryContent
) -> QuerySet[CaseOutcome]:
    """The summary rows of the cohort for the given outcomes (the outcome filter keeps the indexes in use)."""
    rows = CaseOutcome.objects.filter(outcome__in=list(outcome_ids))
    if cohort.clinics:
        rows = rows.filter(clinic_id__in=[clinic.id for clinic in cohort.clinics])
    if cohort.enrolled_from:
        rows = rows.filter(enrolled_on__gte=cohort.enrolled_from)
    if cohort.enrolled_to:
        rows = rows.filter(enrolled_on__lte=cohort.enrolled_to)
    if cohort.age_bands:
        rows = rows.filter(age_band__in=cohort.age_bands)
    if cohort.tiers:
        rows = rows.filter(triage_tier__in=cohort.tiers)
    if cohort.patterns:
        rows = rows.filter(pattern__in=cohort.patterns)
    if cohort.adherence:
        rows = rows.filter(adherence_band__in=["" if a == NO_ADHERENCE else a for a in cohort.adherence])
    if cohort.exercises:
        bits = cohort.program_bits(content)
        rows = rows.alias(program_has=F("program_mask").bitand(bits)).filter(program_has=bits)
    return rows.order_by()


def cohort_report(cohort: Cohort, minimum: int, content: RegistryContent | None = None) -> CohortReport:
    """The figures of every outcome definition for ``cohort``, suppressed below ``minimum`` patients.

    ``patients`` is the number of cases in the cohort (the largest count of any definition's rows, which
    are equal once every case's summary is up to date).
    """
    content = content or load_registry_content()
    definitions = content.outcomes
    by_status: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    changes: dict[str, dict[int | float, int]] = defaultdict(lambda: defaultdict(int))
    grouped = (
        cohort_rows(cohort, (d.id for d in definitions), content)
        .values("outcome", "status", "change")
        .annotate(n=Count("*"))
    )
    for row in grouped:
        by_status[row["outcome"]][row["status"]] += row["n"]
        if row["change"] is not None:
            changes[row["outcome"]][row["change"]] += row["n"]
    patients = max((sum(by_status[d.id].values()) for d in definitions), default=0)
    if is_suppressed(patients, minimum):
        return CohortReport(cohort, minimum, patients, True)

    timed = [d.id for d in definitions if d.time_to_event]
    weeks: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    if timed:
        for week_row in (
            cohort_rows(cohort, timed, content)
            .values("outcome", "time_week", "event")
            .annotate(n=Count("*"))
            .order_by("outcome", "time_week")
        ):
            events, censored = (week_row["n"], 0) if week_row["event"] else (0, week_row["n"])
            # A response on days 1 to 6 is stored as week 0 (day // 7), but the curve starts at week 0
            # with nobody responded and refuses responses there: such responses count at week 1.
            week = max(week_row["time_week"], 1) if events else week_row["time_week"]
            weeks[week_row["outcome"]].append((week, events, censored))

    figures = []
    for definition in definitions:
        counts = by_status[definition.id]
        met, not_met, missing = counts[Status.MET], counts[Status.NOT_MET], counts[Status.MISSING]
        total = met + not_met + missing
        counted = met + not_met if definition.missing == "shown_apart" else total
        histogram = changes[definition.id]
        figures.append(
            OutcomeFigures(
                definition=definition,
                patients=total,
                met=met,
                not_met=not_met,
                missing=missing,
                followed_up=wilson_interval(met + not_met, total, CONFIDENCE),
                rate=wilson_interval(met, counted, CONFIDENCE),
                change=ChangeSummary(
                    count=sum(histogram.values()),
                    median=median_from_counts(histogram),
                    lower_quartile=quantile_from_counts(histogram, 0.25),
                    upper_quartile=quantile_from_counts(histogram, 0.75),
                ),
                time_to_response=(
                    kaplan_meier(weeks[definition.id], CONFIDENCE) if definition.time_to_event else None
                ),
            )
        )
    return CohortReport(cohort, minimum, patients, False, tuple(figures))


@dataclass(frozen=True)
class OutcomeComparison:
    """One definition in two cohorts; ``difference`` is a's rate minus b's, None when either is suppressed."""

    definition: OutcomeDefinition
    a: OutcomeFigures | None
    b: OutcomeFigures | None
    difference: Difference | None


@dataclass(frozen=True)
class Comparison:
    a: CohortReport
    b: CohortReport
    outcomes: tuple[OutcomeComparison, ...]


def compare(a: CohortReport, b: CohortReport) -> Comparison:
    """The two reports side by side, with each rate's difference (a minus b) and Newcombe's interval."""
    a_by_id = {figures.definition.id: figures for figures in a.outcomes}
    b_by_id = {figures.definition.id: figures for figures in b.outcomes}
    definitions = {f.definition.id: f.definition for f in (*a.outcomes, *b.outcomes)}
    outcomes = []
    for outcome_id, definition in definitions.items():
        fa, fb = a_by_id.get(outcome_id), b_by_id.get(outcome_id)
        difference = difference_interval(fa.rate, fb.rate) if fa and fb else None
        outcomes.append(OutcomeComparison(definition, fa, fb, difference))
    if not outcomes:  # both suppressed: still one row per definition, without figures
        outcomes = [OutcomeComparison(d, None, None, None) for d in load_registry_content().outcomes]
    return Comparison(a, b, tuple(outcomes))
