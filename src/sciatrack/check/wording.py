"""Every question, label and explanation of the safety check, in plain words.

Written for a person in pain reading on a phone: short sentences, everyday words, one idea at a
time. Nothing here decides anything; the triage rules live in the content files and the domain.
"""

from __future__ import annotations

from sciatrack.content.red_flag_questions import load_red_flag_words
from sciatrack.domain.vocabulary import Pattern, Tier

# The danger-sign questions have a module of their own; the rest of the app reads them from here.
from .red_flag_wording import RED_FLAG_GROUPS as RED_FLAG_GROUPS
from .red_flag_wording import SECOND_LEG_KEY as SECOND_LEG_KEY
from .red_flag_wording import RedFlagGroup as RedFlagGroup
from .red_flag_wording import RedFlagQuestion as RedFlagQuestion

# Shown under every yes/no danger-sign question, wherever the app asks one (written in the content,
# beside the questions).
NOT_SURE = load_red_flag_words().not_sure


def check_length_sentence(screens: int, fewest_minutes: int, most_minutes: int) -> str:
    """How long the safety check is, said the same way on every page that mentions it."""
    return (
        f"The check is about {screens} short screens, most with one Yes or No question. "
        f"It takes {fewest_minutes} to {most_minutes} minutes."
    )


SIDE_LABELS = {
    "left": "Left leg",
    "right": "Right leg",
    "both": "Both legs",
    "alternating": "It swaps from one side to the other",
}

REGION_LABELS = {
    "mid_back": "Middle or upper back, or a band around the chest",
    "low_back": "Low back",
    "buttock": "Buttock",
    "groin": "Groin",
    "front_of_thigh": "Front of the thigh",
    "side_of_thigh": "Outer side of the thigh",
    "back_of_thigh": "Back of the thigh",
    "front_of_shin": "Front of the shin",
    "side_of_calf": "Outer side of the calf",
    "back_of_calf": "Back of the calf",
    "top_of_foot": "Top of the foot",
    "big_toe": "Big toe",
    "little_toe": "Little toe",
    "sole": "Sole of the foot",
    "heel": "Heel",
}

SENSATION_LABELS = {
    "dull_ache": "A dull ache",
    "burning": "Burning",
    "sharp": "Sharp or stabbing",
    "electric": "Electric shocks or jolts",
    "tingling": "Tingling or pins and needles",
    "numbness": "Numbness: less feeling than usual",
    "weakness": "Weakness: the leg or foot gives way or will not do what you ask",
}

TRIGGER_LABELS = {
    "sitting": "Sitting",
    "morning": "First thing in the morning",
    "sit_to_stand": "Getting up from sitting",
    "bending_forward": "Bending forward",
    "bending_backward": "Leaning backward",
    "walking": "Walking",
    "standing": "Standing",
    "lying": "Lying down",
    "coughing_sneezing": "Coughing or sneezing",
    "night": "At night",
}

# Easing a pain by coughing makes no sense to ask; every other trigger can ease it for someone.
BETTER_WITH_CHOICES = tuple(key for key in TRIGGER_LABELS if key != "coughing_sneezing")

# Keyed by the vocabulary's tiers; a tier's stored name (a str) finds its entry too.
TIER_SHORT: dict[str, str] = {
    Tier.EMERGENCY: "Emergency",
    Tier.URGENT: "Urgent",
    Tier.SOON: "Soon",
    Tier.ROUTINE: "Routine",
    Tier.SELF_CARE: "Self-care",
}

# McKenzie pattern names as the domain reports them, in words a person can use with a clinician.
PATTERN_LABELS: dict[str, str] = {
    Pattern.EXTENSION_BIASED: "Your pain seems to ease when you lean back or walk, and to worsen when you "
    "sit or bend forward.",
    Pattern.FLEXION_BIASED: "Your pain seems to ease when you sit or bend forward, and to worsen when you "
    "stand or walk. Narrowing of the spinal canal (stenosis) can behave like this.",
    Pattern.UNCLEAR: "Your answers do not show a clear pattern of which movements ease or worsen the pain.",
}
