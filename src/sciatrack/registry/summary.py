"""Keeping the summary table (:class:`CaseOutcome`) in step with the registry's base tables.

- :func:`refresh_cases` recomputes the summary rows of the given cases, from their base rows, with the
  pure rules of :mod:`sciatrack.domain.registry_outcomes`;
- :func:`refresh_stale` does that for every case marked stale (new follow-ups or weeks mark a case
  stale), so new data costs work in proportion to the cases it touched, not to the registry's size;
- :func:`rebuild_all` recomputes every case from scratch (``sciatrack registry refresh --full``, and the
  data migration that applied a changed responder rule); tests compare it with incremental refreshes.

Each batch is replaced inside one transaction, so a report never sees a case half refreshed. The
functions work on :class:`Tables`: the app's models by default, or a migration's historical ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps.registry import Apps
from django.db import models, transaction

from sciatrack.content.registry_schema import RegistryContent, load_registry_content
from sciatrack.domain.registry_outcomes import FollowUp, adherence_band, evaluate

from .bulk import insert_rows
from .models import CaseOutcome, RegistryCase, RegistryFollowUp, RegistryWeek

BATCH = 5_000
CASE_FIELDS = (
    "id", "clinic_id", "enrolled_on", "age_band", "triage_tier", "pattern", "program_mask",
    "sessions_per_week", "baseline_leg_pain", "baseline_back_pain", "baseline_sbi",
)  # fmt: skip
OUTCOME_COLUMNS = (
    "case_id", "outcome", "clinic_id", "enrolled_on", "age_band", "triage_tier", "pattern", "program_mask",
    "adherence_band", "status", "baseline", "value", "change", "time_week", "event",
)  # fmt: skip


@dataclass(frozen=True)
class Tables:
    """The four registry models the summary reads and writes."""

    case: type[models.Model]
    follow_up: type[models.Model]
    week: type[models.Model]
    outcome: type[models.Model]

    @classmethod
    def of(cls, apps: Apps) -> Tables:
        """The models as a migration sees them (its historical ``apps``)."""
        names = ("RegistryCase", "RegistryFollowUp", "RegistryWeek", "CaseOutcome")
        return cls(*(apps.get_model("registry", name) for name in names))


MODELS = Tables(RegistryCase, RegistryFollowUp, RegistryWeek, CaseOutcome)


def case_adherence(content: RegistryContent, sessions_per_week: int, weeks: Sequence[tuple[int, int]]) -> str:
    """The adherence band from ``(week, sessions_done)`` rows: done over prescribed up to the last week."""
    if not weeks:
        return ""
    weeks_followed = max(week for week, _ in weeks) + 1
    done = sum(sessions for _, sessions in weeks)
    return adherence_band(content.adherence_bands, done, sessions_per_week * weeks_followed)


def outcome_rows(
    content: RegistryContent,
    case: dict[str, Any],
    follow_ups: Sequence[FollowUp],
    weeks: Sequence[tuple[int, int]],
) -> Iterator[tuple[Any, ...]]:
    """The summary rows (in ``OUTCOME_COLUMNS`` order) of one case, one per outcome definition."""
    baselines = {
        "leg_pain": case["baseline_leg_pain"],
        "back_pain": case["baseline_back_pain"],
        "sbi": case["baseline_sbi"],
    }
    band = case_adherence(content, case["sessions_per_week"], weeks)
    cohort = (
        case["clinic_id"], case["enrolled_on"], case["age_band"], case["triage_tier"], case["pattern"],
        case["program_mask"], band,
    )  # fmt: skip
    for definition in content.outcomes:
        result = evaluate(definition, baselines, follow_ups)
        yield (
            case["id"], definition.id, *cohort, int(result.status), result.baseline, result.value,
            result.change, result.time_week, result.event,
        )  # fmt: skip


def _rows_for(case_ids: Sequence[int], content: RegistryContent, tables: Tables) -> Iterator[tuple[Any, ...]]:
    follow_ups: dict[int, list[FollowUp]] = defaultdict(list)
    for case_id, day, leg, back, sbi in tables.follow_up._default_manager.filter(
        case_id__in=case_ids
    ).values_list("case_id", "day", "leg_pain", "back_pain", "sbi"):
        follow_ups[case_id].append(FollowUp(day, leg, back, sbi))
    weeks: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for case_id, week, done in tables.week._default_manager.filter(case_id__in=case_ids).values_list(
        "case_id", "week", "sessions_done"
    ):
        weeks[case_id].append((week, done))
    for case in tables.case._default_manager.filter(id__in=case_ids).order_by("id").values(*CASE_FIELDS):
        yield from outcome_rows(content, case, follow_ups[case["id"]], weeks[case["id"]])


def refresh_cases(case_ids: Sequence[int], tables: Tables = MODELS) -> int:
    """Recompute the summary rows of ``case_ids`` and mark them fresh; returns how many cases."""
    content = load_registry_content()
    done = 0
    for start in range(0, len(case_ids), BATCH):
        batch = list(case_ids[start : start + BATCH])
        with transaction.atomic():
            tables.outcome._default_manager.filter(case_id__in=batch).delete()
            insert_rows(tables.outcome, OUTCOME_COLUMNS, list(_rows_for(batch, content, tables)))
            tables.case._default_manager.filter(id__in=batch).update(stale=False)
        done += len(batch)
    return done


def refresh_stale(tables: Tables = MODELS) -> int:
    """Recompute every case marked stale; returns how many cases that was."""
    done = 0
    while True:
        stale = tables.case._default_manager.filter(stale=True).order_by("id")
        batch = list(stale.values_list("id", flat=True)[:BATCH])
        if not batch:
            return done
        done += refresh_cases(batch, tables)


def rebuild_all(tables: Tables = MODELS) -> int:
    """Throw the summary table away and recompute it for every case; returns how many cases."""
    content = load_registry_content()
    cases = tables.case._default_manager
    with transaction.atomic():
        tables.outcome._default_manager.all().delete()
        cases.update(stale=True)
    done = 0
    last_id = 0
    while True:
        batch = list(cases.filter(id__gt=last_id).order_by("id").values_list("id", flat=True)[:BATCH])
        if not batch:
            return done
        with transaction.atomic():
            insert_rows(tables.outcome, OUTCOME_COLUMNS, list(_rows_for(batch, content, tables)))
            cases.filter(id__in=batch).update(stale=False)
        done += len(batch)
        last_id = batch[-1]
