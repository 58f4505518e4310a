"""Free text a person typed, as a FHIR ``string`` may hold it.

The forms keep what people paste (a no-break space in a name, a stray control character from another
program), and rows stored before today's rules may hold more. FHIR R4 strings hold no character below
U+0020 but tab, carriage return and line feed, and no whitespace but those and the space (HL7's schema
pattern ``^[ \\r\\n\\t\\S]+$``), and are never empty. Every string a person wrote passes through
:func:`fhir_string` on its way out; the record itself is never changed.
"""

from __future__ import annotations

import re

# Characters below U+0020 but tab, line feed and carriage return (FHIR R4 datatypes, "string").
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Any whitespace but the four FHIR allows, as ``str.split`` knows it (no-break space, line separator, ...).
_OTHER_SPACE = re.compile(r"[^\S \t\r\n]")


def fhir_string(value: str) -> str | None:
    """``value`` with control characters dropped and other whitespace turned into spaces, trimmed; None
    when nothing is left, so that the caller leaves the element out."""
    cleaned = _OTHER_SPACE.sub(" ", _CONTROL.sub("", value)).strip()
    return cleaned or None
