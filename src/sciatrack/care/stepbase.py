"""What every screen of the safety check has in common."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django.http import QueryDict

State = dict[str, Any]  # {"steps": {slug: cleaned data}, ...}, kept in the session


@dataclass(frozen=True)
class Problem:
    """A refused answer: the form field, the question as the person saw it, and what is allowed."""

    field: str
    label: str
    message: str


class Step:
    slug: str
    section: str
    template: ClassVar[str]

    def clean(self, post: QueryDict) -> tuple[dict[str, Any], list[Problem]]:
        """The step's piece of the answers, or the problems that refuse the whole submission."""
        raise NotImplementedError

    def context(self, saved: dict[str, Any] | None, post: QueryDict | None) -> dict[str, Any]:
        """What the template needs to show the form, from the saved answer or a refused submission."""
        return {}

    def applies(self, state: State) -> bool:
        """Whether the person is asked this question, given the answers so far (most steps: always).

        A step that does not apply is skipped because its answer follows from earlier ones; it is
        never read as "no" to a question that should have been asked.
        """
        return True
