"""The red-flag questions of the safety check (``red_flag_questions.yaml``): schema, check and loader.

The file gives every red-flag key of the vocabulary exactly one question, in groups in the order they are
asked; a missing, repeated or unknown key is refused, so a new flag cannot reach the check without its
words. :func:`red_flag_groups` gives the groups as plain frozen records, questions in file order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Literal, Self

from pydantic import Field, StringConstraints, model_validator

from sciatrack.domain.vocabulary import RED_FLAG_KEYS

from .reading import Problem, read_model
from .rules_schema import FlagKey, Slug, StrictModel, Text

QUESTIONS_FILE = "red_flag_questions.yaml"
CONTENT_DIR = Path(__file__).resolve().parent

Question = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\S.*\?$")]
MaybeText = Annotated[str, StringConstraints(strip_whitespace=True)]


class QuestionWords(StrictModel):
    question: Question  # one question, ending with "?"
    explain: MaybeText = ""  # shown under the question; empty when the question says it all


class GroupWords(StrictModel):
    slug: Slug
    title: Text
    intro: MaybeText = ""
    questions: Annotated[dict[FlagKey, QuestionWords], Field(min_length=1)]


class RedFlagWords(StrictModel):
    version: Literal[1]
    not_sure: Text
    groups: Annotated[tuple[GroupWords, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _every_flag_once(self) -> Self:
        problems = list(self._problems())
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def _problems(self) -> Iterable[str]:
        slugs = [group.slug for group in self.groups]
        repeated_slugs = sorted({slug for slug in slugs if slugs.count(slug) > 1})
        if repeated_slugs:
            yield f"groups: each slug once; repeated: {', '.join(repeated_slugs)}"
        keys = [key for group in self.groups for key in group.questions]
        repeated = sorted({key for key in keys if keys.count(key) > 1})
        if repeated:
            yield f"groups: each red flag has one question; asked twice: {', '.join(repeated)}"
        missing = [key for key in RED_FLAG_KEYS if key not in keys]
        if missing:
            yield f"groups: every red flag needs a question; missing: {', '.join(missing)}"


@dataclass(frozen=True)
class RedFlagQuestion:
    key: str
    question: str
    explain: str


@dataclass(frozen=True)
class RedFlagGroup:
    slug: str
    title: str
    intro: str
    questions: tuple[RedFlagQuestion, ...]


class RedFlagQuestionsError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def check_red_flag_questions(root: Path) -> list[Problem]:
    """Every problem in ``red_flag_questions.yaml`` under ``root`` (empty if none)."""
    return read_model(root, QUESTIONS_FILE, RedFlagWords)[1]


@cache
def _load(root: Path) -> RedFlagWords:
    words, problems = read_model(root, QUESTIONS_FILE, RedFlagWords)
    if problems or words is None:
        raise RedFlagQuestionsError(problems)
    return words


def load_red_flag_words(root: Path = CONTENT_DIR) -> RedFlagWords:
    """The red-flag questions as the file has them, validated."""
    return _load(root.resolve())


@cache
def red_flag_groups(root: Path = CONTENT_DIR) -> tuple[RedFlagGroup, ...]:
    """The groups of questions in the order they are asked, each question with its key."""
    return tuple(
        RedFlagGroup(
            group.slug,
            group.title,
            group.intro,
            tuple(
                RedFlagQuestion(key, words.question, words.explain) for key, words in group.questions.items()
            ),
        )
        for group in load_red_flag_words(root).groups
    )
