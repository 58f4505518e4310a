"""What every screen of the safety check has in common: a declared form, and its refusals in words.

Each step declares its answers as a Django form (:meth:`Step.schema`) with the project's fields
(:mod:`sciatrack.lib.fields`: numbers in the digits 0-9 inside a range, text a database can store), so no
screen reads a posted value by hand. A refused form becomes one :class:`Problem` per field, which the
page lists with the question as the person saw it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.http import QueryDict

State = dict[str, Any]  # {"steps": {slug: cleaned data}, ...}, kept in the session

# Django's code for NUL (every CharField) and ours for unpaired surrogates (SafeCharField).
UNSTORABLE_CODES = frozenset({"null_characters_not_allowed", "unstorable"})
UNSTORABLE = "this text has hidden characters that cannot be saved; please type it again."


@dataclass(frozen=True)
class Problem:
    """A refused answer: the form field, the question as the person saw it, and what is allowed."""

    field: str
    label: str
    message: str


def refusals(form: forms.Form, allowed: Mapping[str, str] | None = None) -> list[Problem]:
    """One problem per refused field of a bound ``form``, in the form's order.

    A field listed in ``allowed`` says what its question accepts, however the answer was wrong (so
    "²", "11" and nothing at all get the same plain sentence); any other field says its own messages.
    Text that cannot be stored always says so, whatever the field.
    """
    allowed = allowed or {}
    errors = form.errors.as_data()
    problems = []
    for name in [*form.fields, *(name for name in errors if name not in form.fields)]:
        if name not in errors:
            continue
        if any(error.code in UNSTORABLE_CODES for error in errors[name]):
            message = UNSTORABLE
        elif name in allowed:
            message = allowed[name]
        else:
            message = " ".join(text for error in errors[name] for text in error.messages)
        field = form.fields.get(name)
        label = str(field.label) if field is not None and field.label else name
        problems.append(Problem(name, label, message))
    return problems


def shown_again(form: forms.Form, name: str) -> Any:
    """What was posted for ``name``, as the page shows it again after a refusal (a list for a list)."""
    return form[name].value()


class Step:
    slug: str
    section: str
    template: ClassVar[str]

    def schema(self, data: QueryDict | None = None) -> forms.Form:
        """The step's answers as a declared form, bound to ``data`` when given."""
        raise NotImplementedError

    def allowed(self, form: forms.Form) -> dict[str, str]:
        """For each field, what its question accepts, in the words a refusal shows (see :func:`refusals`)."""
        return {}

    def answer(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        """The step's piece of the answers, from the form's cleaned data."""
        return dict(cleaned)

    def clean(self, post: QueryDict) -> tuple[dict[str, Any], list[Problem]]:
        """The step's piece of the answers, or the problems that refuse the whole submission."""
        form = self.schema(post)
        if not form.is_valid():
            return {}, refusals(form, self.allowed(form))
        return self.answer(form.cleaned_data), []

    def context(self, saved: dict[str, Any] | None, post: QueryDict | None) -> dict[str, Any]:
        """What the template needs to show the form, from the saved answer or a refused submission."""
        return {}

    def applies(self, state: State) -> bool:
        """Whether the person is asked this question, given the answers so far (most steps: always).

        A step that does not apply is skipped because its answer follows from earlier ones; it is
        never read as "no" to a question that should have been asked.
        """
        return True
