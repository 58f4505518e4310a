"""The danger-sign questions of the safety check, in plain words, in the order they are asked.

One question per red-flag key of ``sciatrack.intake/2``, each with a short explanation. The meanings
follow the clinical contract (``shared/spec/triage-and-program.md``, section 1); the words are our own,
written for a person in pain reading on a phone. Nothing here decides anything: what an answer means
for the advice lives in ``content/triage_rules.yaml``.

The groups run from the signs that can need an ambulance to the health background. ``bilateral_new``
sits beside ``bilateral_leg_symptoms`` so that a list of answers reads in a sensible order, but the check
asks it after the question about which leg (see :mod:`.steps`), as it only makes sense with a second leg.
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


SECOND_LEG_KEY = "bilateral_new"  # asked only when there is a second leg

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
                "This is the area that would touch a bicycle saddle. You might notice less feeling when "
                "you wipe after using the toilet, or less feeling in your penis or vagina.",
            ),
            RedFlagQuestion(
                "bladder_change",
                "Has anything changed with your bladder since this started?",
                "For example: it is hard to start or to empty your bladder, you cannot feel the urine "
                "passing, or you leak when you did not before. A small leak when you cough, sneeze or "
                "laugh does not count if it happened before this problem too.",
            ),
            RedFlagQuestion(
                "bowel_change",
                "Have you lost control of your bowels, or lost the feeling that they are full?",
                "Answer yes only if this is new.",
            ),
            RedFlagQuestion(
                "sexual_dysfunction_new",
                "Since this started, do you have new trouble with sex, such as with erections or orgasm?",
                "For example: you cannot get or keep an erection, you cannot come (ejaculate or reach "
                "orgasm), or you feel less during sex. Answer no if sex is only too painful to try.",
            ),
            RedFlagQuestion(
                "face_head_jaw_numbness",
                "Is any part of your face, head or jaw numb or tingling?",
                "Sciatica does not do this. It can be a sign of a stroke.",
            ),
            RedFlagQuestion(
                "sudden_pain_faint",
                "Did sudden, very bad pain in your back or belly come with feeling faint, sweaty or dizzy?",
                "This can come from the main blood vessel in the belly. It needs help straight away.",
            ),
            RedFlagQuestion(
                "progressive_weakness",
                "Is your leg or foot getting weaker?",
                "For example: you cannot stand on your toes or on your heels as well as a day or two ago, "
                "or the leg does less of what you ask each day.",
            ),
            RedFlagQuestion(
                "new_marked_weakness",
                "In the last 4 weeks, has your foot started to slap down or catch, do your toes drag, or "
                "does your knee give way?",
                "Answer yes even if it is not getting any worse.",
            ),
            RedFlagQuestion(
                "bilateral_leg_symptoms",
                "Do you have pain, tingling, numbness or weakness in both legs?",
                "Answer yes as well if it has started to spread from one leg to the other.",
            ),
            RedFlagQuestion(
                SECOND_LEG_KEY,
                "Did the pain, tingling, numbness or weakness in your second leg start in the last 4 weeks?",
                "Your second leg is the one that was fine at first. If both legs started at the same time, "
                "answer yes if that was in the last 4 weeks.",
            ),
            RedFlagQuestion(
                "fever",
                "Do you have a fever, or feel hot and shivery?",
                "A temperature of 38 °C (100.4 °F) or more, or chills and night sweats.",
            ),
            RedFlagQuestion(
                "sudden_severe_onset",
                "In the last 7 days, did very bad back pain come on suddenly, within minutes?",
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
                "arm_numbness_tingling",
                "Do you have numbness or tingling in an arm or a hand?",
                "Sciatica affects the legs. A doctor should find out why the arms are involved.",
            ),
            RedFlagQuestion(
                "major_trauma",
                "In the last 4 weeks, did you have a bad fall, a road accident or another hard blow?",
                "For example: a fall from a ladder or down the stairs, or a car crash.",
            ),
            RedFlagQuestion(
                "cancer_recent",
                "Do you have cancer now, or have you been treated for cancer in the last 5 years?",
                "Answer yes as well if a cancer you had at any time spread to another part of the body.",
            ),
            RedFlagQuestion(
                "thoracic_pain",
                "Do you have pain in the middle or upper part of your back, or a band of pain around your "
                "chest?",
                "The middle of the back is the part behind your ribs, above your waist. Sciatica starts "
                "lower down.",
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
                "Answer yes even if it was treated and gone long ago. Common skin cancers do not count, "
                "but melanoma does.",
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
                "recent_spinal_procedure",
                "In the last 12 weeks, have you had an operation on your spine or an injection into your "
                "spine?",
                "For example: a disc operation, or a steroid injection into the back, such as an epidural.",
            ),
            RedFlagQuestion(
                "recent_infection",
                "In the last 12 weeks, have you had an infection that needed antibiotics?",
                "For example: a chest, urine, skin or tooth infection. Now and then an infection spreads to "
                "the spine.",
            ),
            RedFlagQuestion(
                "iv_drug_use",
                "In the last year, have you injected drugs that were not prescribed to you?",
                "We ask only because it raises the chance of an infection near the spine.",
            ),
            RedFlagQuestion(
                "immunosuppressed",
                "Is your immune system weakened?",
                "For example by chemotherapy, by medicines taken after a transplant, by 'biologic' "
                "medicines for arthritis or the bowel, by steroid tablets taken for three months or more, "
                "or by an illness such as HIV.",
            ),
            RedFlagQuestion(
                "diabetes",
                "Do you have diabetes?",
                "Any type, whether you treat it with tablets, insulin or diet. Diabetes makes some "
                "infections more likely.",
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
            RedFlagQuestion(
                "pregnant_or_postpartum",
                "Are you pregnant, or have you had a baby in the last 6 months?",
                "We ask everyone. If yes, we leave out the exercises done lying on your front, and a "
                "physiotherapist who works with pregnancy can help.",
            ),
        ),
    ),
)

QUESTIONS_BY_KEY = {question.key: question for group in RED_FLAG_GROUPS for question in group.questions}
