"""Free text on its way into FHIR: only what a FHIR string may hold (sciatrack.fhir.text)."""

import re

from hypothesis import given
from hypothesis import strategies as st

from sciatrack.fhir.text import fhir_string

# HL7's R4 JSON schema pattern for string, and the datatype's rule on characters below U+0020.
SCHEMA_STRING = re.compile(r"^[ \r\n\t\S]+$")


def test_it_keeps_ordinary_words_as_they_are() -> None:
    assert fhir_string("Walk to the shop\nand back") == "Walk to the shop\nand back"


def test_it_turns_pasted_spaces_into_plain_ones_and_drops_control_characters() -> None:
    assert fhir_string("Jean\u00a0Pierre\u2028 \x1a<b>") == "Jean Pierre  <b>"


def test_it_gives_none_when_nothing_is_left() -> None:
    assert fhir_string(" \x01\u00a0 ") is None


@given(st.text(max_size=60))
def test_whatever_comes_out_is_a_valid_fhir_string(value: str) -> None:
    cleaned = fhir_string(value)
    if cleaned is not None:
        assert SCHEMA_STRING.match(cleaned)
        assert not any(ord(char) < 32 and char not in "\t\r\n" for char in cleaned)
