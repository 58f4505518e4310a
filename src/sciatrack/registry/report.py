"""The outcome registry's figures for a cohort, from the summary table only.

- :class:`Cohort` says who is counted: clinics (or the whole network), the enrolment dates, age bands,
  triage tiers, McKenzie patterns, exercises the program included and adherence bands. Built from request
  or command-line parameters with :meth:`Cohort.from_params`, which refuses anything unknown with a
  :class:`CohortError` naming the field and what is allowed.
- :func:`cohort_report` counts the cohort in two aggregate queries over :class:`CaseOutcome` (one grouped by
  outcome, status and change; one grouped by outcome, week and event for the time to response), whatever
  its size: no row of the cohort is read into Python. A cohort smaller than the minimum is suppressed:
  only its size is known to the caller, and no figure is shown.
- :func:`compare` puts two reports side by side with the difference of each rate and its interval.
- :func:`report_as_dict`, :func:`comparison_as_dict` and :func:`write_csv` export the figures. They hold
  aggregates only: no names, no case ids, no dates of anyone's visit.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from django.db.models import Count, F, QuerySet

from sciatrack.accounts.models import Clinic
from sciatrack.content.loader import exercise_names
from sciatrack.content.registry_schema import OutcomeDefinition, RegistryContent, load_registry_content
from sciatrack.domain.plain_input import text_problem
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
from sciatrack.domain.vocabulary import TIER_ORDER, Pattern

from .models import CaseOutcome

CONFIDENCE = 0.95
# The adherence band of a case without prescribed sessions or without any weekly record is ''.
NO_ADHERENCE = "none"
NO_ADHERENCE_NAME = "no sessions prescribed or none recorded"
TIER_NAMES = {tier.value: tier.word for tier in TIER_ORDER}  # most urgent first
PATTERN_NAMES = {
    Pattern.EXTENSION_BIASED.value: "eases when leaning back (extension)",
    Pattern.FLEXION_BIASED.value: "eases when bending forward (flexion)",
    Pattern.UNCLEAR.value: "no clear pattern",
}
MEASURE_NAMES = {"leg_pain": "leg pain (0 to 10)", "back_pain": "back pain (0 to 10)", "sbi": "SBI (0 to 24)"}
MISSING_POLICY_WORDS = {
    "shown_apart": "the rate is over those followed up; those missing are shown apart",
    "counted_as_not_met": "the rate is over everyone; anyone missing counts as not meeting it",
}
# The parameter names, as in a query string or the command line; they name the field in every error.
FIELDS = ("clinic", "from", "to", "age_band", "tier", "pattern", "exercise", "adherence")
MAX_VALUES = 50  # no honest filter lists more values than this for one field


class CohortError(ValueError):
    """A cohort parameter that is not allowed; ``field`` is its name, the message says what is allowed."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name


@dataclass(frozen=True)
class ClinicRef:
    id: int
    slug: str
    name: str


@dataclass(frozen=True)
class Cohort:
    """Who a report counts. An empty tuple means "any" for that field; no clinics means the whole network.

    A case is in the cohort when it was enrolled between ``enrolled_from`` and ``enrolled_to`` (both
    included), belongs to one of the clinics and has one of the listed values of each other field; its
    program must include every listed exercise.
    """

    clinics: tuple[ClinicRef, ...] = ()
    enrolled_from: date | None = None
    enrolled_to: date | None = None
    age_bands: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    exercises: tuple[str, ...] = ()
    adherence: tuple[str, ...] = ()

    @classmethod
    def from_params(
        cls,
        params: Mapping[str, Any],
        allowed_clinic_ids: Collection[int] | None,
        *,
        prefix: str = "",
        content: RegistryContent | None = None,
    ) -> Cohort:
        """The cohort the parameters ask for (keys ``prefix`` + one of :data:`FIELDS`; others are ignored).

        A value is a string or a list of strings (a query is read through ``views.RegistryQuery`` first),
        comma-separated for a list field if wished; text with NUL or unpaired surrogates is refused.
        ``allowed_clinic_ids`` is None for someone who may see the whole network; otherwise the clinics
        asked for must be among them, and asking for none means all of them.
        Raises :class:`CohortError` naming the first field that is wrong and what it allows.
        """
        content = content or load_registry_content()

        def values(name: str) -> list[str]:
            key = prefix + name
            given, none = params.get(key), list[Any]()  # one value, many, or none
            raw = list(given) if isinstance(given, list | tuple) else none if given is None else [given]
            found: list[str] = []
            for item in raw:
                if not isinstance(item, str):
                    raise CohortError(key, f"give text, not {type(item).__name__}")
                if (problem := text_problem(item)) is not None:
                    raise CohortError(key, f"a value {problem}")
                found.extend(part.strip() for part in item.split(",") if part.strip())
            if len(found) > MAX_VALUES:
                raise CohortError(key, f"give at most {MAX_VALUES} values")
            return list(dict.fromkeys(found))  # repeated values count once, in the order given

        def one_of(name: str, allowed: Iterable[str]) -> tuple[str, ...]:
            choices = tuple(allowed)
            chosen = values(name)
            for value in chosen:
                if value not in choices:
                    raise CohortError(
                        prefix + name, f"{value!r} is not allowed; choose from {', '.join(choices)}"
                    )
            return tuple(chosen)

        def day(name: str) -> date | None:
            given = values(name)
            if not given:
                return None
            if len(given) > 1:
                raise CohortError(prefix + name, "give one date")
            try:
                return date.fromisoformat(given[0])
            except ValueError:
                raise CohortError(
                    prefix + name, f"{given[0]!r} is not a date; write it as YYYY-MM-DD, e.g. 2025-01-31"
                ) from None

        clinics = _clinics(values("clinic"), allowed_clinic_ids, prefix + "clinic")
        enrolled_from, enrolled_to = day("from"), day("to")
        if enrolled_from and enrolled_to and enrolled_from > enrolled_to:
            raise CohortError(
                prefix + "from",
                f"{enrolled_from.isoformat()} is after the 'to' date {enrolled_to.isoformat()}; "
                "give a 'from' date on or before it",
            )
        return cls(
            clinics=clinics,
            enrolled_from=enrolled_from,
            enrolled_to=enrolled_to,
            age_bands=one_of("age_band", (band.id for band in content.age_bands)),
            tiers=one_of("tier", TIER_NAMES),
            patterns=one_of("pattern", PATTERN_NAMES),
            exercises=one_of("exercise", content.program_bits),
            adherence=one_of("adherence", (*(band.id for band in content.adherence_bands), NO_ADHERENCE)),
        )

    @property
    def whole_network(self) -> bool:
        return not self.clinics

    def program_bits(self, content: RegistryContent) -> int:
        """The mask every listed exercise sets; a case's program includes them all when it has these bits."""
        mask = 0
        for exercise in self.exercises:
            mask |= 1 << content.program_bits[exercise]
        return mask

    def as_params(self, prefix: str = "") -> list[tuple[str, str]]:
        """The cohort as query parameters (``from_params`` reads them back to the same cohort)."""
        pairs: list[tuple[str, str]] = [(prefix + "clinic", clinic.slug) for clinic in self.clinics]
        if self.enrolled_from:
            pairs.append((prefix + "from", self.enrolled_from.isoformat()))
        if self.enrolled_to:
            pairs.append((prefix + "to", self.enrolled_to.isoformat()))
        for name, chosen in (
            ("age_band", self.age_bands),
            ("tier", self.tiers),
            ("pattern", self.patterns),
            ("exercise", self.exercises),
            ("adherence", self.adherence),
        ):
            pairs.extend((prefix + name, value) for value in chosen)
        return pairs

    def as_dict(self) -> dict[str, Any]:
        """The cohort for JSON: every field, with "all" for the whole network."""
        return {
            "clinics": [clinic.slug for clinic in self.clinics] or "all",
            "enrolled_from": self.enrolled_from.isoformat() if self.enrolled_from else None,
            "enrolled_to": self.enrolled_to.isoformat() if self.enrolled_to else None,
            "age_bands": list(self.age_bands),
            "tiers": list(self.tiers),
            "patterns": list(self.patterns),
            "exercises": list(self.exercises),
            "adherence": list(self.adherence),
            "description": self.describe(),
        }

    def describe(self) -> str:
        """The cohort in plain words, e.g. "Riverside; enrolled from 1 January 2025; aged 30-39"."""
        parts = [
            _words(clinic.name for clinic in self.clinics) if self.clinics else "All clinics in the network"
        ]
        if self.enrolled_from and self.enrolled_to:
            parts.append(f"enrolled from {_day(self.enrolled_from)} to {_day(self.enrolled_to)}")
        elif self.enrolled_from:
            parts.append(f"enrolled on or after {_day(self.enrolled_from)}")
        elif self.enrolled_to:
            parts.append(f"enrolled on or before {_day(self.enrolled_to)}")
        if self.age_bands:
            parts.append(f"aged {_words(self.age_bands, 'or')}")
        if self.tiers:
            parts.append(f"triage result {_words((TIER_NAMES[tier] for tier in self.tiers), 'or')}")
        if self.patterns:
            parts.append(f"pain pattern: {_words((PATTERN_NAMES[p] for p in self.patterns), 'or')}")
        if self.exercises:
            names = exercise_names()
            parts.append(f"program includes {_words(names.get(e, e) for e in self.exercises)}")
        if self.adherence:
            parts.append(
                f"sessions done: {_words((adherence_names().get(a, a) for a in self.adherence), 'or')}"
            )
        return "; ".join(parts)


def adherence_names(content: RegistryContent | None = None) -> dict[str, str]:
    """Each adherence band id (and :data:`NO_ADHERENCE`) with its name in words."""
    content = content or load_registry_content()
    return {**{band.id: band.name for band in content.adherence_bands}, NO_ADHERENCE: NO_ADHERENCE_NAME}


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _words(items: Iterable[str], joiner: str = "and") -> str:
    listed = list(items)
    if len(listed) <= 1:
        return "".join(listed)
    return f"{', '.join(listed[:-1])} {joiner} {listed[-1]}"


def _clinics(slugs: list[str], allowed_ids: Collection[int] | None, field_name: str) -> tuple[ClinicRef, ...]:
    """The clinics asked for, each one the user may see; all the allowed ones when none is asked for."""
    if allowed_ids is not None and not allowed_ids:
        raise CohortError(field_name, "you may not see the registry of any clinic")
    visible = Clinic.objects.all() if allowed_ids is None else Clinic.objects.filter(id__in=list(allowed_ids))
    if not slugs:
        if allowed_ids is None:
            return ()  # the whole network
        return tuple(ClinicRef(c.id, c.slug, c.name) for c in visible.order_by("name", "id"))
    found = {c.slug: ClinicRef(c.id, c.slug, c.name) for c in visible.filter(slug__in=slugs)}
    for slug in slugs:
        if slug not in found:
            # The same words whether the clinic exists elsewhere or not: its existence is not revealed.
            if allowed_ids is None:
                raise CohortError(
                    field_name, f"there is no clinic {slug!r}; give a clinic's short name (slug)"
                )
            allowed = ", ".join(visible.order_by("slug").values_list("slug", flat=True))
            raise CohortError(field_name, f"{slug!r} is not a clinic you may see; you may see {allowed}")
    return tuple(found[slug] for slug in slugs)


# --- Figures ---------------------------------------------------------------------------------------------


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


# --- Exports ---------------------------------------------------------------------------------------------


def _proportion(share: Proportion) -> dict[str, Any]:
    return {
        "count": share.count,
        "total": share.total,
        "rate": share.rate,
        "low": share.low,
        "high": share.high,
    }


def _curve(curve: KaplanMeierCurve) -> dict[str, Any]:
    return {
        "median_weeks": curve.median_time,
        "points": [
            {
                "week": point.time,
                "at_risk": point.at_risk,
                "responded": point.events,
                "censored": point.censored,
                "share_responded": point.cumulative_incidence,
                "low": point.cumulative_incidence_low,
                "high": point.cumulative_incidence_high,
            }
            for point in curve.points
        ],
    }


def outcome_as_dict(figures: OutcomeFigures) -> dict[str, Any]:
    definition = figures.definition
    return {
        "id": definition.id,
        "name": definition.name,
        "definition": definition.definition,
        "missing_policy": definition.missing,
        "patients": figures.patients,
        "met": figures.met,
        "not_met": figures.not_met,
        "missing": figures.missing,
        "followed_up": _proportion(figures.followed_up),
        "rate": _proportion(figures.rate),
        "change": {
            "measure": definition.measure,
            "count": figures.change.count,
            "median": figures.change.median,
            "lower_quartile": figures.change.lower_quartile,
            "upper_quartile": figures.change.upper_quartile,
        },
        "time_to_response": _curve(figures.time_to_response) if figures.time_to_response else None,
    }


def report_as_dict(report: CohortReport) -> dict[str, Any]:
    """The report for JSON: the cohort, its size, and (unless suppressed) every outcome's figures."""
    return {
        "cohort": report.cohort.as_dict(),
        "confidence": CONFIDENCE,
        "minimum_cohort": report.minimum,
        # The size of a suppressed cohort is only said to be below the minimum.
        "patients": None if report.suppressed else report.patients,
        "suppressed": report.suppressed,
        "outcomes": [outcome_as_dict(figures) for figures in report.outcomes],
    }


def comparison_as_dict(comparison: Comparison) -> dict[str, Any]:
    """Both reports, and per outcome the difference of the rates (a minus b) with its interval."""
    return {
        "a": report_as_dict(comparison.a),
        "b": report_as_dict(comparison.b),
        "differences": [
            {
                "id": item.definition.id,
                "difference": item.difference.difference if item.difference else None,
                "low": item.difference.low if item.difference else None,
                "high": item.difference.high if item.difference else None,
            }
            for item in comparison.outcomes
        ],
    }


CSV_COLUMNS = (
    "cohort", "cohort_description", "outcome", "outcome_name", "missing_policy", "patients", "suppressed",
    "met", "not_met", "missing", "followed_up_rate", "followed_up_low", "followed_up_high", "rate_count",
    "rate_total", "rate", "rate_low", "rate_high", "change_count", "change_median", "change_lower_quartile",
    "change_upper_quartile", "median_weeks_to_response",
)  # fmt: skip


def csv_rows(label: str, report: CohortReport) -> list[dict[str, Any]]:
    """One row per outcome definition of ``report`` (empty figures when suppressed), keyed by CSV_COLUMNS."""
    common = {
        "cohort": label,
        "cohort_description": report.cohort.describe(),
        "suppressed": report.suppressed,
    }
    if report.suppressed:
        return [
            {**common, "outcome": d.id, "outcome_name": d.name, "missing_policy": d.missing}
            for d in load_registry_content().outcomes
        ]
    rows = []
    for figures in report.outcomes:
        curve = figures.time_to_response
        rows.append(
            {
                **common,
                "outcome": figures.definition.id,
                "outcome_name": figures.definition.name,
                "missing_policy": figures.definition.missing,
                "patients": figures.patients,
                "met": figures.met,
                "not_met": figures.not_met,
                "missing": figures.missing,
                "followed_up_rate": figures.followed_up.rate,
                "followed_up_low": figures.followed_up.low,
                "followed_up_high": figures.followed_up.high,
                "rate_count": figures.rate.count,
                "rate_total": figures.rate.total,
                "rate": figures.rate.rate,
                "rate_low": figures.rate.low,
                "rate_high": figures.rate.high,
                "change_count": figures.change.count,
                "change_median": figures.change.median,
                "change_lower_quartile": figures.change.lower_quartile,
                "change_upper_quartile": figures.change.upper_quartile,
                "median_weeks_to_response": curve.median_time if curve else None,
            }
        )
    return rows


def write_csv(out: IO[str], reports: Iterable[tuple[str, CohortReport]]) -> None:
    """Write one row per cohort and outcome definition; ``reports`` are (label, report), e.g. ("a", ...)."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, restval="", lineterminator="\n")
    writer.writeheader()
    for label, report in reports:
        writer.writerows(csv_rows(label, report))
