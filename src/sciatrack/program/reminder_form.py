"""The reminders form of the program page: one or two times of day for the calendar file.

``?first=HH:MM&second=HH:MM&days=N``, sent by GET as the form on the program page does. A missing or
empty ``first`` takes 08:00; a missing or empty ``second`` means one reminder a day; ``days`` (not on the
form, for links) takes the program's length, 12 weeks. Each bad value is refused naming its field, in the
words of :mod:`sciatrack.outputs.reminders`, which the command line shares.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from sciatrack.lib.fields import SafeCharField
from sciatrack.outputs import reminders

FIRST_DEFAULT = "08:00"
SECOND_DEFAULT = "18:00"  # shown on the blank form; the person may clear it for one reminder a day
LABELS = {"first": "First reminder", "second": "Second reminder", "days": "Days"}


@dataclass(frozen=True)
class Problem:
    """A refused value: its field's name (the id of its box is ``field-<name>``), its label, what is wrong."""

    field: str
    label: str
    message: str


class ClockField(forms.TimeField):
    """A time of day written ``HH:MM`` on the 24-hour clock in the digits 0-9, as ``<input type="time">``
    sends it. Django's own TimeField would read other scripts' digits and many other layouts."""

    def __init__(self, *, field: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.field = field

    def to_python(self, value: Any) -> time | None:
        if value in self.empty_values:
            return None
        if isinstance(value, time):
            return value
        try:
            return reminders.parse_clock(self.field, str(value))
        except reminders.ReminderError as error:
            raise ValidationError(error.message, code="invalid") from None


class ReminderForm(forms.Form):
    first = ClockField(field="first", required=False, label=LABELS["first"], initial=FIRST_DEFAULT)
    second = ClockField(field="second", required=False, label=LABELS["second"], initial=SECOND_DEFAULT)
    days = SafeCharField(required=False, max_length=20, label=LABELS["days"])

    weeks = reminders.DEFAULT_DAYS // 7  # how long the reminders run, as the form says

    @property
    def visible_times(self) -> list[forms.BoundField]:
        """The two time fields the page shows (``days`` is only for links)."""
        return [self["first"], self["second"]]

    def clean_first(self) -> time:
        moment: time | None = self.cleaned_data["first"]
        return moment if moment is not None else reminders.parse_clock("first", FIRST_DEFAULT)

    def clean_days(self) -> int:
        text: str = self.cleaned_data["days"]
        if not text:
            return reminders.DEFAULT_DAYS
        try:
            return reminders.parse_days(text)
        except reminders.ReminderError as error:
            raise ValidationError(error.message, code="invalid") from None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "first" in cleaned and "second" in cleaned:
            chosen = [cleaned["first"], *([cleaned["second"]] if cleaned["second"] is not None else [])]
            try:
                cleaned["times"] = reminders.check_times(chosen)
            except reminders.ReminderError as error:
                self.add_error(error.field, ValidationError(error.message, code="invalid"))
        return cleaned

    @property
    def times(self) -> tuple[time, ...]:
        """The one or two times of day, earliest first (only once the form is valid)."""
        chosen: tuple[time, ...] = self.cleaned_data["times"]
        return chosen

    def problems(self) -> list[Problem]:
        """Every refused value with its label, in the form's order (empty when all are good)."""
        if self.is_valid():
            return []
        return [
            Problem(name, LABELS[name], " ".join(str(message) for message in self.errors[name]))
            for name in self.fields
            if name in self.errors
        ]
