"""The words every part of Sciatrack shares: intake keys and values, tiers, places to go and patterns.

This module imports nothing of the project's, so the content schemas, the domain and the apps can all
build on it without an import circle. It holds names and their order, never a decision: what a red flag
means for the tier lives in ``content/triage_rules.yaml``.
"""

from __future__ import annotations

from enum import StrEnum

SCHEMA_V1 = "sciatrack.intake/1"
SCHEMA_V2 = "sciatrack.intake/2"
SCHEMA = SCHEMA_V2  # what new intakes are written in
SCHEMAS = (SCHEMA_V1, SCHEMA_V2)

REGIONS_V1 = (
    "low_back",
    "buttock",
    "groin",
    "back_of_thigh",
    "side_of_thigh",
    "front_of_thigh",
    "back_of_calf",
    "side_of_calf",
    "front_of_shin",
    "top_of_foot",
    "sole",
    "heel",
    "big_toe",
    "little_toe",
)
REGIONS_ADDED_IN_V2 = ("mid_back",)
REGIONS = REGIONS_ADDED_IN_V2 + REGIONS_V1  # top of the body first, as a body map reads
SIDES = ("left", "right", "both", "alternating")
SENSATIONS = ("dull_ache", "burning", "sharp", "electric", "tingling", "numbness", "weakness")
TRIGGERS = (
    "sitting",
    "morning",
    "sit_to_stand",
    "bending_forward",
    "bending_backward",
    "walking",
    "standing",
    "lying",
    "coughing_sneezing",
    "night",
)
RED_FLAG_KEYS_V1 = (
    "saddle_numbness",
    "bladder_change",
    "bowel_change",
    "sexual_dysfunction_new",
    "bilateral_leg_symptoms",
    "progressive_weakness",
    "face_head_jaw_numbness",
    "arm_numbness_tingling",
    "upset_stomach",
    "fever",
    "sudden_severe_onset",
    "anticoagulants",
    "iv_drug_use",
    "immunosuppressed",
    "history_of_cancer",
    "unexplained_weight_loss",
    "night_pain_unrelenting",
    "tb_history_or_exposure",
    "major_trauma",
    "osteoporosis_or_steroids",
)
RED_FLAG_KEYS_ADDED_IN_V2 = (
    "cancer_recent",
    "thoracic_pain",
    "new_marked_weakness",
    "bilateral_new",
    "recent_spinal_procedure",
    "recent_infection",
    "sudden_pain_faint",
    "pregnant_or_postpartum",
    "diabetes",
)
RED_FLAG_KEYS = RED_FLAG_KEYS_V1 + RED_FLAG_KEYS_ADDED_IN_V2

# The safe readings of contradictions (spec section 1): an answer that implies a red flag makes that flag
# count as yes, whatever its own answer was; the more urgent reading is the safe one. They are part of
# what the answers mean, so the content checks and the domain read them from here.
IMPLIED_FLAGS = {
    "bilateral_new": "bilateral_leg_symptoms",  # a second leg that began recently is still a second leg
    "cancer_recent": "history_of_cancer",
}
SIDE_IMPLIES = {"both": "bilateral_leg_symptoms"}
REGION_IMPLIES = {"mid_back": "thoracic_pain"}

PAIN_KEYS = ("leg_now", "back_now")
AGE_RANGE = (16, 110)
PAIN_RANGE = (0, 10)
ONSET_WEEKS_RANGE = (0, 2600)  # 50 years: anything longer is a typo, not a history


class Tier(StrEnum):
    """A triage tier. Tiers compare by urgency, not alphabetically: ``EMERGENCY > ... > SELF_CARE``."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    SOON = "soon"
    ROUTINE = "routine"
    SELF_CARE = "self_care"

    @property
    def urgency(self) -> int:
        """4 for emergency down to 0 for self_care."""
        return len(TIER_ORDER) - 1 - TIER_ORDER.index(self)

    @property
    def exercise_allowed(self) -> bool:
        return self in (Tier.ROUTINE, Tier.SELF_CARE)

    @property
    def word(self) -> str:
        """The tier as a plain word in running text: ``self-care``, ``emergency``."""
        return self.value.replace("_", "-")

    @property
    def is_alert(self) -> bool:
        """A danger sign: the person is sent to a doctor or the emergency department today (or now)."""
        return self in (Tier.EMERGENCY, Tier.URGENT)

    # str's own comparisons would order tiers alphabetically; urgency is the only order that means anything.
    def __lt__(self, other: object) -> bool:
        return self.urgency < other.urgency if isinstance(other, Tier) else NotImplemented

    def __le__(self, other: object) -> bool:
        return self.urgency <= other.urgency if isinstance(other, Tier) else NotImplemented

    def __gt__(self, other: object) -> bool:
        return self.urgency > other.urgency if isinstance(other, Tier) else NotImplemented

    def __ge__(self, other: object) -> bool:
        return self.urgency >= other.urgency if isinstance(other, Tier) else NotImplemented


TIER_ORDER = (Tier.EMERGENCY, Tier.URGENT, Tier.SOON, Tier.ROUTINE, Tier.SELF_CARE)
TIERS = tuple(tier.value for tier in TIER_ORDER)  # most urgent first
EXERCISE_TIERS = tuple(tier.value for tier in TIER_ORDER if tier.exercise_allowed)
NO_EXERCISE_TIERS = tuple(tier.value for tier in TIER_ORDER if not tier.exercise_allowed)
ALERT_TIERS = tuple(tier.value for tier in TIER_ORDER if tier.is_alert)
# (value, label) pairs for a stored tier, most urgent first: "Self-care", "Emergency".
TIER_CHOICES = tuple((tier.value, tier.word.capitalize()) for tier in TIER_ORDER)


class Where(StrEnum):
    """Where a person should go, most pressing first. Each place belongs to exactly one tier."""

    EMERGENCY_DEPARTMENT_NOW = "emergency_department_now"
    EMERGENCY_DEPARTMENT_TODAY = "emergency_department_today"
    DOCTOR_TODAY = "doctor_today"
    DOCTOR_WITHIN_DAYS = "doctor_within_days"
    CLINICIAN_REVIEW = "clinician_review"
    HOME_PROGRAM = "home_program"

    @property
    def tier(self) -> Tier:
        return PLACE_TIERS[self]

    @property
    def pressure(self) -> int:
        """How pressing: 5 for the emergency department now down to 0 for the home program."""
        return len(WHERE_ORDER) - 1 - WHERE_ORDER.index(self)


WHERE_ORDER = tuple(Where)  # most pressing first, as declared
PLACE_TIERS = {
    Where.EMERGENCY_DEPARTMENT_NOW: Tier.EMERGENCY,
    Where.EMERGENCY_DEPARTMENT_TODAY: Tier.URGENT,
    Where.DOCTOR_TODAY: Tier.URGENT,
    Where.DOCTOR_WITHIN_DAYS: Tier.SOON,
    Where.CLINICIAN_REVIEW: Tier.ROUTINE,
    Where.HOME_PROGRAM: Tier.SELF_CARE,
}
PLACES = tuple(place.value for place in WHERE_ORDER)


class Pattern(StrEnum):
    """Which way of moving seems to ease the pain (the McKenzie pattern). What each one means, read from
    the answers, is :func:`sciatrack.domain.differential.mckenzie_pattern`."""

    EXTENSION_BIASED = "extension_biased"
    FLEXION_BIASED = "flexion_biased"  # stenosis-like
    UNCLEAR = "unclear"


PATTERNS = tuple(pattern.value for pattern in Pattern)
