"""Forms of the clinic's record pages: a clinician clears a held check to exercise."""

from __future__ import annotations

from django import forms

from sciatrack.care.clearance_models import NOTE_MAX
from sciatrack.care.clearances import SeenOnForm

# Each field as the page names it, for the list of problems.
CLEARANCE_LABELS = {"seen_on": "Date you saw the person", "note": "What you found", "check": "Check"}


class ClinicianClearanceForm(SeenOnForm):
    """The day the clinician saw the person about the check, and a note of what they found (required)."""

    note = forms.CharField(
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "class": "input", "maxlength": NOTE_MAX}),
        error_messages={
            "required": f"write what you found and why exercise is fine (1 to {NOTE_MAX} characters)",
            "max_length": f"keep the note to {NOTE_MAX} characters (it has %(show_value)d)",
        },
    )
