"""Form fields that refuse what would break a stored record, for every Django form in Sciatrack.

Django's ``CharField`` already refuses NUL; :class:`SafeCharField` also refuses unpaired surrogates.
Django's ``IntegerField`` reads any Unicode digit ("٣٠" is 30); :class:`WholeNumberField` takes only
ASCII digits, as :func:`sciatrack.domain.plain_input.whole_number` does for the JSON parsers.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from sciatrack.domain.plain_input import text_problem, whole_number


def validate_storable_text(value: str) -> None:
    if "\x00" in value:
        return  # Django's own validator on every CharField already names it
    problem = text_problem(value)
    if problem is not None:
        raise ValidationError(f"This text {problem}.", code="unstorable")


class SafeCharField(forms.CharField):
    default_validators = [validate_storable_text]


class WholeNumberField(forms.IntegerField):
    """A whole number written in ASCII digits, inside ``min_value``..``max_value`` (both required)."""

    def __init__(self, *, min_value: int, max_value: int, **kwargs: Any) -> None:
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)
        self.low, self.high = min_value, max_value

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        number = whole_number(str(value), 0, 10**9)
        if number is None:
            raise ValidationError(
                f"Enter a whole number from {self.low} to {self.high}, in the digits 0-9.", code="invalid"
            )
        return number
