"""The screens of the safety check, described as data, each with its own reading of a form.

A step turns a submitted form into the small piece of the answers it owns (or a list of problems that
name the field and what is allowed) and never touches anything else. The pieces live in the session
under ``steps``; :func:`build_intake` puts them together as the ``sciatrack.intake/2`` JSON the domain
reads, the same JSON the API and the command line take.

Every danger sign is asked first, one per screen, except "did the second leg start in the last 4 weeks"
(``bilateral_new``): it is asked just after the question about which leg, and only when there is a second
leg (both legs or swapping sides, or a yes to symptoms in both legs). Without a second leg its answer
follows ("no"), as the contract allows; nothing that should have been asked is ever read as "no".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, ClassVar

from django.http import QueryDict

from sciatrack.domain.vocabulary import SCHEMA

from . import wording
from .measures import PsfsStep, QuestionnaireStep
from .stepbase import Problem, State, Step

ONSET_UNITS = {"days": Decimal(1) / Decimal(7), "weeks": Decimal(1), "months": Decimal("4.348")}


def answered(state: State) -> dict[str, dict[str, Any]]:
    steps: dict[str, dict[str, Any]] = state.setdefault("steps", {})
    return steps


@dataclass
class YesNoStep(Step):
    question: wording.RedFlagQuestion
    group: wording.RedFlagGroup
    number: int  # 1-based among the red-flag questions
    template: ClassVar[str] = "care/step_yesno.html"

    @property
    def slug(self) -> str:  # type: ignore[override]
        return self.question.key.replace("_", "-")

    @property
    def section(self) -> str:  # type: ignore[override]
        return self.group.title

    def clean(self, post: QueryDict) -> tuple[dict[str, Any], list[Problem]]:
        answer = post.get("answer")
        if answer not in ("yes", "no"):
            return {}, [Problem("answer", self.question.question, "choose Yes or No.")]
        return {"value": answer == "yes"}, []

    def context(self, saved: dict[str, Any] | None, post: QueryDict | None) -> dict[str, Any]:
        value = None if saved is None else ("yes" if saved["value"] else "no")
        return {"question": self.question, "group": self.group, "value": value, "not_sure": wording.NOT_SURE}


SECOND_LEG_SIDES = ("both", "alternating")


@dataclass
class SecondLegStep(YesNoStep):
    """``bilateral_new``, asked after the side question, and only when there is a second leg."""

    @property
    def section(self) -> str:  # type: ignore[override]
        return SIDE_SECTION

    def applies(self, state: State) -> bool:
        done = answered(state)
        side = (done.get("side") or {}).get("side")
        both_legs = (done.get(BILATERAL_SLUG) or {}).get("value")
        return side in SECOND_LEG_SIDES or both_legs is True


def _number(raw: str | None) -> Decimal | None:
    text = (raw or "").strip().replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


@dataclass
class AboutStep(Step):
    slug: str = "about-you"
    section: str = "About you"
    template: ClassVar[str] = "care/step_about.html"

    def clean(self, post: QueryDict) -> tuple[dict[str, Any], list[Problem]]:
        problems = []
        age = _number(post.get("age"))
        if age is None or age != age.to_integral_value() or not 16 <= age <= 110:
            problems.append(Problem("age", "Your age", "enter your age in whole years, from 16 to 110."))
        amount = _number(post.get("onset_amount"))
        unit = post.get("onset_unit", "")
        if amount is None or amount < 0 or amount > 10_000:
            problems.append(
                Problem(
                    "onset_amount", "How long this has lasted", "enter a number, 0 or more (for example 3)."
                )
            )
        if unit not in ONSET_UNITS:
            problems.append(Problem("onset_unit", "Days, weeks or months", "choose days, weeks or months."))
        if problems or age is None or amount is None:
            return {}, problems
        weeks = (amount * ONSET_UNITS[unit]).quantize(Decimal("0.01"))
        return {
            "age": int(age),
            "onset_weeks": float(weeks),
            "onset_amount": format(amount.normalize(), "f"),
            "onset_unit": unit,
        }, []

    def context(self, saved: dict[str, Any] | None, post: QueryDict | None) -> dict[str, Any]:
        source: Any = post if post is not None else (saved or {})
        return {
            "age": source.get("age", ""),
            "onset_amount": source.get("onset_amount", ""),
            "onset_unit": source.get("onset_unit", "weeks"),
            "units": [("days", "days"), ("weeks", "weeks"), ("months", "months")],
        }


@dataclass
class ChoiceStep(Step):
    """One answer from a short list, as large radio buttons."""

    slug: str
    section: str
    key: str
    label: str
    choices: dict[str, str]
    hint: str = ""
    template: ClassVar[str] = "care/step_choice.html"

    def clean(self, post: QueryDict) -> tuple[dict[str, Any], list[Problem]]:
        value = post.get(self.key)
        if value not in self.choices:
            allowed = ", ".join(self.choices.values())
            return {}, [Problem(self.key, self.label, f"choose one of: {allowed}.")]
        return {self.key: value}, []

    def context(self, saved: dict[str, Any] | None, post: QueryDict | None) -> dict[str, Any]:
        source: Any = post if post is not None else (saved or {})
        return {
            "key": self.key,
            "label": self.label,
            "hint": self.hint,
            "choices": self.choices.items(),
            "value": source.get(self.key),
        }


@dataclass
class MultiStep(Step):
    """Any number of answers from a list, as checkboxes (none is a valid answer)."""

    slug: str
    section: str
    key: str
    label: str
    choices: dict[str, str]
    hint: str = ""
    template_name: str = "care/step_multi.html"

    @property
    def template(self) -> str:  # type: ignore[override]
        return self.template_name

    def clean(self, post: QueryDict) -> tuple[dict[str, Any], list[Problem]]:
        values = post.getlist(self.key)
        unknown = [value for value in values if value not in self.choices]
        if unknown:
            allowed = ", ".join(self.choices.values())
            shown = ", ".join(repr(value) for value in unknown)
            return {}, [Problem(self.key, self.label, f"{shown} is not on the list; choose from: {allowed}.")]
        return {self.key: [key for key in self.choices if key in values]}, []

    def context(self, saved: dict[str, Any] | None, post: QueryDict | None) -> dict[str, Any]:
        chosen = post.getlist(self.key) if post is not None else (saved or {}).get(self.key, [])
        return {
            "key": self.key,
            "label": self.label,
            "hint": self.hint,
            "choices": [(value, text, value in chosen) for value, text in self.choices.items()],
        }


@dataclass
class PainStep(Step):
    slug: str = "pain-now"
    section: str = "How much it hurts"
    template: ClassVar[str] = "care/step_pain.html"
    items: tuple[tuple[str, str], ...] = (
        ("leg_now", "How bad is the pain in your leg right now?"),
        ("back_now", "How bad is the pain in your back right now?"),
    )

    def clean(self, post: QueryDict) -> tuple[dict[str, Any], list[Problem]]:
        data, problems = {}, []
        for key, label in self.items:
            raw = post.get(key, "")
            if raw.isdigit() and 0 <= int(raw) <= 10:
                data[key] = int(raw)
            else:
                problems.append(
                    Problem(key, label, "choose a number from 0 (no pain) to 10 (worst pain imaginable).")
                )
        return ({}, problems) if problems else (data, [])

    def context(self, saved: dict[str, Any] | None, post: QueryDict | None) -> dict[str, Any]:
        source: Any = post if post is not None else (saved or {})
        return {
            "items": [(key, label, str(source.get(key, ""))) for key, label in self.items],
            "scale": [str(n) for n in range(11)],
        }


SIDE_SECTION = "Which side"
BILATERAL_SLUG = "bilateral-leg-symptoms"
DANGER_SIGNS = "Danger signs"  # every danger-sign screen at the start counts as one step of the check


def _red_flag_steps() -> tuple[list[YesNoStep], SecondLegStep]:
    """The danger-sign screens asked first, numbered, and the second-leg question asked later."""
    steps: list[YesNoStep] = []
    second_leg: SecondLegStep | None = None
    for group in wording.RED_FLAG_GROUPS:
        for question in group.questions:
            if question.key == wording.SECOND_LEG_KEY:
                second_leg = SecondLegStep(question, group, 0)
            else:
                steps.append(YesNoStep(question, group, len(steps) + 1))
    assert second_leg is not None
    return steps, second_leg


RED_FLAG_STEPS, SECOND_LEG_STEP = _red_flag_steps()
STEPS: list[Step] = [
    *RED_FLAG_STEPS,
    AboutStep(),
    ChoiceStep(
        "side",
        SIDE_SECTION,
        "side",
        "Which leg is affected?",
        wording.SIDE_LABELS,
        hint="Think of the pain, tingling or numbness that runs into the leg.",
    ),
    SECOND_LEG_STEP,
    MultiStep(
        "where",
        "Where it hurts",
        "regions",
        "Where do you feel it?",
        wording.REGION_LABELS,
        hint="Tap every place where it hurts, tingles or feels numb, from the middle of your back down. "
        "The picture does not mind which leg.",
        template_name="care/step_regions.html",
    ),
    MultiStep(
        "feel",
        "How it feels",
        "sensations",
        "What does it feel like?",
        wording.SENSATION_LABELS,
        hint="Choose all that fit.",
    ),
    MultiStep(
        "worse",
        "What makes it worse",
        "worse_with",
        "What makes it worse?",
        wording.TRIGGER_LABELS,
        hint="Choose all that fit, or none.",
    ),
    MultiStep(
        "better",
        "What makes it better",
        "better_with",
        "What makes it better?",
        {key: wording.TRIGGER_LABELS[key] for key in wording.BETTER_WITH_CHOICES},
        hint="Choose all that fit, or none.",
    ),
    PainStep(),
    QuestionnaireStep("bothersome", "How much it bothers you", "sbi"),
    QuestionnaireStep("daily-life", "Pain and daily life", "peg"),
    PsfsStep("activities", "Things you want to get back to"),
]
BY_SLUG = {step.slug: step for step in STEPS}
RED_FLAG_COUNT = len(RED_FLAG_STEPS)  # the danger-sign screens at the start, as "question n of N" counts
# Sections as the person sees them counted ("Step 1 of 11": all danger signs at the start are one step).
SECTIONS: list[str] = list(dict.fromkeys(DANGER_SIGNS if s in RED_FLAG_STEPS else s.section for s in STEPS))


def section_number(step: Step) -> int:
    return SECTIONS.index(DANGER_SIGNS if step in RED_FLAG_STEPS else step.section) + 1


def asked(state: State) -> list[Step]:
    """The screens this person meets, given the answers so far, in order."""
    return [step for step in STEPS if step.applies(state)]


def neighbours(step: Step, state: State) -> tuple[Step | None, Step | None]:
    """The screens asked just before and just after ``step`` (which need not be asked itself)."""
    index = STEPS.index(step)
    before = [other for other in STEPS[:index] if other.applies(state)]
    after = [other for other in STEPS[index + 1 :] if other.applies(state)]
    return (before[-1] if before else None), (after[0] if after else None)


def first_unanswered(state: State) -> Step | None:
    done = answered(state)
    return next((step for step in asked(state) if step.slug not in done), None)


# How long the check takes, estimated from what each screen asks (reading a short question and its
# explanation at a calm pace, then tapping). The figure every page shows comes from here, so it follows
# the questions as they change.
YES_NO_SECONDS = 10  # read a danger-sign question and its explanation, tap Yes or No
QUESTION_SECONDS = 15  # pick from a list, the body map or a 0 to 10 scale, or type a number
TYPED_SECONDS = 60  # name up to three activities and rate each


@dataclass(frozen=True)
class CheckLength:
    questions: int  # the most a person is asked: every screen, counting each rating of a questionnaire
    minutes: int

    @property
    def sentence(self) -> str:
        return wording.check_length_sentence(self.questions, self.minutes)


def questions_on(step: Step) -> int:
    if isinstance(step, QuestionnaireStep):
        return len(step.form.items)
    if isinstance(step, PainStep):
        return len(step.items)
    if isinstance(step, AboutStep):
        return 2  # age, and how long it has lasted
    return 1


def seconds_for(step: Step) -> int:
    if isinstance(step, YesNoStep):
        return YES_NO_SECONDS
    if isinstance(step, PsfsStep):
        return TYPED_SECONDS
    return QUESTION_SECONDS * questions_on(step)


@cache
def check_length() -> CheckLength:
    """The number of questions and the minutes the whole check takes, for every page that says so."""
    seconds = sum(seconds_for(step) for step in STEPS)
    return CheckLength(sum(questions_on(step) for step in STEPS), math.ceil(seconds / 60))


PROVISIONAL_DEFAULTS: dict[str, Any] = {
    "age": 30, "onset_weeks": 0, "side": "left", "regions": [], "sensations": [],
    "worse_with": [], "better_with": [], "leg_now": 0, "back_now": 0,
}  # fmt: skip


def build_intake(state: State, provisional: bool = False) -> dict[str, Any] | None:
    """The ``sciatrack.intake/2`` JSON of the answers so far, with every red-flag key answered.

    Complete answers give the real intake: every question the person was asked is answered, and a
    question skipped because its answer follows from earlier ones (no second leg, so ``bilateral_new``)
    takes that answer. With ``provisional``, questions not answered yet take neutral values (no red flag,
    no pain, a young adult, a new episode) so that the triage of the answers so far can warn about
    danger straight away; such an intake is never shown or stored.
    Returns None when the answers are incomplete and ``provisional`` is false.
    """
    done = answered(state)
    if not provisional and first_unanswered(state) is not None:
        return None
    flat: dict[str, Any] = dict(PROVISIONAL_DEFAULTS)
    red_flags = {}
    for step in STEPS:
        saved = done.get(step.slug)
        if isinstance(step, YesNoStep):
            red_flags[step.question.key] = bool(saved and saved["value"] and step.applies(state))
        elif saved and not isinstance(step, QuestionnaireStep | PsfsStep):
            flat.update({k: v for k, v in saved.items() if k in PROVISIONAL_DEFAULTS})
    return {
        "schema": SCHEMA,
        "age": flat["age"],
        "onset_weeks": flat["onset_weeks"],
        "pain": {"leg_now": flat["leg_now"], "back_now": flat["back_now"]},
        "regions": flat["regions"],
        "side": flat["side"],
        "sensations": flat["sensations"],
        "worse_with": flat["worse_with"],
        "better_with": flat["better_with"],
        "red_flags": red_flags,
    }
