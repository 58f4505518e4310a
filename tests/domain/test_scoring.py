"""Scoring the baseline measures and judging change against the minimal important change."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from sciatrack.content.rules_loader import get_questionnaire, load_questionnaires
from sciatrack.content.rules_schema import ImportantChange
from sciatrack.domain.scoring import ScoreError, important_change, rules_reached, score


def problems(questionnaire_id: str, responses: Any) -> dict[str, str]:
    with pytest.raises(ScoreError) as caught:
        score(questionnaire_id, responses)
    return {problem.item: problem.message for problem in caught.value.problems}


def test_it_ships_exactly_the_four_free_measures() -> None:
    questionnaires = load_questionnaires()
    assert set(questionnaires) == {"nprs", "sbi", "peg", "psfs"}
    for questionnaire in questionnaires.values():
        assert questionnaire.references and questionnaire.minimal_important_change.references
        text = json.dumps(questionnaire.model_dump()).lower()
        assert "oswestry" not in text and "roland" not in text


def test_it_keeps_the_published_structure_of_each_measure() -> None:
    q = load_questionnaires()
    assert [(i.min, i.max) for i in q["sbi"].items] == [(0, 6)] * 4
    assert [i.id for i in q["sbi"].items] == ["leg_pain", "numbness_tingling", "weakness", "sitting_pain"]
    assert [(i.min, i.max) for i in q["peg"].items] == [(0, 10)] * 3
    assert [(i.min, i.max) for i in q["nprs"].items] == [(0, 10)] * 2
    psfs = q["psfs"].named_items
    assert psfs is not None and (psfs.min_count, psfs.max_count, psfs.min, psfs.max) == (1, 3, 0, 10)
    assert "Patrick" in q["sbi"].references[0] and "Krebs" in q["peg"].references[0]
    assert "Stratford" in q["psfs"].references[0]


def test_it_sums_the_sciatica_bothersomeness_index() -> None:
    result = score("sbi", {"leg_pain": 6, "numbness_tingling": 6, "weakness": 6, "sitting_pain": 6})
    assert result.value == 24 and (result.minimum, result.maximum) == (0, 24)
    assert score("sbi", {"leg_pain": 4, "numbness_tingling": 2, "weakness": 0, "sitting_pain": 5}).value == 11
    assert result.higher_is_better is False


def test_it_averages_the_peg() -> None:
    result = score("peg", {"pain": 5, "enjoyment": 6, "activity": 6})
    assert result.value == 5.67
    assert (result.minimum, result.maximum) == (0, 10)
    assert score("peg", {"pain": 0, "enjoyment": 0, "activity": 0}).value == 0


def test_it_keeps_leg_and_back_pain_apart() -> None:
    result = score("nprs", {"leg_now": 7, "back_now": 2})
    assert result.value is None
    assert dict(result.items) == {"leg_now": 7, "back_now": 2}


def test_it_averages_the_activities_the_person_named() -> None:
    result = score(
        "psfs", [{"activity": "Walking the dog", "score": 3}, {"activity": "Sitting  at work", "score": 6}]
    )
    assert result.value == 4.5
    assert result.items == (("Walking the dog", 3), ("Sitting at work", 6))
    assert result.higher_is_better is True
    assert score("psfs", [{"activity": "Gardening", "score": 10}]).value == 10


@pytest.mark.parametrize(
    ("questionnaire_id", "responses", "item", "words"),
    [
        (
            "sbi",
            {"leg_pain": 7, "numbness_tingling": 0, "weakness": 0, "sitting_pain": 0},
            "leg_pain",
            "from 0 to 6",
        ),
        (
            "sbi",
            {"leg_pain": True, "numbness_tingling": 0, "weakness": 0, "sitting_pain": 0},
            "leg_pain",
            "integer",
        ),
        ("sbi", {"leg_pain": 1, "numbness_tingling": 0, "weakness": 0}, "sitting_pain", "missing"),
        (
            "sbi",
            {"leg_pain": 1, "numbness_tingling": 0, "weakness": 0, "sitting_pain": 0, "x": 1},
            "x",
            "unknown",
        ),
        ("peg", {"pain": 5, "enjoyment": 11, "activity": 6}, "enjoyment", "from 0 to 10"),
        ("peg", {"pain": 5.5, "enjoyment": 1, "activity": 6}, "pain", "integer"),
        ("peg", [5, 6, 6], "responses", "each item"),
        ("nprs", {"leg_now": -1, "back_now": 2}, "leg_now", "from 0 to 10"),
        ("psfs", [], "activities", "1 to 3"),
        ("psfs", [{"activity": f"a{i}", "score": 5} for i in range(4)], "activities", "1 to 3"),
        ("psfs", [{"activity": " ", "score": 5}], "activities[0].activity", "name"),
        ("psfs", [{"activity": "Walking", "score": 11}], "activities[0].score", "from 0 to 10"),
        ("psfs", [{"activity": "Walking"}], "activities[0]", "score"),
        ("psfs", {"activity": "Walking", "score": 3}, "activities", "a list"),
    ],
)
def test_it_names_each_bad_item_and_its_range(
    questionnaire_id: str, responses: Any, item: str, words: str
) -> None:
    found = problems(questionnaire_id, responses)
    assert item in found, found
    assert words in found[item]


def test_it_refuses_an_unknown_questionnaire() -> None:
    with pytest.raises(KeyError, match="oswestry"):
        score("oswestry", {})


@pytest.mark.parametrize(
    ("questionnaire_id", "before", "after", "verdict"),
    [
        ("nprs", 6, 4, "important_improvement"),  # 2 points
        ("nprs", 6, 5, "no_important_change"),  # 1 point, 17%
        ("nprs", 3, 2, "no_important_change"),  # 33%, but a first rating of 3 or less needs 2 points
        ("nprs", 2, 3, "no_important_change"),  # 50% worse, but 1 point on a first rating of 2
        ("nprs", 2, 4, "important_worsening"),  # 2 points
        ("nprs", 4, 5.2, "important_worsening"),  # 30% worse from a first rating above 3
        ("nprs", 0, 1, "no_important_change"),  # no percent from 0; 1 point
        ("nprs", 5, 5, "no_important_change"),
        ("sbi", 20, 15, "no_important_change"),  # 25%
        ("sbi", 20, 14, "important_improvement"),  # 30%
        ("sbi", 10, 13, "important_worsening"),  # 30% worse
        ("peg", 5, 4, "important_improvement"),  # 1 point
        ("peg", 5, 4.33, "no_important_change"),
        ("psfs", 4, 6.3, "important_improvement"),  # higher is better; 2.3 points
        ("psfs", 4, 6, "no_important_change"),
        ("psfs", 6, 3.7, "important_worsening"),
    ],
)
def test_it_judges_change_against_the_minimal_important_change(
    questionnaire_id: str, before: float, after: float, verdict: str
) -> None:
    assert important_change(questionnaire_id, before, after).verdict == verdict


@pytest.mark.parametrize(
    ("before", "after", "by"),
    [
        (3, 1, ("points",)),  # the floor: 67%, but a first rating of 3 counts by points only
        (2, 1, ()),  # 50%, but 1 point on a first rating of 2 is not a responder
        (1, 0, ()),  # 100%, still 1 point
        (2, 0, ("points",)),
        (10, 7, ("points", "percent")),  # 3 points and 30%
        (10, 8, ("points",)),  # 2 points, 20%
        (7, 5, ("points",)),  # 2 points, 29%
        (5, 3, ("points", "percent")),  # 2 points, 40%
        (4, 2, ("points", "percent")),  # the first rating above 3: percent counts again (50%)
        (4, 3, ()),  # 25%
        (3.5, 2.4, ("percent",)),  # a mean of ratings: 1.1 points is 31% of a first 3.5
        (3.0, 2.0, ()),  # 33% of a first 3 does not count
    ],
)
def test_it_says_which_rule_made_an_nprs_change_important(
    before: float, after: float, by: tuple[str, ...]
) -> None:
    change = important_change("nprs", before, after)
    assert change.by == by
    assert change.verdict == ("important_improvement" if by else "no_important_change")


def test_the_percent_floor_of_nprs_is_data() -> None:
    threshold = get_questionnaire("nprs").minimal_important_change
    assert (threshold.points, threshold.percent, threshold.percent_when_first_above) == (2, 30, 3)
    # The same function judges any threshold: without a floor, 2 to 1 (50%) is important by percent.
    no_floor = threshold.model_copy(update={"percent_when_first_above": None})
    assert rules_reached(no_floor, 2, 1) == ("percent",)
    assert rules_reached(threshold, 2, 1) == ()
    assert rules_reached(threshold, 2, -2) == ("points",)  # worse by 2 points: the size counts either way


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"points": 2, "percent_when_first_above": 3}, "needs both points and percent"),
        ({"percent": 30, "percent_when_first_above": 3}, "needs both points and percent"),
        ({"points": 2, "percent": 30, "percent_when_first_above": -1}, "greater than or equal to 0"),
    ],
)
def test_it_refuses_a_floor_without_both_rules(fields: dict[str, Any], words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        ImportantChange.model_validate({**fields, "note": "A note.", "references": ["A reference."]})


def test_it_reports_improvement_the_same_way_whichever_way_the_scale_runs() -> None:
    assert important_change("sbi", 12, 6).improvement == 6
    assert important_change("sbi", 12, 6).percent == 50
    assert important_change("psfs", 2, 8).improvement == 6
    assert important_change("nprs", 0, 0).percent is None


@pytest.mark.parametrize(
    ("questionnaire_id", "before", "after"), [("sbi", 0, 25), ("peg", -1, 3), ("nprs", True, 3)]
)
def test_it_refuses_scores_outside_the_range(questionnaire_id: str, before: Any, after: Any) -> None:
    with pytest.raises(ValueError, match="must be a score from"):
        important_change(questionnaire_id, before, after)


def test_it_turns_a_score_into_json() -> None:
    body = score("sbi", {"leg_pain": 4, "numbness_tingling": 2, "weakness": 0, "sitting_pain": 5}).to_json()
    assert json.loads(json.dumps(body)) == {
        "questionnaire": "sbi",
        "score": 11.0,
        "items": [
            {"item": "leg_pain", "value": 4},
            {"item": "numbness_tingling", "value": 2},
            {"item": "weakness", "value": 0},
            {"item": "sitting_pain", "value": 5},
        ],
        "range": [0.0, 24.0],
        "higher_is": "worse",
    }
