"""The form fields every Sciatrack form uses for text and numbers."""

from __future__ import annotations

import pytest
from django import forms

from sciatrack.lib.fields import SafeCharField, WholeNumberField


class PainForm(forms.Form):
    pain = WholeNumberField(min_value=0, max_value=10)
    note = SafeCharField(max_length=20, required=False)


@pytest.mark.parametrize("value", ["²", "①", "٣", "٣٠", "1.5", "ten", "9" * 5000])
def test_a_number_must_be_ascii_digits(value: str) -> None:
    form = PainForm({"pain": value})
    assert not form.is_valid()
    assert "0-9" in form.errors["pain"][0]


def test_a_number_in_range_is_read_and_out_of_range_is_named() -> None:
    seven = PainForm({"pain": " 7 "})
    assert seven.is_valid() and seven.cleaned_data["pain"] == 7
    too_high = PainForm({"pain": "11"})
    assert not too_high.is_valid() and "10" in too_high.errors["pain"][0]


@pytest.mark.parametrize("note", ["a\x00b", "a\udfffb"])
def test_text_that_cannot_be_stored_is_refused_once(note: str) -> None:
    form = PainForm({"pain": "3", "note": note})
    assert not form.is_valid()
    assert len(form.errors["note"]) == 1


def test_ordinary_text_passes() -> None:
    form = PainForm({"pain": "3", "note": "Schmerz 痛み"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["note"] == "Schmerz 痛み"
