"""The registry report against an independent computation with pandas on the same cases.

The cases, follow-ups and weekly records are made here with a fixed seed; the summary table is brought up to
date with ``summary.refresh_stale()``. pandas then works the cohort out from the base tables (its adherence
bands from the weekly records) and recomputes every figure from the per-case results: counts, Wilson
intervals, median and quartiles of the change, and the Kaplan-Meier curve with Greenwood's log(-log)
interval.
"""

from __future__ import annotations

import io
import json
import math
import random
from datetime import date, timedelta
from typing import Any

import pandas as pd
import pytest

from sciatrack import cli
from sciatrack.accounts.models import Clinic
from sciatrack.content.registry_schema import load_registry_content
from sciatrack.registry import summary
from sciatrack.registry.cohort import Cohort, CohortError
from sciatrack.registry.models import CaseOutcome, RegistryCase, RegistryFollowUp, RegistryWeek
from sciatrack.registry.report import CohortReport, cohort_report, compare
from sciatrack.registry.report_export import CSV_COLUMNS, comparison_as_dict, report_as_dict, write_csv

pytestmark = pytest.mark.django_db

Z = 1.959963984540054
CONTENT = load_registry_content()
AGE_BANDS = [band.id for band in CONTENT.age_bands]
TIERS = ["soon", "routine", "self_care"]
PATTERNS = ["extension_biased", "flexion_biased", "unclear"]
FIRST_DAY = date(2025, 1, 1)
CASES = 600


def make_registry(seed: int = 7, cases: int = CASES) -> list[Clinic]:
    """Three clinics and ``cases`` cases with follow-ups and weekly records, drawn from ``seed``."""
    rng = random.Random(seed)
    clinics = [
        Clinic.objects.create(name=name.title(), slug=name) for name in ("riverside", "hillside", "lakeside")
    ]
    follow_ups, weeks = [], []
    for _ in range(cases):
        leg = rng.choice([None, *range(2, 11)])  # a few without a first leg pain score
        case = RegistryCase.objects.create(
            clinic=rng.choice(clinics),
            enrolled_on=FIRST_DAY + timedelta(days=rng.randrange(365)),
            age_band=rng.choice(AGE_BANDS),
            triage_tier=rng.choice(TIERS),
            pattern=rng.choice(PATTERNS),
            program_mask=rng.randrange(128),
            sessions_per_week=rng.choice([0, 3, 5]),
            baseline_leg_pain=leg,
            baseline_back_pain=rng.randrange(11),
            baseline_sbi=rng.randrange(25),
        )
        for target in (14, 42, 84, 182):
            if rng.random() < 0.75:
                follow_ups.append(
                    RegistryFollowUp(
                        case=case,
                        day=target + rng.randrange(-7, 30),  # from day 7, as in the care app
                        leg_pain=None if rng.random() < 0.1 else max(0, (leg or 6) - rng.randrange(-2, 7)),
                        back_pain=rng.randrange(11),
                        sbi=rng.randrange(25),
                    )
                )
        for week in range(rng.randrange(0, 14)):
            weeks.append(
                RegistryWeek(
                    case=case, week=week, sessions_done=rng.randrange(6), diary_days=rng.randrange(8)
                )
            )
    RegistryFollowUp.objects.bulk_create(follow_ups)
    RegistryWeek.objects.bulk_create(weeks)
    summary.refresh_stale()
    return clinics


@pytest.fixture
def clinics() -> list[Clinic]:
    return make_registry()


# --- The independent computation -------------------------------------------------------------------------


def adherence_of(cases: pd.DataFrame, weeks: pd.DataFrame) -> pd.Series:
    """Each case's adherence band ('none' without prescribed sessions or weekly records), worked out here."""
    per_case = weeks.groupby("case_id").agg(done=("sessions_done", "sum"), last=("week", "max"))
    joined = cases.join(per_case, on="id")
    prescribed = joined["sessions_per_week"] * (joined["last"] + 1)
    share = joined["done"] / prescribed

    def band(row_share: float, row_prescribed: float) -> str:
        if pd.isna(row_prescribed) or row_prescribed <= 0:
            return "none"
        for item in CONTENT.adherence_bands:
            if row_share >= item.at_least:
                return item.id
        return CONTENT.adherence_bands[-1].id

    return pd.Series([band(s, p) for s, p in zip(share, prescribed, strict=True)], index=cases.index)


def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    cases = pd.DataFrame(list(RegistryCase.objects.values()))
    weeks = pd.DataFrame(list(RegistryWeek.objects.values("case_id", "week", "sessions_done")))
    cases["adherence"] = adherence_of(cases, weeks)
    results = pd.DataFrame(
        list(CaseOutcome.objects.values("case_id", "outcome", "status", "change", "time_week", "event"))
    )
    return cases, results


def in_cohort(cases: pd.DataFrame, params: dict[str, list[str]]) -> pd.DataFrame:
    chosen = cases
    if params.get("clinic"):
        ids = list(Clinic.objects.filter(slug__in=params["clinic"]).values_list("id", flat=True))
        chosen = chosen[chosen["clinic_id"].isin(ids)]
    if params.get("from"):
        chosen = chosen[chosen["enrolled_on"] >= date.fromisoformat(params["from"][0])]
    if params.get("to"):
        chosen = chosen[chosen["enrolled_on"] <= date.fromisoformat(params["to"][0])]
    for key, column in (("age_band", "age_band"), ("tier", "triage_tier"), ("pattern", "pattern")):
        if params.get(key):
            chosen = chosen[chosen[column].isin(params[key])]
    if params.get("adherence"):
        chosen = chosen[chosen["adherence"].isin(params["adherence"])]
    for exercise in params.get("exercise", []):
        bit = 1 << CONTENT.program_bits[exercise]
        chosen = chosen[(chosen["program_mask"] & bit) != 0]
    return chosen


def wilson(count: int, total: int) -> tuple[float, float, float]:
    p = count / total
    centre = (p + Z * Z / (2 * total)) / (1 + Z * Z / total)
    half = Z / (1 + Z * Z / total) * math.sqrt(p * (1 - p) / total + Z * Z / (4 * total * total))
    return p, max(0.0, centre - half), min(1.0, centre + half)


def kaplan_meier_frame(times: pd.Series, events: pd.Series) -> pd.DataFrame:
    """Survival by week with Greenwood's log(-log) interval, one row per week with a response or censoring."""
    frame = pd.DataFrame({"time": times, "event": events.astype(int)})
    table = frame.groupby("time").agg(events=("event", "sum"), leaving=("event", "size")).sort_index()
    table["at_risk"] = table["leaving"][::-1].cumsum()[::-1]
    table["survival"] = (1 - table["events"] / table["at_risk"]).cumprod()
    table["greenwood"] = (
        table["events"] / (table["at_risk"] * (table["at_risk"] - table["events"]))
    ).cumsum()
    log_s = pd.Series(
        [math.log(s) if 0 < s < 1 else float("nan") for s in table["survival"]], index=table.index
    )
    factor = (Z * table["greenwood"].pow(0.5) / -log_s).map(math.exp)
    table["low"] = table["survival"] ** factor
    table["high"] = table["survival"] ** (1 / factor)
    return table


def assert_report_matches(report: CohortReport, params: dict[str, list[str]]) -> None:
    cases, results = frames()
    chosen = in_cohort(cases, params)
    assert report.patients == len(chosen)
    assert not report.suppressed
    for figures in report.outcomes:
        definition = figures.definition
        rows = results[(results["outcome"] == definition.id) & results["case_id"].isin(chosen["id"])]
        met = int((rows["status"] == 1).sum())
        not_met = int((rows["status"] == 0).sum())
        missing = int((rows["status"] == -1).sum())
        assert (figures.met, figures.not_met, figures.missing) == (met, not_met, missing), definition.id
        assert (figures.followed_up.count, figures.followed_up.total) == (met + not_met, len(chosen))
        assert (figures.followed_up.rate, figures.followed_up.low, figures.followed_up.high) == pytest.approx(
            wilson(met + not_met, len(chosen))
        )
        total = met + not_met if definition.missing == "shown_apart" else len(chosen)
        assert (figures.rate.count, figures.rate.total) == (met, total)
        assert (figures.rate.rate, figures.rate.low, figures.rate.high) == pytest.approx(wilson(met, total))

        changes = rows["change"].dropna()
        assert figures.change.count == len(changes)
        assert figures.change.median == pytest.approx(changes.median())
        assert figures.change.lower_quartile == pytest.approx(changes.quantile(0.25))
        assert figures.change.upper_quartile == pytest.approx(changes.quantile(0.75))

        if not definition.time_to_event:
            assert figures.time_to_response is None
            continue
        curve = figures.time_to_response
        assert curve is not None
        expected = kaplan_meier_frame(rows["time_week"], rows["event"])
        after_start = [point for point in curve.points if point.time > 0]
        expected = expected[expected.index > 0]
        assert [point.time for point in after_start] == list(expected.index)
        assert [p.at_risk for p in after_start] == list(expected["at_risk"])
        assert [p.survival for p in after_start] == pytest.approx(list(expected["survival"]))
        for point, (_, row) in zip(after_start, expected.iterrows(), strict=True):
            if point.survival > 0:
                assert (point.low, point.high) == pytest.approx((row["low"], row["high"]))
        below_half = expected[expected["survival"] <= 0.5]
        assert curve.median_time == (None if below_half.empty else int(below_half.index[0]))


# --- The tests --------------------------------------------------------------------------------------------


def test_it_matches_pandas_for_the_whole_network(clinics: list[Clinic]) -> None:
    report = cohort_report(Cohort.from_params({}, None), minimum=10)
    assert report.cohort.whole_network
    assert report.patients == CASES
    assert [figures.definition.id for figures in report.outcomes] == [d.id for d in CONTENT.outcomes]
    assert_report_matches(report, {})


@pytest.mark.parametrize(
    "params",
    [
        {"clinic": ["riverside", "lakeside"], "from": ["2025-03-01"], "to": ["2025-10-31"]},
        {"age_band": ["30-39", "40-49", "50-59"], "tier": ["routine", "self_care"]},
        {"pattern": ["extension_biased"], "exercise": ["mckenzie-extension", "lift-off"]},
        {"adherence": ["high", "medium", "none"], "clinic": ["hillside"]},
    ],
)
def test_it_matches_pandas_for_a_filtered_cohort(clinics: list[Clinic], params: dict[str, list[str]]) -> None:
    report = cohort_report(Cohort.from_params(params, None), minimum=10)
    assert 10 <= report.patients < CASES  # a real subset, big enough to show
    assert_report_matches(report, params)


def test_it_counts_the_cohort_in_two_queries(clinics: list[Clinic], django_assert_num_queries: Any) -> None:
    cohort = Cohort.from_params({"clinic": ["riverside"], "exercise": ["heel-slides"]}, None)
    with django_assert_num_queries(2):
        report = cohort_report(cohort, minimum=10, content=CONTENT)
    assert not report.suppressed


def test_it_suppresses_a_cohort_below_the_minimum(clinics: list[Clinic]) -> None:
    params = {"clinic": ["riverside"], "from": ["2025-01-01"], "to": ["2025-01-20"], "age_band": ["30-39"]}
    cohort = Cohort.from_params(params, None)
    size = len(in_cohort(frames()[0], {k: list(v) for k, v in params.items()}))
    assert 0 < size < 10
    report = cohort_report(cohort, minimum=10)
    assert report.suppressed and report.outcomes == ()
    data = report_as_dict(report)
    assert data["suppressed"] is True and data["patients"] is None and data["outcomes"] == []
    assert not cohort_report(cohort, minimum=size).suppressed  # at the minimum it is shown
    assert cohort_report(Cohort.from_params({"from": ["2030-01-01"]}, None), minimum=1).suppressed  # nobody


def test_it_counts_missing_follow_ups_as_the_definition_says(clinics: list[Clinic]) -> None:
    report = cohort_report(Cohort.from_params({}, None), minimum=10)
    by_id = {figures.definition.id: figures for figures in report.outcomes}
    apart = by_id["leg-pain-responder-12w"]
    strict = by_id["leg-pain-responder-26w-strict"]
    assert apart.definition.missing == "shown_apart" and strict.definition.missing == "counted_as_not_met"
    assert apart.missing > 0 and strict.missing > 0
    assert apart.rate.total == apart.met + apart.not_met < report.patients
    assert strict.rate.total == report.patients
    assert strict.rate.rate == pytest.approx(strict.met / report.patients)


def test_it_compares_two_cohorts_with_newcombes_interval(clinics: list[Clinic]) -> None:
    a = cohort_report(Cohort.from_params({"clinic": ["riverside"]}, None), minimum=10)
    b = cohort_report(Cohort.from_params({"clinic": ["hillside"]}, None), minimum=10)
    comparison = compare(a, b)
    assert len(comparison.outcomes) == len(CONTENT.outcomes)
    for item in comparison.outcomes:
        assert item.a is not None and item.b is not None and item.difference is not None
        p1, l1, u1 = wilson(item.a.rate.count, item.a.rate.total)
        p2, l2, u2 = wilson(item.b.rate.count, item.b.rate.total)
        low = p1 - p2 - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
        high = p1 - p2 + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
        assert (item.difference.difference, item.difference.low, item.difference.high) == pytest.approx(
            (p1 - p2, low, high)
        )
    data = comparison_as_dict(comparison)
    assert data["a"]["cohort"]["clinics"] == ["riverside"] and len(data["differences"]) == len(
        CONTENT.outcomes
    )

    tiny = cohort_report(Cohort.from_params({"clinic": ["riverside"]}, None), minimum=CASES)
    assert all(item.difference is None and item.a is None for item in compare(tiny, b).outcomes)


def test_it_writes_one_csv_row_per_cohort_and_outcome_without_case_ids(clinics: list[Clinic]) -> None:
    a = cohort_report(Cohort.from_params({"clinic": ["riverside"]}, None), minimum=10)
    b = cohort_report(Cohort.from_params({}, None), minimum=CASES + 1)  # suppressed
    out = io.StringIO()
    write_csv(out, [("a", a), ("b", b)])
    table = pd.read_csv(io.StringIO(out.getvalue()))
    assert list(table.columns) == list(CSV_COLUMNS)
    assert len(table) == 2 * len(CONTENT.outcomes)
    shown = table[table["cohort"] == "a"]
    assert list(shown["patients"]) == [a.patients] * len(CONTENT.outcomes)
    assert table[table["cohort"] == "b"]["patients"].isna().all()
    assert not any("case" in column for column in table.columns)


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"age_band": ["30-39", "25-35"]}, "age_band", "'25-35' is not allowed; choose from 16-29, 30-39"),
        ({"tier": "urgent,later"}, "tier", "'later' is not allowed"),
        ({"pattern": ["sideways"]}, "pattern", "choose from extension_biased, flexion_biased, unclear"),
        ({"exercise": ["cartwheel"]}, "exercise", "'cartwheel' is not allowed"),
        ({"adherence": ["perfect"]}, "adherence", "choose from high, medium, low, minimal, none"),
        ({"from": ["2025-02-30"]}, "from", "is not a date; write it as YYYY-MM-DD"),
        ({"to": ["soon"]}, "to", "'soon' is not a date"),
        (
            {"from": ["2025-06-01"], "to": ["2025-05-01"]},
            "from",
            "2025-06-01 is after the 'to' date 2025-05-01",
        ),
        ({"from": ["2025-01-01", "2025-02-01"]}, "from", "give one date"),
        ({"clinic": ["nowhere"]}, "clinic", "there is no clinic 'nowhere'"),
    ],
)
def test_it_refuses_a_bad_cohort_naming_the_field(
    clinics: list[Clinic], params: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(CohortError) as caught:
        Cohort.from_params(params, None)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")
    assert words in str(caught.value)


def test_it_keeps_a_clinic_admin_to_the_clinics_allowed(clinics: list[Clinic]) -> None:
    riverside, hillside, _ = clinics
    own = Cohort.from_params({}, [riverside.id])
    assert [clinic.slug for clinic in own.clinics] == ["riverside"] and not own.whole_network
    with pytest.raises(CohortError) as caught:
        Cohort.from_params({"clinic": ["hillside"]}, [riverside.id])
    assert caught.value.field == "clinic"
    assert "'hillside' is not a clinic you may see; you may see riverside" in str(caught.value)
    with pytest.raises(CohortError, match=r"^b_clinic: "):
        Cohort.from_params({"b_clinic": ["nowhere"]}, [riverside.id], prefix="b_")
    both = Cohort.from_params({"clinic": "hillside,riverside"}, [riverside.id, hillside.id])
    assert [clinic.slug for clinic in both.clinics] == ["hillside", "riverside"]


def test_it_describes_the_cohort_in_plain_words(clinics: list[Clinic]) -> None:
    cohort = Cohort.from_params(
        {
            "clinic": ["riverside", "hillside"],
            "from": "2025-01-01",
            "to": "2025-06-30",
            "age_band": ["30-39", "40-49"],
            "tier": ["self_care"],
            "exercise": ["mckenzie-extension"],
            "adherence": ["high"],
        },
        None,
    )
    text = cohort.describe()
    assert text.startswith("Riverside and Hillside; enrolled from 1 January 2025 to 30 June 2025")
    assert "aged 30-39 or 40-49" in text and "triage result self-care" in text
    assert "program includes McKenzie" in text and "75% or more of sessions" in text
    assert Cohort.from_params({}, None).describe() == "All clinics in the network"
    # The parameters read back to the same cohort.
    params: dict[str, list[str]] = {}
    for key, value in cohort.as_params():
        params.setdefault(key, []).append(value)
    assert Cohort.from_params(params, None) == cohort


def test_it_prints_the_same_json_from_the_command_line(
    clinics: list[Clinic], capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "--clinic",
        "riverside",
        "hillside",
        "--age-band",
        "30-39",
        "40-49",
        "50-59",
        "--from",
        "2025-02-01",
    ]
    assert cli.main(["registry", "report", "--json", *args]) == 0
    printed = json.loads(capsys.readouterr().out)
    cohort = Cohort.from_params(
        {"clinic": ["riverside", "hillside"], "age_band": ["30-39", "40-49", "50-59"], "from": "2025-02-01"},
        None,
    )
    assert printed == json.loads(json.dumps(report_as_dict(cohort_report(cohort, minimum=10))))
    assert printed["patients"] > 10 and len(printed["outcomes"]) == len(CONTENT.outcomes)


def test_it_prints_plain_words_and_refuses_bad_options(
    clinics: list[Clinic], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["registry", "report", "--tier", "routine"]) == 0
    text = capsys.readouterr().out
    assert "Outcome registry: All clinics in the network; triage result routine" in text
    assert "Leg pain responder at 12 weeks" in text and "Time to response:" in text

    assert cli.main(["registry", "report", "--age-band", "12-15"]) == 2
    assert "--age-band: '12-15' is not allowed" in capsys.readouterr().err
    assert cli.main(["registry", "report", "--min-cohort", "0"]) == 2
    assert "--min-cohort" in capsys.readouterr().err
    assert cli.main(["registry", "report", "--clinic", "riverside", "--min-cohort", str(CASES)]) == 0
    assert "Fewer than 600 patients match; no figures are shown" in capsys.readouterr().out
