"""What a stored diary day may hold, as the form a person fills in.

The form lives with the records rather than with the diary's page because it is also the rule that
decides which stored days are kept out of pages: migration 0011 asks it of every diary day stored
before today's input rules (see :mod:`sciatrack.care.quarantine`).
"""

from __future__ import annotations

from django import forms

from sciatrack.domain.outcomes import SymptomReach
from sciatrack.lib.fields import SafeCharField

PAIN_SCALE = tuple(range(11))
REACH_CHOICES = {
    SymptomReach.NONE: "No pain or tingling anywhere",
    SymptomReach.BACK: "Only in my lower back",
    SymptomReach.BUTTOCK: "Down to my buttock",
    SymptomReach.THIGH: "Down to my thigh, above the knee",
    SymptomReach.BELOW_KNEE: "Below my knee, into the calf",
    SymptomReach.FOOT: "Down to my foot or toes",
}
REACH_TEXT = {reach.value: text for reach, text in REACH_CHOICES.items()}
SLEEP_CHOICES = {
    "undisturbed": "Pain did not wake me",
    "woke_once": "Pain woke me once",
    "woke_often": "Pain woke me several times",
}
DANGER_CHOICES = {
    "none": "None of these now",
    "some": "Yes, one or more, or I am not sure",
}
FIELD_LABELS = {
    "danger_signs": "Danger signs",
    "leg_pain": "Leg pain",
    "back_pain": "Back pain",
    "reach": "How far down",
    "sleep": "Sleep",
    "note": "Note",
}


UNSTORABLE_NOTE = "the note has hidden characters that cannot be saved; please type it again"


class DiaryForm(forms.Form):
    """Today's answers; every error message says what is allowed."""

    pain_error = {
        "required": "choose a number from 0 to 10",
        "invalid_choice": "choose a number from 0 to 10",
    }
    # Asked every day (spec section 3): "none of these now" in one tap, anything else opens each sign.
    danger_signs = forms.ChoiceField(
        choices=list(DANGER_CHOICES.items()),
        error_messages={
            "required": "say whether you have any of the danger signs now (not sure? choose yes)",
            "invalid_choice": f"choose one of: {', '.join(DANGER_CHOICES)}",
        },
    )
    leg_pain = forms.TypedChoiceField(
        choices=[(n, n) for n in PAIN_SCALE], coerce=int, error_messages=pain_error
    )
    back_pain = forms.TypedChoiceField(
        choices=[(n, n) for n in PAIN_SCALE], coerce=int, error_messages=pain_error
    )
    reach = forms.ChoiceField(
        choices=list(REACH_CHOICES.items()),
        error_messages={
            "required": "choose how far down the leg it reaches",
            "invalid_choice": f"choose one of: {', '.join(REACH_CHOICES)}",
        },
    )
    sleep = forms.ChoiceField(
        choices=list(SLEEP_CHOICES.items()),
        error_messages={
            "required": "choose how you slept",
            "invalid_choice": f"choose one of: {', '.join(SLEEP_CHOICES)}",
        },
    )
    note = SafeCharField(
        required=False,
        max_length=500,
        error_messages={
            "max_length": "keep the note to 500 characters (it has %(show_value)d)",
            "null_characters_not_allowed": UNSTORABLE_NOTE,
            "unstorable": UNSTORABLE_NOTE,
        },
    )
