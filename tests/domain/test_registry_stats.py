"""Registry figures: Wilson and Newcombe intervals against Newcombe's published tables, medians and quantiles
from counts against :mod:`statistics` on the expanded data, Kaplan-Meier against the 6-MP remission data
worked by hand, and suppression of small cohorts."""

from __future__ import annotations

import math
import random
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sciatrack.domain.registry_stats import (
    MINIMUM_COHORT,
    KaplanMeierCurve,
    Proportion,
    difference_interval,
    is_suppressed,
    kaplan_meier,
    median_from_counts,
    quantile_from_counts,
    wilson_interval,
)

# --- Wilson --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "total", "low", "high"),
    [
        # Newcombe RG (1998), Two-sided confidence intervals for the single proportion, Stat Med 17:857-872,
        # Table I, method 3 (score interval without continuity correction).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_it_matches_newcombes_published_wilson_intervals(
    count: int, total: int, low: float, high: float
) -> None:
    share = wilson_interval(count, total)
    assert share.count == count and share.total == total
    assert share.rate == pytest.approx(count / total)
    assert share.low == pytest.approx(low, abs=5e-5)
    assert share.high == pytest.approx(high, abs=5e-5)


def test_it_pins_the_ends_of_the_interval_at_exactly_0_and_1() -> None:
    assert wilson_interval(0, 20).low == 0.0
    assert wilson_interval(20, 20).high == 1.0
    # Symmetry: 20/20 is the mirror image of 0/20.
    assert wilson_interval(20, 20).low == pytest.approx(1 - 0.1611, abs=5e-5)


def test_it_widens_the_interval_with_the_confidence() -> None:
    narrow = wilson_interval(30, 100, confidence=0.80)
    wide = wilson_interval(30, 100, confidence=0.99)
    assert (
        narrow.low is not None and narrow.high is not None and wide.low is not None and wide.high is not None
    )
    assert wide.low < narrow.low < 0.3 < narrow.high < wide.high
    assert wide.confidence == 0.99


def test_it_gives_no_share_of_an_empty_cohort() -> None:
    assert wilson_interval(0, 0) == Proportion(0, 0, None, None, None, 0.95)


@pytest.mark.parametrize(
    ("count", "total", "confidence", "named"),
    [
        (-1, 10, 0.95, "count"),
        (11, 10, 0.95, "count"),
        (0, -1, 0.95, "total"),
        (1, 10, 0.0, "confidence"),
        (1, 10, 1.0, "confidence"),
    ],
)
def test_it_refuses_impossible_counts_naming_the_argument(
    count: int, total: int, confidence: float, named: str
) -> None:
    with pytest.raises(ValueError, match=rf"^{named} must be"):
        wilson_interval(count, total, confidence)


def test_it_says_what_count_is_allowed() -> None:
    with pytest.raises(ValueError, match=r"count must be between 0 and total \(10\), got 11"):
        wilson_interval(11, 10)


# --- Newcombe difference -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "difference", "low", "high"),
    [
        # Newcombe RG (1998), Interval estimation for the difference between independent proportions,
        # Stat Med 17:873-890, Table II, method 10 (score interval without continuity correction).
        ((56, 70), (48, 80), 0.2, 0.0524, 0.3339),
        ((9, 10), (3, 10), 0.6, 0.1705, 0.8090),
        ((6, 7), (2, 7), 4 / 7, 0.0582, 0.8062),
        ((5, 56), (0, 29), 5 / 56, -0.0381, 0.1926),
        ((0, 10), (0, 20), 0.0, -0.1611, 0.2775),
        ((0, 10), (0, 10), 0.0, -0.2775, 0.2775),
        ((10, 10), (0, 20), 1.0, 0.6791, 1.0),
        ((10, 10), (0, 10), 1.0, 0.6075, 1.0),
    ],
)
def test_it_matches_newcombes_published_difference_intervals(
    a: tuple[int, int], b: tuple[int, int], difference: float, low: float, high: float
) -> None:
    result = difference_interval(wilson_interval(*a), wilson_interval(*b))
    assert result.difference == pytest.approx(difference)
    assert result.low == pytest.approx(low, abs=5e-5)
    assert result.high == pytest.approx(high, abs=5e-5)


def test_it_mirrors_the_difference_when_the_shares_swap() -> None:
    forward = difference_interval(wilson_interval(56, 70), wilson_interval(48, 80))
    backward = difference_interval(wilson_interval(48, 80), wilson_interval(56, 70))
    assert forward.difference is not None and backward.difference is not None
    assert forward.low is not None and forward.high is not None
    assert backward.difference == pytest.approx(-forward.difference)
    assert backward.low == pytest.approx(-forward.high)
    assert backward.high == pytest.approx(-forward.low)


def test_it_gives_no_difference_with_an_empty_cohort() -> None:
    result = difference_interval(wilson_interval(3, 10), wilson_interval(0, 0))
    assert (result.difference, result.low, result.high) == (None, None, None)


def test_it_refuses_to_mix_confidences() -> None:
    with pytest.raises(ValueError, match="a and b must have the same confidence"):
        difference_interval(wilson_interval(3, 10, confidence=0.9), wilson_interval(5, 10))


# --- Medians and quantiles from counts -----------------------------------------------------------------


def expand(counts: dict[int | float, int]) -> list[int | float]:
    return [value for value, how_many in counts.items() for _ in range(how_many)]


def test_it_takes_the_middle_value_or_the_mean_of_the_two_middle_values() -> None:
    assert median_from_counts({2: 1, 5: 1, 9: 1}) == 5.0
    # 1, 2, 2, 7: the two middle values are 2 and 2.
    assert median_from_counts({7: 1, 1: 1, 2: 2}) == 2.0
    # 3, 3, 8, 8: the middle falls between 3 and 8.
    assert median_from_counts({3: 2, 8: 2}) == 5.5


def test_it_ignores_zero_counts_and_has_no_median_without_data() -> None:
    assert median_from_counts({1: 1, 4: 0, 10: 1}) == 5.5
    assert median_from_counts({}) is None
    assert median_from_counts({4: 0}) is None
    assert quantile_from_counts({4: 0}, 0.25) is None


def test_it_refuses_a_negative_count_naming_the_argument() -> None:
    with pytest.raises(ValueError, match=r"^counts must be 0 or more, got -1 for 3"):
        median_from_counts({2: 4, 3: -1})
    with pytest.raises(ValueError, match=r"^counts must be 0 or more"):
        quantile_from_counts({3: -1}, 0.5)


@pytest.mark.parametrize("q", [-0.1, 1.5])
def test_it_refuses_a_quantile_outside_0_to_1(q: float) -> None:
    with pytest.raises(ValueError, match=r"^q must be between 0 and 1"):
        quantile_from_counts({1: 3}, q)


def test_it_agrees_with_statistics_on_the_expanded_data() -> None:
    rng = random.Random(20250512)
    for _ in range(300):
        integer_scores = rng.random() < 0.5
        counts: dict[int | float, int] = {
            (rng.randint(0, 10) if integer_scores else round(rng.uniform(-5, 50), 2)): rng.randint(0, 6)
            for _ in range(rng.randint(1, 12))
        }
        data = sorted(expand(counts))
        if len(data) < 2:
            continue
        assert median_from_counts(counts) == statistics.median(data)
        quartiles = statistics.quantiles(data, n=4, method="inclusive")
        for q, expected in zip((0.25, 0.5, 0.75), quartiles, strict=True):
            assert quantile_from_counts(counts, q) == pytest.approx(expected, rel=1e-12, abs=1e-12)
        assert quantile_from_counts(counts, 0.0) == data[0]
        assert quantile_from_counts(counts, 1.0) == data[-1]


def test_it_takes_the_only_value_as_every_quantile() -> None:
    assert quantile_from_counts({6: 1}, 0.25) == 6.0
    assert quantile_from_counts({6: 1}, 0.75) == 6.0


# --- Kaplan-Meier --------------------------------------------------------------------------------------

# Freireich et al. (1963), 6-mercaptopurine group, weeks in remission (+ = censored), as in Kleinbaum &
# Klein, Survival Analysis, ch. 2, and Collett, Modelling Survival Data:
#   6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23 25+ 32+ 32+ 34+ 35+   (n = 21)
# Here a "relapse" plays the part of a response. By hand, S(t) = product of (1 - d/n) over event times:
#   t=6:  n=21 d=3  S = 18/21                 = 0.8571
#   t=7:  n=17 d=1  S = 0.8571 * 16/17        = 0.8067
#   t=10: n=15 d=1  S = 0.8067 * 14/15        = 0.7529   (9+ left before; 10+ is still at risk at 10)
#   t=13: n=12 d=1  S = 0.7529 * 11/12        = 0.6902   (10 and 10+ and 11+ left)
#   t=16: n=11 d=1  S = 0.6902 * 10/11        = 0.6275
#   t=22: n=7  d=1  S = 0.6275 * 6/7          = 0.5378   (17+, 19+, 20+ left)
#   t=23: n=6  d=1  S = 0.5378 * 5/6          = 0.4482   -> first S <= 0.5: median 23 weeks
SIX_MP_ROWS = [
    (6, 3, 1),
    (7, 1, 0),
    (9, 0, 1),
    (10, 1, 1),
    (11, 0, 1),
    (13, 1, 0),
    (16, 1, 0),
    (17, 0, 1),
    (19, 0, 1),
    (20, 0, 1),
    (22, 1, 0),
    (23, 1, 0),
    (25, 0, 1),
    (32, 0, 2),
    (34, 0, 1),
    (35, 0, 1),
]
SIX_MP_BY_HAND = {6: 0.8571, 7: 0.8067, 10: 0.7529, 13: 0.6902, 16: 0.6275, 22: 0.5378, 23: 0.4482}


def six_mp() -> KaplanMeierCurve:
    return kaplan_meier(SIX_MP_ROWS)


def test_it_reproduces_the_hand_computed_six_mp_curve() -> None:
    curve = six_mp()
    by_time = {point.time: point for point in curve.points}
    for time, survival in SIX_MP_BY_HAND.items():
        assert round(by_time[time].survival, 4) == survival
    assert [(p.time, p.at_risk, p.events, p.censored) for p in curve.points[:5]] == [
        (0, 21, 0, 0),
        (6, 21, 3, 1),
        (7, 17, 1, 0),
        (9, 16, 0, 1),
        (10, 15, 1, 1),
    ]
    assert curve.total == 21
    assert curve.median_time == 23


def test_it_has_a_point_at_week_0_and_at_every_week_with_a_response_or_a_censoring() -> None:
    curve = six_mp()
    assert [point.time for point in curve.points] == [0] + [row[0] for row in SIX_MP_ROWS]
    start = curve.points[0]
    assert (start.survival, start.low, start.high) == (1.0, 1.0, 1.0)
    # A censoring alone does not move the curve.
    by_time = {point.time: point for point in curve.points}
    assert by_time[9].survival == by_time[7].survival
    assert by_time[35].survival == by_time[23].survival


def test_it_computes_the_greenwood_log_log_interval() -> None:
    # At week 13, independently: Greenwood's sum over event times of d / (n (n - d)), then
    # se of log(-log S) = sqrt(sum) / |log S|, and the interval exp(-exp(log(-log S) ± z se)).
    greenwood = 3 / (21 * 18) + 1 / (17 * 16) + 1 / (15 * 14) + 1 / (12 * 11)
    survival = 18 / 21 * 16 / 17 * 14 / 15 * 11 / 12
    se = math.sqrt(greenwood) / abs(math.log(survival))
    z = 1.959963984540054
    low = math.exp(-math.exp(math.log(-math.log(survival)) + z * se))
    high = math.exp(-math.exp(math.log(-math.log(survival)) - z * se))
    point = next(p for p in six_mp().points if p.time == 13)
    assert point.low == pytest.approx(low, abs=1e-12)
    assert point.high == pytest.approx(high, abs=1e-12)
    # R, survfit(Surv(time, status) ~ 1, conf.type = "log-log") on the same data, prints 0.432 to 0.849.
    assert (round(low, 3), round(high, 3)) == (0.432, 0.849)


def test_it_matches_the_published_log_log_intervals() -> None:
    # R's survfit(conf.type = "log-log") on the 6-MP group, as printed to 3 decimals.
    published = {
        6: (0.620, 0.952),
        7: (0.563, 0.923),
        10: (0.503, 0.889),
        16: (0.368, 0.805),
        23: (0.188, 0.680),
    }
    by_time = {point.time: point for point in six_mp().points}
    for time, (low, high) in published.items():
        assert by_time[time].low == pytest.approx(low, abs=5e-4)
        assert by_time[time].high == pytest.approx(high, abs=5e-4)


def test_it_gives_the_share_responded_with_the_interval_flipped() -> None:
    point = next(p for p in six_mp().points if p.time == 6)
    assert point.low is not None and point.high is not None
    assert point.cumulative_incidence == pytest.approx(3 / 21)
    assert point.cumulative_incidence_low == pytest.approx(1 - point.high)
    assert point.cumulative_incidence_high == pytest.approx(1 - point.low)
    low, high = point.cumulative_incidence_low, point.cumulative_incidence_high
    assert low is not None and high is not None
    assert low < point.cumulative_incidence < high


def test_it_accepts_a_mapping_and_adds_up_repeated_weeks() -> None:
    as_mapping = kaplan_meier({time: (events, censored) for time, events, censored in SIX_MP_ROWS})
    split_rows = kaplan_meier([(6, 2, 0), (6, 1, 1), *SIX_MP_ROWS[1:], (40, 0, 0)])
    assert as_mapping == six_mp()
    assert split_rows == six_mp()


def test_it_counts_the_censored_at_a_tied_week_as_still_at_risk() -> None:
    # Four patients: at week 2 one responds and one is censored. Events first: S = 1 - 1/4, not 1 - 1/3.
    curve = kaplan_meier([(2, 1, 1), (5, 1, 0), (8, 0, 1)])
    assert curve.points[1].survival == pytest.approx(0.75)
    assert curve.points[2].at_risk == 2
    assert curve.points[2].survival == pytest.approx(0.375)
    assert curve.median_time == 5


def test_it_reads_the_step_function_at_any_week() -> None:
    curve = six_mp()
    assert curve.at(0) == curve.points[0]
    assert curve.at(5) == curve.points[0]
    at_12 = curve.at(12)
    assert at_12 is not None and at_12.time == 11
    at_13 = curve.at(13)
    assert at_13 is not None and at_13.time == 13
    assert curve.at(36) is None
    with pytest.raises(ValueError, match=r"^time must be 0 or more"):
        curve.at(-1)


def test_it_has_no_median_when_survival_stays_above_half() -> None:
    curve = kaplan_meier({4: (1, 3), 9: (0, 6)})
    assert curve.median_time is None


def test_it_ends_at_zero_without_an_interval_when_everyone_responds() -> None:
    curve = kaplan_meier({3: (1, 0), 5: (2, 0)})
    last = curve.points[-1]
    assert (last.survival, last.low, last.high) == (0.0, None, None)
    assert last.cumulative_incidence == 1.0
    assert (last.cumulative_incidence_low, last.cumulative_incidence_high) == (None, None)
    assert curve.median_time == 5


def test_it_keeps_the_interval_at_1_while_nobody_has_responded() -> None:
    curve = kaplan_meier({0: (0, 2), 3: (0, 1), 6: (1, 2)})
    assert curve.points[0].at_risk == 6 and curve.points[0].censored == 2
    assert (curve.points[1].survival, curve.points[1].low, curve.points[1].high) == (1.0, 1.0, 1.0)
    assert curve.points[2].at_risk == 3
    assert curve.points[2].survival == pytest.approx(2 / 3)


def test_it_gives_no_points_for_nobody() -> None:
    curve = kaplan_meier([])
    assert curve.points == ()
    assert curve.total == 0
    assert curve.median_time is None
    assert curve.at(3) is None


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([(-1, 1, 0)], r"^observations: weeks must be 0 or more, got -1"),
        ([(3, -1, 0)], r"^observations: events and censored must be 0 or more"),
        ([(3, 1, -2)], r"^observations: events and censored must be 0 or more"),
        ([(0, 1, 0)], r"^observations: no responses are possible at week 0"),
    ],
)
def test_it_refuses_impossible_observations_naming_the_argument(
    rows: list[tuple[int, int, int]], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        kaplan_meier(rows)


@given(st.dictionaries(st.integers(1, 104), st.integers(0, 8), min_size=1, max_size=20))
def test_it_equals_the_empirical_survival_without_censoring(events_by_week: dict[int, int]) -> None:
    n = sum(events_by_week.values())
    curve = kaplan_meier({week: (events, 0) for week, events in events_by_week.items()})
    if n == 0:
        assert curve.points == ()
        return
    responded = 0
    for point in curve.points[1:]:
        responded += point.events
        assert point.at_risk == n - responded + point.events
        assert point.survival == pytest.approx(1 - responded / n, abs=1e-12)
    expected_median = next(
        week
        for week in sorted(events_by_week)
        if sum(e for w, e in events_by_week.items() if w <= week) * 2 >= n
    )
    assert curve.median_time == expected_median


# --- Suppression ---------------------------------------------------------------------------------------


def test_it_suppresses_cohorts_below_the_minimum() -> None:
    assert MINIMUM_COHORT == 10
    assert is_suppressed(9)
    assert not is_suppressed(10)
    assert is_suppressed(4, minimum=5)
    assert not is_suppressed(5, minimum=5)


def test_it_always_suppresses_an_empty_cohort() -> None:
    assert is_suppressed(0)
    assert is_suppressed(0, minimum=0)
    assert not is_suppressed(1, minimum=0)
