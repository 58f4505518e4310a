"""Scoring the baseline measures of ``content/questionnaires/`` and judging change between two scores.

- ``sum`` (SBI): the total of the items. ``mean`` (PEG, PSFS): their average, rounded to 2 decimals.
  ``per_item`` (NPRS): no total; each item stands alone (leg and back pain are not added together).
- Fixed questionnaires need every item; PSFS takes the activities the person named (1 to 3), each with a
  name and a rating.
- Responses are refused with :class:`ScoreError`, naming each bad item and its allowed range; ``true``
  and ``false`` are not numbers here.
- :func:`rules_reached` is the one place that decides whether a change reaches a questionnaire's minimal
  important change, and by which rule: points, or percent of the first score (either is enough), percent
  only when the first score is above ``percent_when_first_above`` where the content file gives it (NPRS: a
  first rating of 3 or less needs 2 points). :func:`important_change` judges two scores with it; the
  progress pages and the outcome registry call one or the other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sciatrack.content.rules_loader import get_questionnaire
from sciatrack.content.rules_schema import ImportantChange, Questionnaire

ACTIVITY_NAME_LENGTH = 120
EPSILON = 1e-9  # mean scores are rounded; a change that equals the threshold must count as reaching it

ChangeRule = Literal["points", "percent"]


@dataclass(frozen=True)
class ScoreProblem:
    item: str
    message: str

    def __str__(self) -> str:
        return f"{self.item}: {self.message}"


class ScoreError(ValueError):
    def __init__(self, questionnaire_id: str, problems: list[ScoreProblem]) -> None:
        self.questionnaire_id = questionnaire_id
        self.problems = problems
        super().__init__(f"{questionnaire_id}: " + "; ".join(str(problem) for problem in problems))


@dataclass(frozen=True)
class Score:
    questionnaire_id: str
    value: float | None  # None for per_item questionnaires (NPRS)
    items: tuple[tuple[str, int], ...]  # item id (or the activity the person named) and its rating
    minimum: float
    maximum: float
    higher_is_better: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "questionnaire": self.questionnaire_id,
            "score": self.value,
            "items": [{"item": item, "value": value} for item, value in self.items],
            "range": [self.minimum, self.maximum],
            "higher_is": "better" if self.higher_is_better else "worse",
        }


@dataclass(frozen=True)
class Change:
    before: float
    after: float
    improvement: float  # positive when the person is better, whichever way the scale runs
    percent: float | None  # improvement as a percentage of the first score; None when that score is 0
    verdict: Literal["important_improvement", "important_worsening", "no_important_change"]
    by: tuple[ChangeRule, ...] = ()  # the rules the change reached (points first); empty when not important


def _rating(value: object, low: int, high: int) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high else None


def _fixed(
    questionnaire: Questionnaire, responses: object
) -> tuple[tuple[tuple[str, int], ...], list[ScoreProblem]]:
    if not isinstance(responses, Mapping):
        ids = ", ".join(item.id for item in questionnaire.items)
        return (), [ScoreProblem("responses", f"must map each item ({ids}) to its rating")]
    problems = [
        ScoreProblem(str(key), "unknown item")
        for key in responses
        if key not in {i.id for i in questionnaire.items}
    ]
    ratings = []
    for item in questionnaire.items:
        if item.id not in responses:
            problems.append(
                ScoreProblem(item.id, f"missing: answer with an integer from {item.min} to {item.max}")
            )
            continue
        rating = _rating(responses[item.id], item.min, item.max)
        if rating is None:
            problems.append(ScoreProblem(item.id, f"must be an integer from {item.min} to {item.max}"))
        else:
            ratings.append((item.id, rating))
    return tuple(ratings), problems


def _named(
    questionnaire: Questionnaire, responses: object
) -> tuple[tuple[tuple[str, int], ...], list[ScoreProblem]]:
    spec = questionnaire.named_items
    assert spec is not None
    shape = (
        f'a list of {spec.min_count} to {spec.max_count} entries like {{"activity": "walking", "score": 5}}'
    )
    if not isinstance(responses, Sequence) or isinstance(responses, str):
        return (), [ScoreProblem("activities", f"must be {shape}")]
    problems = []
    if not spec.min_count <= len(responses) <= spec.max_count:
        problems.append(ScoreProblem("activities", f"must be {shape}"))
    ratings = []
    for index, entry in enumerate(responses):
        where = f"activities[{index}]"
        if not isinstance(entry, Mapping) or set(entry) != {"activity", "score"}:
            problems.append(
                ScoreProblem(where, f"must be {{'activity': name, 'score': {spec.min} to {spec.max}}}")
            )
            continue
        name = entry["activity"]
        if not isinstance(name, str) or not name.strip() or len(name) > ACTIVITY_NAME_LENGTH:
            problems.append(
                ScoreProblem(f"{where}.activity", f"must be a name of 1 to {ACTIVITY_NAME_LENGTH} characters")
            )
        rating = _rating(entry["score"], spec.min, spec.max)
        if rating is None:
            problems.append(
                ScoreProblem(f"{where}.score", f"must be an integer from {spec.min} to {spec.max}")
            )
        if isinstance(name, str) and rating is not None:
            ratings.append((" ".join(name.split()), rating))
    return tuple(ratings), problems


def score(questionnaire_id: str, responses: object) -> Score:
    """Score ``responses``: ``{item_id: rating}`` for fixed items, or a list of
    ``{"activity": name, "score": rating}`` for PSFS. Raises :class:`ScoreError` naming every bad item,
    and KeyError for an unknown questionnaire."""
    questionnaire = get_questionnaire(questionnaire_id)
    reader = _named if questionnaire.named_items is not None else _fixed
    ratings, problems = reader(questionnaire, responses)
    if problems:
        raise ScoreError(questionnaire_id, problems)
    low, high = questionnaire.score_range
    values = [rating for _, rating in ratings]
    value: float | None
    if questionnaire.scoring == "sum":
        value = float(sum(values))
    elif questionnaire.scoring == "mean":
        value = round(sum(values) / len(values), 2)
    else:
        value = None
    return Score(questionnaire_id, value, ratings, low, high, questionnaire.higher_is == "better")


def rules_reached(threshold: ImportantChange, before: float, improvement: float) -> tuple[ChangeRule, ...]:
    """The rules of ``threshold`` that a change reaches: ``("points",)``, ``("percent",)``, both (points
    first), or ``()`` when it is not an important change.

    ``before`` is the first score and ``improvement`` the change, positive when the person is better; its
    size is judged the same either way. Percent is of ``before``: none from 0, and none when ``before`` is
    not above ``threshold.percent_when_first_above``."""
    if not improvement:
        return ()
    size = abs(improvement)
    reached: tuple[ChangeRule, ...] = ()
    if threshold.points is not None and size + EPSILON >= threshold.points:
        reached += ("points",)
    floor = threshold.percent_when_first_above
    if (
        threshold.percent is not None
        and before > 0
        and (floor is None or before > floor)
        and size / before * 100 + EPSILON >= threshold.percent
    ):
        reached += ("percent",)
    return reached


def important_change(questionnaire_id: str, before: float, after: float) -> Change:
    """Whether going from ``before`` to ``after`` (two scores, or two ratings of one NPRS item) reaches
    the minimal important change, in either direction, and by which rule (:func:`rules_reached`)."""
    questionnaire = get_questionnaire(questionnaire_id)
    low, high = questionnaire.score_range
    for name, value in (("before", before), ("after", after)):
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            raise ValueError(f"{name} must be a score from {low:g} to {high:g}")
    improvement = (after - before) if questionnaire.higher_is == "better" else (before - after)
    percent = None if before == 0 else improvement / before * 100
    by = rules_reached(questionnaire.minimal_important_change, before, improvement)
    if by:
        verdict: Literal["important_improvement", "important_worsening", "no_important_change"] = (
            "important_improvement" if improvement > 0 else "important_worsening"
        )
    else:
        verdict = "no_important_change"
    return Change(float(before), float(after), float(improvement), percent, verdict, by)


def stored_score(questionnaire_id: str, responses: Any) -> dict[str, Any]:
    """A scored questionnaire as a check keeps it in ``Intake.measures``: the responses, the score and
    its range (:func:`score`; raises as it does)."""
    result = score(questionnaire_id, responses)
    return {
        "responses": responses,
        "score": result.value,
        "minimum": result.minimum,
        "maximum": result.maximum,
    }
