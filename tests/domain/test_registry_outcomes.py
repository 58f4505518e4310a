"""One registry case against the outcome definitions: the follow-up that counts, the rules, missing data,
time to the first response, and the adherence and age bands and program mask (pure, no database)."""

from __future__ import annotations

from typing import Any

import pytest

from sciatrack.content.registry_schema import OutcomeDefinition, load_registry_content
from sciatrack.domain.outcomes import recovered
from sciatrack.domain.registry_outcomes import (
    FollowUp,
    Status,
    adherence_band,
    age_band,
    counting_follow_up,
    evaluate,
    program_mask,
    rule_met,
)
from sciatrack.domain.scoring import important_change

CONTENT = load_registry_content()


def definition(**changes: Any) -> OutcomeDefinition:
    """A leg pain responder definition at day 84 (window days 70 to 112), with ``changes``."""
    fields: dict[str, Any] = {
        "id": "test-outcome",
        "name": "Test outcome",
        "definition": "A test definition.",
        "measure": "leg_pain",
        "rule": {"kind": "improved", "minimal_important_change_of": "nprs"},
        "target_day": 84,
        "window_days": {"before": 14, "after": 28},
        "missing": "shown_apart",
        "time_to_event": True,
        "references": ["A test reference."],
        **changes,
    }
    return OutcomeDefinition.model_validate(fields)


RESPONDER = definition()
AT_MOST_1 = definition(rule={"kind": "at_most", "value": 1})
RECOVERED = definition(rule={"kind": "recovered", "recovered_of": "nprs"})
SBI_LOW = definition(measure="sbi", rule={"kind": "at_most", "value": 6.5})
SBI_IMPROVED = definition(measure="sbi", rule={"kind": "improved", "minimal_important_change_of": "sbi"})


# --- the follow-up that counts -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "chosen"),
    [
        ((80, 90), 80),  # nearest the target
        ((78, 88), 88),
        ((80, 88), 80),  # a tie goes to the earlier one
        ((88, 80), 80),  # whatever the order given
        ((70, 112), 70),  # both window edges count; tie, earlier
        ((69, 113), None),  # just outside on either side
        ((14, 42, 100), 100),
    ],
)
def test_it_counts_the_follow_up_in_the_window_nearest_the_target(
    days: tuple[int, ...], chosen: int | None
) -> None:
    found = counting_follow_up(RESPONDER, [FollowUp(day, leg_pain=3) for day in days])
    assert (found.day if found else None) == chosen


def test_it_skips_follow_ups_without_the_measure() -> None:
    follow_ups = [FollowUp(84, leg_pain=None, sbi=5), FollowUp(100, leg_pain=4)]
    assert counting_follow_up(RESPONDER, follow_ups) == FollowUp(100, leg_pain=4)
    assert counting_follow_up(SBI_LOW, follow_ups) == FollowUp(84, sbi=5)


# --- rules ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "value", "met"),
    [
        (7, 5, True),  # 2 points
        (7, 6, False),  # 1 point, 14%
        (10, 8, True),  # 2 points though only 20%
        (10, 7, True),  # 3 points, 30%
        (4, 3, False),  # 1 point, 25%
        (3, 1, True),  # a first rating of 3 or less needs 2 points: it has them
        (3, 2, False),  # 33%, but a first rating of 3 needs 2 points
        (2, 1, False),  # 50%, but only 1 point
        (2, 0, True),  # 2 points
        (1, 0, False),  # 100%, but only 1 point
        (0, 0, False),  # a baseline of 0 cannot improve
        (5, 7, False),  # worse
        (None, 2, None),  # no baseline: cannot tell
    ],
)
def test_it_applies_the_improved_rule_by_points_or_percent_above_a_first_rating_of_3(
    baseline: int | None, value: int, met: bool | None
) -> None:
    assert rule_met(RESPONDER, baseline, value) is met


@pytest.mark.parametrize("baseline", range(11))
@pytest.mark.parametrize("value", range(11))
def test_a_registry_responder_is_a_responder_on_the_progress_pages(baseline: int, value: int) -> None:
    """One rule: the registry and the clinician's pages judge leg pain alike, for every pair of ratings."""
    judged = important_change("nprs", baseline, value).verdict == "important_improvement"
    assert rule_met(RESPONDER, baseline, value) is judged


@pytest.mark.parametrize(("baseline", "value", "met"), [(20, 14, True), (20, 15, False), (2, 1, True)])
def test_an_improved_sbi_uses_the_sbi_rule(baseline: int, value: int, met: bool) -> None:
    assert rule_met(SBI_IMPROVED, baseline, value) is met  # 30% of any first score (2 to 1 is 50%)


@pytest.mark.parametrize(
    ("rule", "value", "met"),
    [
        (AT_MOST_1, 0, True),
        (AT_MOST_1, 1, True),
        (AT_MOST_1, 2, False),
        (RECOVERED, 0, True),
        (RECOVERED, 1, True),
        (RECOVERED, 2, False),
        (SBI_LOW, 6, True),
        (SBI_LOW, 7, False),
    ],
)
def test_it_applies_the_at_most_rule_with_or_without_a_baseline(
    rule: OutcomeDefinition, value: int, met: bool
) -> None:
    assert rule_met(rule, 9, value) is met
    assert rule_met(rule, None, value) is met


# --- evaluate: status, change, missing -----------------------------------------------------------------


def test_it_reports_met_with_the_change_from_baseline() -> None:
    result = evaluate(RESPONDER, {"leg_pain": 7}, [FollowUp(14, leg_pain=6), FollowUp(84, leg_pain=4)])
    assert (result.status, result.baseline, result.value, result.change) == (Status.MET, 7, 4, -3)


def test_it_reports_not_met() -> None:
    result = evaluate(RESPONDER, {"leg_pain": 7}, [FollowUp(90, leg_pain=6)])
    assert (result.status, result.value, result.change) == (Status.NOT_MET, 6, -1)


@pytest.mark.parametrize(
    ("baselines", "follow_ups"),
    [
        ({"leg_pain": 7}, []),
        ({"leg_pain": 7}, [FollowUp(42, leg_pain=1), FollowUp(120, leg_pain=1)]),  # none in the window
        ({"leg_pain": 7}, [FollowUp(84, sbi=3)]),  # in the window, without leg pain
        ({"leg_pain": None}, [FollowUp(84, leg_pain=1)]),  # improved needs a baseline
        ({}, [FollowUp(84, leg_pain=1)]),
    ],
)
def test_it_reports_missing(baselines: dict[str, int | None], follow_ups: list[FollowUp]) -> None:
    result = evaluate(RESPONDER, baselines, follow_ups)
    assert result.status is Status.MISSING
    assert result.change is None


def test_recovered_in_the_registry_is_recovered_on_the_progress_pages() -> None:
    for rating in range(11):
        assert rule_met(RECOVERED, 9, rating) is recovered(rating), rating


def test_an_at_most_rule_needs_no_baseline() -> None:
    result = evaluate(AT_MOST_1, {"leg_pain": None}, [FollowUp(84, leg_pain=1)])
    assert (result.status, result.value, result.change) == (Status.MET, 1, None)


# --- time to event -------------------------------------------------------------------------------------


def test_it_times_the_first_follow_up_that_meets_the_rule_in_weeks() -> None:
    follow_ups = [FollowUp(84, leg_pain=1), FollowUp(14, leg_pain=6), FollowUp(45, leg_pain=4)]
    result = evaluate(RESPONDER, {"leg_pain": 7}, follow_ups)
    assert (result.time_week, result.event) == (6, True)  # day 45 is in week 6


def test_a_low_first_rating_responds_only_when_it_is_2_points_lower() -> None:
    follow_ups = [FollowUp(14, leg_pain=2), FollowUp(45, leg_pain=1), FollowUp(84, leg_pain=2)]
    result = evaluate(RESPONDER, {"leg_pain": 3}, follow_ups)
    assert (result.time_week, result.event) == (6, True)  # 3 to 2 at day 14 is 33%, but only 1 point
    assert (result.status, result.change) == (Status.NOT_MET, -1)  # the 12-week follow-up: 3 to 2


def test_it_censors_at_the_last_follow_up_with_the_measure_when_never_met() -> None:
    follow_ups = [FollowUp(14, leg_pain=7), FollowUp(50, leg_pain=6), FollowUp(90, sbi=3)]
    result = evaluate(RESPONDER, {"leg_pain": 7}, follow_ups)
    assert (result.status, result.time_week, result.event) == (Status.MISSING, 7, False)


def test_it_counts_an_event_outside_the_window_too() -> None:
    result = evaluate(RESPONDER, {"leg_pain": 7}, [FollowUp(14, leg_pain=3)])
    assert (result.status, result.time_week, result.event) == (Status.MISSING, 2, True)


@pytest.mark.parametrize("follow_ups", [[], [FollowUp(0, leg_pain=1)]])
def test_it_censors_at_week_0_without_a_follow_up_after_the_baseline(follow_ups: list[FollowUp]) -> None:
    result = evaluate(RESPONDER, {"leg_pain": 7}, follow_ups)
    assert (result.time_week, result.event) == (0, False)


# --- bands and mask ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("done", "prescribed", "band"),
    [
        (3, 4, "high"),
        (30, 28, "high"),  # more than prescribed
        (74, 100, "medium"),
        (1, 2, "medium"),
        (49, 100, "low"),
        (1, 4, "low"),
        (24, 100, "minimal"),
        (0, 14, "minimal"),
        (5, 0, ""),  # nothing prescribed: no band
    ],
)
def test_it_bands_adherence_at_the_edges(done: int, prescribed: int, band: str) -> None:
    assert adherence_band(CONTENT.adherence_bands, done, prescribed) == band


@pytest.mark.parametrize(
    ("age", "band"),
    [(16, "16-29"), (29, "16-29"), (30, "30-39"), (49, "40-49"), (50, "50-59"), (69, "60-69"), (70, "70+")],
)
def test_it_bands_ages_at_the_edges(age: int, band: str) -> None:
    assert age_band(CONTENT.age_bands, age) == band
    assert age_band(CONTENT.age_bands, 110) == "70+"


def test_it_refuses_an_age_below_the_youngest_band() -> None:
    with pytest.raises(ValueError, match="at least 16"):
        age_band(CONTENT.age_bands, 15)


def test_it_masks_a_program_by_its_exercise_bits() -> None:
    bits = CONTENT.program_bits
    assert program_mask(bits, []) == 0
    assert program_mask(bits, ["hamstring-ball-release", "lift-off"]) == 0b101
    assert program_mask(bits, ["lift-off", "lift-off"]) == 0b100


def test_it_names_an_exercise_without_a_bit() -> None:
    with pytest.raises(ValueError, match="'wall-angels' has no registry bit"):
        program_mask(CONTENT.program_bits, ["lift-off", "wall-angels"])
