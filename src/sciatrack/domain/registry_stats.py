"""Figures for the outcome registry: a cohort of patients across clinics, summarised without anyone's
record (pure logic, standard library only).

- :func:`wilson_interval`: a share (for example responders out of patients followed up) with its Wilson
  score interval, which stays inside 0 to 1 and behaves at 0 and at the total, unlike the plain
  ``p ± z·se``.
- :func:`difference_interval`: the difference between two shares with Newcombe's hybrid score interval
  (method 10 of Newcombe 1998), built from the two Wilson intervals.
- :func:`median_from_counts` and :func:`quantile_from_counts`: the median and quantiles of a distribution
  given as value -> how many (a score and the number of patients with it), with the same definitions as
  :func:`statistics.median` and ``statistics.quantiles(method="inclusive")``, without expanding the data.
- :func:`kaplan_meier`: time to response in whole weeks, with patients last seen without responding
  counted as censored; 95% intervals from Greenwood's variance on the log(-log) scale; the share responded
  by week *t* is ``1 - survival``.
- :func:`is_suppressed`: a cohort smaller than the configured minimum is not shown.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from statistics import NormalDist

MINIMUM_COHORT = 10  # default smallest cohort the registry shows
# Survival is a product of ratios; a curve that reaches exactly one half must not miss it by a rounding error.
HALF_TOLERANCE = 1e-9


def _z(confidence: float) -> float:
    """The two-sided standard normal quantile for ``confidence``; ValueError unless 0 < confidence < 1."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (exclusive), got {confidence!r}")
    return NormalDist().inv_cdf(0.5 + confidence / 2)


# --- Proportions ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proportion:
    """``count`` out of ``total`` with its Wilson interval at ``confidence``.

    ``rate``, ``low`` and ``high`` are None when ``total`` is 0 (there is no share of nobody).
    """

    count: int
    total: int
    rate: float | None
    low: float | None
    high: float | None
    confidence: float = 0.95


def wilson_interval(count: int, total: int, confidence: float = 0.95) -> Proportion:
    """The share ``count / total`` with its Wilson score interval (no continuity correction).

    Raises ValueError, naming the argument, unless ``total >= 0``, ``0 <= count <= total`` and
    ``0 < confidence < 1``. At ``count == 0`` the interval starts at exactly 0, at ``count == total`` it
    ends at exactly 1.
    """
    if total < 0:
        raise ValueError(f"total must be 0 or more, got {total!r}")
    if not 0 <= count <= total:
        raise ValueError(f"count must be between 0 and total ({total}), got {count!r}")
    z = _z(confidence)
    if total == 0:
        return Proportion(count, total, None, None, None, confidence)
    p = count / total
    z2_n = z * z / total
    centre = (p + z2_n / 2) / (1 + z2_n)
    half_width = z / (1 + z2_n) * math.sqrt(p * (1 - p) / total + z2_n / (4 * total))
    # The formula gives 0 and 1 at the ends only up to rounding; a published "0 to 0.1611" must read as 0.
    low = 0.0 if count == 0 else max(0.0, centre - half_width)
    high = 1.0 if count == total else min(1.0, centre + half_width)
    return Proportion(count, total, p, low, high, confidence)


@dataclass(frozen=True)
class Difference:
    """``a.rate - b.rate`` with its interval; all None when either share has a total of 0."""

    difference: float | None
    low: float | None
    high: float | None


def difference_interval(a: Proportion, b: Proportion) -> Difference:
    """The difference ``a.rate - b.rate`` with Newcombe's hybrid score interval (method 10, Newcombe 1998).

    The interval is built from the Wilson intervals already in ``a`` and ``b``, so it has their confidence;
    ValueError when the two were computed at different confidences.
    """
    if a.confidence != b.confidence:
        raise ValueError(f"a and b must have the same confidence, got {a.confidence!r} and {b.confidence!r}")
    if a.rate is None or b.rate is None:
        return Difference(None, None, None)
    # Wilson intervals exist whenever the rate does (both come from a total above 0).
    assert a.low is not None and a.high is not None and b.low is not None and b.high is not None
    difference = a.rate - b.rate
    low = difference - math.hypot(a.rate - a.low, b.high - b.rate)
    high = difference + math.hypot(a.high - a.rate, b.rate - b.low)
    return Difference(difference, max(-1.0, low), min(1.0, high))


# --- Distributions given as counts ---------------------------------------------------------------------


def _sorted_counts(counts: Mapping[int | float, int]) -> tuple[list[int | float], list[int]]:
    """The values with a count above 0 in ascending order, and the running total of their counts."""
    values: list[int | float] = []
    running: list[int] = []
    total = 0
    for value in sorted(counts):
        how_many = counts[value]
        if how_many < 0:
            raise ValueError(f"counts must be 0 or more, got {how_many!r} for {value!r}")
        if how_many == 0:
            continue
        total += how_many
        values.append(value)
        running.append(total)
    return values, running


def _value_at(values: list[int | float], running: list[int], rank: int) -> int | float:
    """The value at 0-based ``rank`` of the expanded, sorted data."""
    return values[bisect_right(running, rank)]


def median_from_counts(counts: Mapping[int | float, int]) -> float | None:
    """The median of the data holding each value ``counts[value]`` times.

    The middle value for an odd total, the mean of the two middle values for an even one (as
    :func:`statistics.median`); None when there is no data. Values with a count of 0 are ignored; a
    negative count raises ValueError.
    """
    values, running = _sorted_counts(counts)
    if not values:
        return None
    n = running[-1]
    lower = _value_at(values, running, (n - 1) // 2)
    upper = _value_at(values, running, n // 2)
    return float(lower) if n % 2 else (lower + upper) / 2


def quantile_from_counts(counts: Mapping[int | float, int], q: float) -> float | None:
    """The ``q`` quantile (0 <= q <= 1) of the data holding each value ``counts[value]`` times.

    Linear interpolation between the closest ranks: position ``(n - 1)·q`` in the sorted data, the
    definition of ``statistics.quantiles(method="inclusive")`` (so ``q=0.25`` and ``q=0.75`` are its
    quartiles, and ``q=0.5`` is the median). None when there is no data; ValueError for ``q`` outside 0 to 1
    or a negative count.
    """
    if not 0 <= q <= 1:
        raise ValueError(f"q must be between 0 and 1, got {q!r}")
    values, running = _sorted_counts(counts)
    if not values:
        return None
    position = (running[-1] - 1) * q
    rank = math.floor(position)
    fraction = position - rank
    below = _value_at(values, running, rank)
    if fraction == 0:
        return float(below)
    above = _value_at(values, running, rank + 1)
    return below + (above - below) * fraction


# --- Time to response (Kaplan-Meier) -------------------------------------------------------------------


@dataclass(frozen=True)
class KaplanMeierPoint:
    """The curve at week ``time``.

    ``at_risk`` patients had neither responded nor left follow-up before ``time``; of them ``events``
    responded at ``time`` and ``censored`` were last seen at ``time`` without responding. ``survival`` is the
    estimated share not yet responded after ``time``, with its interval ``low`` to ``high``. The interval is
    None only once survival is 0 (the log(-log) scale has no room there).
    """

    time: int
    at_risk: int
    events: int
    censored: int
    survival: float
    low: float | None
    high: float | None

    @property
    def cumulative_incidence(self) -> float:
        """The estimated share responded by ``time``: ``1 - survival``."""
        return 1 - self.survival

    @property
    def cumulative_incidence_low(self) -> float | None:
        """The lower end of the interval of :attr:`cumulative_incidence` (``1 - high``)."""
        return None if self.high is None else 1 - self.high

    @property
    def cumulative_incidence_high(self) -> float | None:
        """The upper end of the interval of :attr:`cumulative_incidence` (``1 - low``)."""
        return None if self.low is None else 1 - self.low


@dataclass(frozen=True)
class KaplanMeierCurve:
    """The points of the curve by time: week 0 (survival 1) and every week with a response or a censoring.

    No points at all for a cohort of nobody.
    """

    points: tuple[KaplanMeierPoint, ...]

    @property
    def total(self) -> int:
        """The number of patients in the cohort."""
        return self.points[0].at_risk if self.points else 0

    @property
    def median_time(self) -> int | None:
        """The first week at which survival is 0.5 or less (half have responded); None if it never is."""
        for point in self.points:
            if point.survival <= 0.5 + HALF_TOLERANCE:
                return point.time
        return None

    def at(self, time: int) -> KaplanMeierPoint | None:
        """The point in force at week ``time`` (the curve is a step function: the last point at or before it).

        None after the last point, where nobody is left to estimate from.
        """
        if time < 0:
            raise ValueError(f"time must be 0 or more, got {time!r}")
        if not self.points or time > self.points[-1].time:
            return None
        times = [point.time for point in self.points]
        index = bisect_left(times, time)
        return self.points[index] if times[index] == time else self.points[index - 1]


def kaplan_meier(
    observations: Mapping[int, tuple[int, int]] | Iterable[tuple[int, int, int]],
    confidence: float = 0.95,
) -> KaplanMeierCurve:
    """The Kaplan-Meier curve of time to response.

    ``observations`` is either a mapping of week -> ``(events, censored)`` or rows of
    ``(week, events, censored)``, which are added up per week. At a week with both, the responses come
    before the censorings (those censored were still at risk). The interval is Kalbfleisch and Prentice's:
    Greenwood's variance on the log(-log) scale, ``survival ** exp(±z·se)``; it is exactly 1 to 1 while
    nobody has responded.

    Raises ValueError, naming ``observations``, for a negative week or count, or responses at week 0 (a
    response is measured against the baseline, so it cannot happen at it).
    """
    z = _z(confidence)
    rows = (
        ((time, events, censored) for time, (events, censored) in observations.items())
        if isinstance(observations, Mapping)
        else observations
    )
    by_time: dict[int, tuple[int, int]] = {}
    for time, events, censored in rows:
        if time < 0:
            raise ValueError(f"observations: weeks must be 0 or more, got {time!r}")
        if events < 0 or censored < 0:
            raise ValueError(
                f"observations: events and censored must be 0 or more, got {events!r} and {censored!r} "
                f"at week {time}"
            )
        if time == 0 and events:
            raise ValueError(f"observations: no responses are possible at week 0, got {events!r}")
        before = by_time.get(time, (0, 0))
        by_time[time] = (before[0] + events, before[1] + censored)

    at_risk = sum(events + censored for events, censored in by_time.values())
    if at_risk == 0:
        return KaplanMeierCurve(())
    censored_at_start = by_time.pop(0, (0, 0))[1]
    points = [KaplanMeierPoint(0, at_risk, 0, censored_at_start, 1.0, 1.0, 1.0)]
    at_risk -= censored_at_start
    survival = 1.0
    greenwood = 0.0
    for time in sorted(by_time):
        events, censored = by_time[time]
        if events + censored == 0:
            continue
        low: float | None
        high: float | None
        if events == at_risk:
            survival, low, high = 0.0, None, None
        else:
            survival *= 1 - events / at_risk
            greenwood += events / (at_risk * (at_risk - events))
            low, high = _log_log_interval(survival, greenwood, z)
        points.append(KaplanMeierPoint(time, at_risk, events, censored, survival, low, high))
        at_risk -= events + censored
    return KaplanMeierCurve(tuple(points))


def _log_log_interval(survival: float, greenwood: float, z: float) -> tuple[float, float]:
    """``survival ** exp(±z·se)`` with ``se = sqrt(greenwood) / |log survival|``, for 0 < survival <= 1."""
    if survival >= 1:
        return 1.0, 1.0
    log_survival = math.log(survival)
    factor = math.exp(z * math.sqrt(greenwood) / -log_survival)
    # A larger power of a number below 1 is smaller: the wider factor gives the lower end.
    return survival**factor, survival ** (1 / factor)


# --- Small cohorts -------------------------------------------------------------------------------------


def is_suppressed(total: int, minimum: int = MINIMUM_COHORT) -> bool:
    """True when a cohort of ``total`` patients is too small to show: below ``minimum``, or empty."""
    return total < max(minimum, 1)
