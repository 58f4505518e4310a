"""The baseline measures at the end of the check: questionnaire screens and their scores.

The Sciatica Bothersomeness Index and PEG are shown straight from their content files (items, ranges
and anchors) and scored by the domain; the Patient-Specific Functional Scale asks for up to three
activities the person names. All three can be skipped: the result must never wait on them. Each screen
is headed by its plain question from the content (``heading``), never by the instrument's name, which
stays in small print for the clinician.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.http import QueryDict

from sciatrack.content.rules_loader import get_questionnaire
from sciatrack.lib.fields import SafeCharField, WholeNumberField

from .questionnaires import Form, questionnaire_form
from .stepbase import Step, shown_again

PSFS_ROWS = 3
PSFS_NAME_LENGTH = 120


@dataclass
class QuestionnaireStep(Step):
    slug: str
    section: str
    questionnaire_id: str
    template: ClassVar[str] = "care/step_questionnaire.html"

    @property
    def form(self) -> Form:
        return questionnaire_form(self.questionnaire_id)

    def schema(self, data: QueryDict | None = None) -> forms.Form:
        return QuestionnaireForm(self.form, data)

    def allowed(self, form: forms.Form) -> dict[str, str]:
        return {
            item.id: f"choose a number from {item.low} to {item.high}, or skip these questions."
            for item in self.form.items
        }

    def answer(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        if cleaned["skip"]:
            return {"skipped": True}
        return {"responses": {item.id: cleaned[item.id] for item in self.form.items}}

    def context(self, saved: dict[str, Any] | None, post: QueryDict | None) -> dict[str, Any]:
        form = self.form
        bound = self.schema(post) if post is not None else None
        responses = (saved or {}).get("responses", {})
        values = {
            item.id: shown_again(bound, item.id) if bound is not None else responses.get(item.id)
            for item in form.items
        }
        return {
            "form": form,
            "items": [
                (
                    item,
                    [str(n) for n in range(item.low, item.high + 1)],
                    "" if values[item.id] is None else str(values[item.id]),
                )
                for item in form.items
            ],
        }


class QuestionnaireForm(forms.Form):
    """Every item of a questionnaire as a whole number in its range, or the whole screen skipped.

    The "Skip these questions" button sends ``skip``; then no item needs an answer (any given must still
    be a number in range: a browser only sends the scale's own points).
    """

    skip = forms.BooleanField(required=False)

    def __init__(self, questionnaire: Form, data: QueryDict | None = None) -> None:
        super().__init__(data)
        self.items = questionnaire.items
        for item in questionnaire.items:
            self.fields[item.id] = WholeNumberField(
                min_value=item.low, max_value=item.high, required=False, label=item.text
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("skip"):
            for item in self.items:
                if item.id not in self.errors and cleaned.get(item.id) is None:
                    self.add_error(item.id, forms.ValidationError("required", code="required"))
        return cleaned


@dataclass
class PsfsStep(Step):
    slug: str
    section: str
    template: ClassVar[str] = "care/step_psfs.html"

    def schema(self, data: QueryDict | None = None) -> forms.Form:
        return PsfsForm(data)

    def allowed(self, form: forms.Form) -> dict[str, str]:
        return {score_field(row): PSFS_SCALE for row in ROWS}

    def answer(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        return {"activities": cleaned["activities"]}

    def context(self, saved: dict[str, Any] | None, post: QueryDict | None) -> dict[str, Any]:
        rows = []
        saved_rows = (saved or {}).get("activities", [])
        bound = self.schema(post) if post is not None else None
        for row in ROWS:
            if bound is not None:
                name, score = shown_again(bound, name_field(row)), shown_again(bound, score_field(row))
            elif row <= len(saved_rows):
                name, score = saved_rows[row - 1]["activity"], str(saved_rows[row - 1]["score"])
            else:
                name, score = "", ""
            rows.append(
                {
                    "row": row,
                    "name": name or "",
                    "score": "" if score is None else str(score),
                    "name_field": name_field(row),
                    "score_field": score_field(row),
                    "score_label": f"Activity {row}: how well can you do it today?",
                }
            )
        psfs = get_questionnaire("psfs")
        return {
            "rows": rows,
            "scale": [str(n) for n in range(11)],
            "heading": psfs.heading,
            "instrument": psfs.name,
        }


ROWS = range(1, PSFS_ROWS + 1)
PSFS_SCALE = "choose how well you can do it now, from 0 (not at all) to 10 (as well as before)."


def name_field(row: int) -> str:
    return f"activity_{row}"


def score_field(row: int) -> str:
    return f"activity_{row}_score"


class PsfsForm(forms.Form):
    """Up to three activities, each a name and a score from 0 to 10; an empty row is no activity.

    A name is its words with single spaces between them, at most ``PSFS_NAME_LENGTH`` characters then.
    """

    def __init__(self, data: QueryDict | None = None) -> None:
        super().__init__(data)
        for row in ROWS:
            self.fields[name_field(row)] = SafeCharField(required=False, label=f"Activity {row}")
            self.fields[score_field(row)] = WholeNumberField(
                min_value=0, max_value=10, required=False, label=f"Activity {row}"
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        activities = []
        for row in ROWS:
            name_key, score_key = name_field(row), score_field(row)
            name = " ".join((cleaned.get(name_key) or "").split())
            score = cleaned.get(score_key)
            if name:
                self.fields[score_key].label = name  # the score's problem names the activity
            if name_key not in self.errors:
                if not name and (score is not None or score_key in self.errors):
                    self.add_error(name_key, "name the activity, or clear its score.")
                elif len(name) > PSFS_NAME_LENGTH:
                    self.add_error(name_key, f"use {PSFS_NAME_LENGTH} characters or fewer.")
            if name and score is None and score_key not in self.errors:
                self.add_error(score_key, forms.ValidationError("required", code="required"))
            if name and score is not None:
                activities.append({"activity": name, "score": score})
        cleaned["activities"] = activities
        return cleaned
