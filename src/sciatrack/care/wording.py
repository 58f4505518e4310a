"""Every question, label and explanation of the safety check, in plain words.

Written for a person in pain reading on a phone: short sentences, everyday words, one idea at a
time. Nothing here decides anything; the triage rules live in the content files and the domain.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RedFlagQuestion:
    key: str
    question: str
    explain: str


@dataclass(frozen=True)
class RedFlagGroup:
    slug: str
    title: str
    intro: str
    questions: tuple[RedFlagQuestion, ...]


# Asked in this order: the signs that can need an ambulance first, background last.
RED_FLAG_GROUPS: tuple[RedFlagGroup, ...] = (
    RedFlagGroup(
        slug="emergency",
        title="Signs that need care straight away",
        intro="These are rare, but they matter most, so we ask about them first.",
        questions=(
            RedFlagQuestion(
                "saddle_numbness",
                "Is there numbness around your back passage, your genitals or your inner thighs?",
                "This is the area that would touch a bicycle saddle. You might notice it as less "
                "feeling when you wipe after using the toilet.",
            ),
            RedFlagQuestion(
                "bladder_change",
                "Has anything changed with your bladder since this started?",
                "For example: it is hard to start or to empty your bladder, you cannot feel the urine "
                "passing, or you leak when you did not before.",
            ),
            RedFlagQuestion(
                "bowel_change",
                "Have you lost control of your bowels, or lost the feeling that they are full?",
                "Answer yes only if this is new.",
            ),
            RedFlagQuestion(
                "face_head_jaw_numbness",
                "Is any part of your face, head or jaw numb or tingling?",
                "Sciatica does not do this. It can be a sign of a stroke.",
            ),
            RedFlagQuestion(
                "progressive_weakness",
                "Is your leg or foot getting weaker?",
                "For example: your foot slaps down or catches on the ground when you walk, or you cannot "
                "stand on your toes or heels as well as a day or two ago.",
            ),
            RedFlagQuestion(
                "bilateral_leg_symptoms",
                "Do you have pain, tingling, numbness or weakness in both legs?",
                "Answer yes as well if it has started to spread from one leg to the other.",
            ),
            RedFlagQuestion(
                "fever",
                "Do you have a fever, or feel hot and shivery?",
                "A temperature of 38 °C (100.4 °F) or more, or chills and night sweats.",
            ),
            RedFlagQuestion(
                "sudden_severe_onset",
                "Did very bad back pain come on suddenly, within minutes?",
                "Not pain that built up over hours or days, but pain that struck all at once.",
            ),
            RedFlagQuestion(
                "anticoagulants",
                "Do you take a blood thinner?",
                "Medicine that stops your blood from clotting, such as warfarin, apixaban, rivaroxaban, "
                "dabigatran or heparin injections.",
            ),
        ),
    ),
    RedFlagGroup(
        slug="today",
        title="Signs a doctor should see today",
        intro="",
        questions=(
            RedFlagQuestion(
                "sexual_dysfunction_new",
                "Have you noticed a new change in your sexual function?",
                "For example: less feeling in the genitals, or new trouble with erections or with "
                "reaching orgasm since this pain began.",
            ),
            RedFlagQuestion(
                "arm_numbness_tingling",
                "Do you have numbness or tingling in an arm or a hand?",
                "Sciatica affects the legs. A doctor should find out why the arms are involved.",
            ),
            RedFlagQuestion(
                "major_trauma",
                "Did this start after a bad fall, a road accident or another hard blow?",
                "",
            ),
        ),
    ),
    RedFlagGroup(
        slug="background",
        title="Your health background",
        intro="These help a doctor rule out rarer causes of back and leg pain.",
        questions=(
            RedFlagQuestion(
                "history_of_cancer",
                "Have you ever had cancer?",
                "Answer yes even if it was treated and gone long ago.",
            ),
            RedFlagQuestion(
                "unexplained_weight_loss",
                "Have you lost weight lately without trying to?",
                "",
            ),
            RedFlagQuestion(
                "night_pain_unrelenting",
                "Is the pain bad at night, and does it stay bad however you lie?",
                "Answer no if you can find a position that eases it.",
            ),
            RedFlagQuestion(
                "iv_drug_use",
                "Do you inject drugs that were not prescribed to you, or have you recently?",
                "We ask only because it raises the chance of an infection near the spine.",
            ),
            RedFlagQuestion(
                "immunosuppressed",
                "Is your immune system weakened?",
                "For example by chemotherapy, by medicines taken after a transplant or for an "
                "autoimmune illness, or by HIV.",
            ),
            RedFlagQuestion(
                "tb_history_or_exposure",
                "Have you had tuberculosis (TB), or spent time close to someone who had it?",
                "",
            ),
            RedFlagQuestion(
                "upset_stomach",
                "Has your stomach been upset since this pain began?",
                "For example: feeling sick, being sick, stomach pain or diarrhoea. Pain felt in the back "
                "can sometimes come from the belly.",
            ),
            RedFlagQuestion(
                "osteoporosis_or_steroids",
                "Do you have thin bones (osteoporosis), or have you taken steroid tablets for months?",
                "Steroid tablets such as prednisolone, taken for three months or more. Both make the "
                "bones of the spine easier to break.",
            ),
        ),
    ),
)

SIDE_LABELS = {
    "left": "Left leg",
    "right": "Right leg",
    "both": "Both legs",
    "alternating": "It swaps from one side to the other",
}

REGION_LABELS = {
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

TIER_SHORT = {
    "emergency": "Emergency",
    "urgent": "Urgent",
    "soon": "Soon",
    "routine": "Routine",
    "self_care": "Self-care",
}

# McKenzie pattern names as the domain reports them, in words a person can use with a clinician.
PATTERN_LABELS = {
    "extension_biased": "Your pain seems to ease when you lean back or walk, and to worsen when you sit or "
    "bend forward.",
    "flexion_biased": "Your pain seems to ease when you sit or bend forward, and to worsen when you stand or "
    "walk. Narrowing of the spinal canal (stenosis) can behave like this.",
    "unclear": "Your answers do not show a clear pattern of which movements ease or worsen the pain.",
}
