"""The questionnaire content and the domain's scoring, in the shapes the check's pages and records use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sciatrack.content.rules_loader import get_questionnaire
from sciatrack.domain.scoring import ScoreError, stored_score

# Which check step holds which questionnaire's answers.
STEP_OF = {"sbi": "bothersome", "peg": "daily-life", "psfs": "activities"}


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    low: int
    high: int
    low_label: str
    high_label: str


@dataclass(frozen=True)
class Form:
    id: str
    name: str  # the instrument's name, for clinicians: never the heading of a screen
    heading: str  # the plain question that heads the screen
    intro: str
    items: tuple[Item, ...]


def questionnaire_form(questionnaire_id: str) -> Form:
    """The fixed items of a questionnaire as the page shows them."""
    questionnaire = get_questionnaire(questionnaire_id)
    items = tuple(
        Item(item.id, item.text, item.min, item.max, item.low_label, item.high_label)
        for item in questionnaire.items
    )
    return Form(questionnaire.id, questionnaire.name, questionnaire.heading, questionnaire.intro, items)


def score_all(answered: dict[str, dict[str, Any]], intake: dict[str, Any]) -> dict[str, Any]:
    """Every baseline measure the person gave, scored: ``{questionnaire id: {...}}``.

    Pain now (NPRS) always comes from the intake. A skipped questionnaire is recorded as skipped, so
    "not answered" is never mistaken for a score of zero.
    """
    measures: dict[str, Any] = {
        "nprs": {"leg_now": intake["pain"]["leg_now"], "back_now": intake["pain"]["back_now"]},
    }
    for questionnaire_id, slug in STEP_OF.items():
        saved = answered.get(slug) or {}
        try:
            if questionnaire_id == "psfs" and saved.get("activities"):
                scored = stored_score("psfs", saved["activities"])
                measures["psfs"] = {**scored, "activities": saved["activities"]}
            elif "responses" in saved:
                measures[questionnaire_id] = stored_score(questionnaire_id, saved["responses"])
            else:
                measures[questionnaire_id] = {"skipped": True}
        except ScoreError:
            # The step validated these already; a mismatch means the content changed mid-check.
            measures[questionnaire_id] = {"skipped": True}
    return measures
