"""The answers to the symptom question of a guided session (``symptom_answers.yaml``): schema and loader.

One answer per symptom movement, each with its label and the guide's reply. The movements are the fields
of :class:`SymptomAnswers`, so a missing or unknown one is refused; a test keeps them the same as
:class:`sciatrack.domain.session_log.SymptomMovement`.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal, Self

from pydantic import model_validator

from .danger_signs import fill_danger_signs
from .reading import Problem, read_model
from .rules_schema import DANGER_SIGNS_PLACEHOLDER, StrictModel, Text

ANSWERS_FILE = "symptom_answers.yaml"
CONTENT_DIR = Path(__file__).resolve().parent


class SymptomAnswer(StrictModel):
    label: Text  # the answer as the person picks it
    reply: Text  # what the guide says back

    @model_validator(mode="after")
    def _only_known_placeholder(self) -> Self:
        for text in (self.label, self.reply):
            for placeholder in re.findall(r"\{[^}]*\}", text):
                if placeholder != DANGER_SIGNS_PLACEHOLDER:
                    raise ValueError(
                        f"unknown placeholder {placeholder}; only {DANGER_SIGNS_PLACEHOLDER} is filled in"
                    )
        return self


class Answers(StrictModel):
    """In the order they are offered; each field is a symptom movement."""

    moved_up: SymptomAnswer  # toward the back, or eased
    same: SymptomAnswer
    spread_down: SymptomAnswer  # further down the leg, or worse
    red_flag: SymptomAnswer  # a danger sign appeared


class SymptomAnswers(StrictModel):
    version: Literal[1]
    answers: Answers

    @model_validator(mode="after")
    def _labels_differ(self) -> Self:
        labels = [answer.label for answer in self.by_movement().values()]
        if len(set(labels)) != len(labels):
            raise ValueError("answers: give each answer a label of its own")
        return self

    def by_movement(self) -> dict[str, SymptomAnswer]:
        """Each answer by the movement it records, in the order they are offered."""
        return {name: getattr(self.answers, name) for name in type(self.answers).model_fields}


def check_symptom_answers(root: Path) -> list[Problem]:
    """Every problem in ``symptom_answers.yaml`` under ``root`` (empty if none)."""
    return read_model(root, ANSWERS_FILE, SymptomAnswers)[1]


class SymptomAnswersError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@cache
def _load(root: Path) -> SymptomAnswers:
    answers, problems = read_model(root, ANSWERS_FILE, SymptomAnswers)
    if problems or answers is None:
        raise SymptomAnswersError(problems)
    return answers


def load_symptom_answers(root: Path = CONTENT_DIR) -> SymptomAnswers:
    """The answers, validated, as the file has them (placeholders not filled in)."""
    return _load(root.resolve())


def symptom_answer_words(root: Path = CONTENT_DIR) -> dict[str, tuple[str, str]]:
    """(label, reply) of each movement, in order, with the danger signs in brief filled in."""
    return {
        movement: (fill_danger_signs(answer.label, root), fill_danger_signs(answer.reply, root))
        for movement, answer in load_symptom_answers(root).by_movement().items()
    }
