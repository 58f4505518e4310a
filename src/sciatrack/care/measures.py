"""The baseline measures at the end of the check: questionnaire screens and their scores.

The Sciatica Bothersomeness Index and PEG are shown straight from their content files (items, ranges
and anchors) and scored by the domain; the Patient-Specific Functional Scale asks for up to three
activities the person names. All three can be skipped: the result must never wait on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django.http import QueryDict

from .stepbase import Problem, Step

PSFS_ROWS = 3
PSFS_NAME_LENGTH = 120


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
    name: str
    intro: str
    items: tuple[Item, ...]


def questionnaire_form(questionnaire_id: str) -> Form:
    """The questionnaire's items as the page shows them, read from its content file."""
    from . import content_adapter

    return content_adapter.form(questionnaire_id)


@dataclass
class QuestionnaireStep(Step):
    slug: str
    section: str
    questionnaire_id: str
    template: ClassVar[str] = "care/step_questionnaire.html"

    @property
    def form(self) -> Form:
        return questionnaire_form(self.questionnaire_id)

    def clean(self, post: QueryDict) -> tuple[dict[str, Any], list[Problem]]:
        if "skip" in post:
            return {"skipped": True}, []
        responses, problems = {}, []
        for item in self.form.items:
            raw = post.get(item.id, "")
            if raw.isdigit() and item.low <= int(raw) <= item.high:
                responses[item.id] = int(raw)
            else:
                problems.append(
                    Problem(
                        item.id,
                        item.text,
                        f"choose a number from {item.low} to {item.high}, or skip these questions.",
                    )
                )
        return ({}, problems) if problems else ({"responses": responses}, [])

    def context(self, saved: dict[str, Any] | None, post: QueryDict | None) -> dict[str, Any]:
        source: Any = post if post is not None else (saved or {}).get("responses", {})
        form = self.form
        return {
            "form": form,
            "items": [
                (item, [str(n) for n in range(item.low, item.high + 1)], str(source.get(item.id, "")))
                for item in form.items
            ],
        }


@dataclass
class PsfsStep(Step):
    slug: str
    section: str
    template: ClassVar[str] = "care/step_psfs.html"

    def clean(self, post: QueryDict) -> tuple[dict[str, Any], list[Problem]]:
        activities, problems = [], []
        for row in range(1, PSFS_ROWS + 1):
            name = " ".join(post.get(f"activity_{row}", "").split())
            raw = post.get(f"activity_{row}_score", "").strip()
            if not name and not raw:
                continue
            if not name:
                problems.append(
                    Problem(f"activity_{row}", f"Activity {row}", "name the activity, or clear its score.")
                )
            elif len(name) > PSFS_NAME_LENGTH:
                problems.append(
                    Problem(
                        f"activity_{row}", f"Activity {row}", f"use {PSFS_NAME_LENGTH} characters or fewer."
                    )
                )
            if not (raw.isdigit() and 0 <= int(raw) <= 10):
                problems.append(
                    Problem(
                        f"activity_{row}_score",
                        name or f"Activity {row}",
                        "choose how well you can do it now, from 0 (not at all) to 10 (as well as before).",
                    )
                )
            if not problems:
                activities.append({"activity": name, "score": int(raw)})
        return ({}, problems) if problems else ({"activities": activities}, [])

    def context(self, saved: dict[str, Any] | None, post: QueryDict | None) -> dict[str, Any]:
        rows = []
        saved_rows = (saved or {}).get("activities", [])
        for row in range(1, PSFS_ROWS + 1):
            if post is not None:
                name, score = post.get(f"activity_{row}", ""), post.get(f"activity_{row}_score", "")
            elif row <= len(saved_rows):
                name, score = saved_rows[row - 1]["activity"], str(saved_rows[row - 1]["score"])
            else:
                name, score = "", ""
            rows.append(
                {
                    "row": row,
                    "name": name,
                    "score": score,
                    "name_field": f"activity_{row}",
                    "score_field": f"activity_{row}_score",
                    "score_label": f"Activity {row}: how well can you do it today?",
                }
            )
        return {"rows": rows, "scale": [str(n) for n in range(11)]}
