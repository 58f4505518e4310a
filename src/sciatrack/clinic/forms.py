"""Forms of the clinic's pages: the dashboard's query, a clinician's note, clearing a held check.

Every value a clinic page reads passes one of these (or :mod:`.program_edit`'s) declared forms: text a
database can store, numbers in the digits 0-9 inside a range.
"""

from __future__ import annotations

from django import forms

from sciatrack.care.clearance_models import NOTE_MAX
from sciatrack.check.clearances import NOTE_ERRORS, SeenOnForm
from sciatrack.lib.fields import SafeCharField, WholeNumberField

# Each field as the page names it, for the list of problems.
CLEARANCE_LABELS = {"seen_on": "Date you saw the person", "note": "What you found", "check": "Check"}
CLINICIAN_NOTE_MAX = 2000
SEARCH_MAX = 100
LAST_PAGE = 1_000_000  # far past any clinic's list; a page after the last shows the last one
UNSTORABLE = "it has hidden characters that cannot be saved; please type it again"


class PageQuery(forms.Form):
    """``?page=``: which page of a long list, counted from 1."""

    page = WholeNumberField(min_value=1, max_value=LAST_PAGE, required=False)


class DashboardQuery(PageQuery):
    """The dashboard's search (``?q=``), its "needs attention" filter (``?attention=1``) and its page."""

    q = SafeCharField(
        required=False,
        max_length=SEARCH_MAX,
        error_messages={
            "max_length": f"search with {SEARCH_MAX} characters or fewer (this has %(show_value)d)",
            "null_characters_not_allowed": UNSTORABLE,
            "unstorable": UNSTORABLE,
        },
    )
    attention = forms.ChoiceField(
        required=False,
        choices=[("1", "only those needing attention")],
        error_messages={"invalid_choice": "leave it out, or give 1"},
    )


class NoteForm(forms.Form):
    """A clinician's note on a patient's record: 1 to 2,000 characters once trimmed."""

    note = SafeCharField(
        max_length=CLINICIAN_NOTE_MAX,
        error_messages={
            "required": f"write 1 to {CLINICIAN_NOTE_MAX} characters (this has 0)",
            "max_length": f"write 1 to {CLINICIAN_NOTE_MAX} characters (this has %(show_value)d)",
            "null_characters_not_allowed": UNSTORABLE,
            "unstorable": UNSTORABLE,
        },
    )


class ClinicianClearanceForm(SeenOnForm):
    """The day the clinician saw the person about the check, and a note of what they found (required)."""

    note = SafeCharField(
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "class": "input", "maxlength": NOTE_MAX}),
        error_messages={
            **NOTE_ERRORS,
            "required": f"write what you found and why exercise is fine (1 to {NOTE_MAX} characters)",
        },
    )
