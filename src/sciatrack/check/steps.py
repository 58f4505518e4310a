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
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.http import QueryDict

from sciatrack.domain.vocabulary import SCHEMA
from sciatrack.lib.fields import WholeNumberField

from . import wording
from .measures import PsfsStep, QuestionnaireStep
from .stepbase import State, Step, shown_again

ONSET_UNITS = {"days": Decimal(1) / Decimal(7), "weeks": Decimal(1), "months": Decimal("4.348")}
LONGEST_ONSET = Decimal(10_000)  # in days, weeks or months: more is a slip of the finger


def answered(state: State) -> dict[str, dict[str, Any]]:
    steps: dict[str, dict[str, Any]] = state.setdefault("steps", {})
    return steps


def _form(fields: dict[str, forms.Field], data: QueryDict | None) -> forms.Form:
    """A form of ``fields`` bound to ``data``: most screens ask one or two questions built from data."""
    form = forms.Form(data)
    form.fields.update(fields)
    return form


def _choices(labels: dict[str, str]) -> list[tuple[str, str]]:
    return list(labels.items())


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

    def schema(self, data: QueryDict | None = None) -> forms.Form:
        answer = forms.ChoiceField(label=self.question.question, choices=[("yes", "Yes"), ("no", "No")])
        return _form({"answer": answer}, data)

    def allowed(self, form: forms.Form) -> dict[str, str]:
        return {"answer": "choose Yes or No."}

    def answer(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        return {"value": cleaned["answer"] == "yes"}

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


# A rough amount in the digits 0-9, with a point or a comma before any part: "3", "1.5", "0,5", ".5".
_AMOUNT = re.compile(r"[0-9]{1,6}(?:[.,][0-9]{0,4})?|[.,][0-9]{1,4}")


class AmountField(forms.Field):
    """A number of days, weeks or months, 0 or more, as a person types it (never "1e3" or "٣")."""

    default_validators = [MaxValueValidator(LONGEST_ONSET)]

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        if not _AMOUNT.fullmatch(text):
            raise ValidationError("Enter a number in the digits 0-9.", code="invalid")
        return Decimal(text.replace(",", "."))


@dataclass
class AboutStep(Step):
    slug: str = "about-you"
    section: str = "About you"
    template: ClassVar[str] = "care/step_about.html"

    def schema(self, data: QueryDict | None = None) -> forms.Form:
        fields: dict[str, forms.Field] = {
            "age": WholeNumberField(min_value=16, max_value=110, label="Your age"),
            "onset_amount": AmountField(label="How long this has lasted"),
            "onset_unit": forms.ChoiceField(
                label="Days, weeks or months", choices=[(unit, unit) for unit in ONSET_UNITS]
            ),
        }
        return _form(fields, data)

    def allowed(self, form: forms.Form) -> dict[str, str]:
        return {
            "age": "enter your age in whole years, from 16 to 110.",
            "onset_amount": "enter a number, 0 or more (for example 3).",
            "onset_unit": "choose days, weeks or months.",
        }

    def answer(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        amount: Decimal = cleaned["onset_amount"]
        unit: str = cleaned["onset_unit"]
        weeks = (amount * ONSET_UNITS[unit]).quantize(Decimal("0.01"))
        return {
            "age": cleaned["age"],
            "onset_weeks": float(weeks),
            "onset_amount": format(amount.normalize(), "f"),
            "onset_unit": unit,
        }

    def context(self, saved: dict[str, Any] | None, post: QueryDict | None) -> dict[str, Any]:
        names = ("age", "onset_amount", "onset_unit")
        if post is not None:
            form = self.schema(post)
            values = {name: shown_again(form, name) for name in names}
        else:
            values = {name: (saved or {}).get(name) for name in names}
        return {
            "age": values["age"] or "",
            "onset_amount": values["onset_amount"] or "",
            "onset_unit": values["onset_unit"] or "weeks",
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

    def schema(self, data: QueryDict | None = None) -> forms.Form:
        return _form({self.key: forms.ChoiceField(label=self.label, choices=_choices(self.choices))}, data)

    def allowed(self, form: forms.Form) -> dict[str, str]:
        return {self.key: f"choose one of: {', '.join(self.choices.values())}."}

    def context(self, saved: dict[str, Any] | None, post: QueryDict | None) -> dict[str, Any]:
        value = shown_again(self.schema(post), self.key) if post is not None else (saved or {}).get(self.key)
        return {
            "key": self.key,
            "label": self.label,
            "hint": self.hint,
            "choices": self.choices.items(),
            "value": value,
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

    def schema(self, data: QueryDict | None = None) -> forms.Form:
        allowed = ", ".join(self.choices.values()).replace("%", "%%")
        most = len(self.choices)
        chosen = forms.MultipleChoiceField(
            label=self.label,
            choices=_choices(self.choices),
            required=False,
            # A form ticks each box once: a longer list is not a person's answer.
            validators=[MaxLengthValidator(most, f"choose each at most once ({most} in all).")],
            error_messages={
                "invalid_choice": f"%(value)r is not on the list; choose from: {allowed}.",
                "invalid_list": f"choose from: {allowed}.",
            },
        )
        return _form({self.key: chosen}, data)

    def answer(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        values = cleaned[self.key]
        return {self.key: [key for key in self.choices if key in values]}

    def context(self, saved: dict[str, Any] | None, post: QueryDict | None) -> dict[str, Any]:
        chosen = shown_again(self.schema(post), self.key) if post is not None else None
        if chosen is None:
            chosen = (saved or {}).get(self.key, [])
        return {
            "key": self.key,
            "label": self.label,
            "hint": self.hint,
            "choices": [(value, text, value in chosen) for value, text in self.choices.items()],
        }


PAIN_SCALE = "choose a number from 0 (no pain) to 10 (worst pain imaginable)."


@dataclass
class PainStep(Step):
    slug: str = "pain-now"
    section: str = "How much it hurts"
    template: ClassVar[str] = "care/step_pain.html"
    items: tuple[tuple[str, str], ...] = (
        ("leg_now", "How bad is the pain in your leg right now?"),
        ("back_now", "How bad is the pain in your back right now?"),
    )

    def schema(self, data: QueryDict | None = None) -> forms.Form:
        fields: dict[str, forms.Field] = {
            key: WholeNumberField(min_value=0, max_value=10, label=label) for key, label in self.items
        }
        return _form(fields, data)

    def allowed(self, form: forms.Form) -> dict[str, str]:
        return {key: PAIN_SCALE for key, _ in self.items}

    def context(self, saved: dict[str, Any] | None, post: QueryDict | None) -> dict[str, Any]:
        form = self.schema(post) if post is not None else None
        values = {
            key: shown_again(form, key) if form is not None else (saved or {}).get(key)
            for key, _ in self.items
        }
        return {
            "items": [
                (key, label, "" if values[key] is None else str(values[key])) for key, label in self.items
            ],
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


# How long the check takes, estimated from what each screen asks: the fewest seconds at a quick pace, the
# most at a calm one (reading a short question and its explanation, then tapping). The figure every page
# shows comes from here, so it follows the questions as they change.
YES_NO_SECONDS = (6, 10)  # read a danger-sign question and its explanation, tap Yes or No
QUESTION_SECONDS = (8, 15)  # pick from a list, the body map or a 0 to 10 scale, or type a number
TYPED_SECONDS = (30, 60)  # name up to three activities and rate each


@dataclass(frozen=True)
class CheckLength:
    screens: int  # the screens a person with one painful leg meets (most people: see check_length)
    most_screens: int  # with a second leg, one screen more
    questions: int  # the most a person is asked: every screen, counting each rating of a questionnaire
    fewest_minutes: int  # the screens a person with one leg meets, at a quick pace (rounded down)
    most_minutes: int  # every screen at a calm pace (rounded up)

    @property
    def sentence(self) -> str:
        return wording.check_length_sentence(self.screens, self.fewest_minutes, self.most_minutes)


def questions_on(step: Step) -> int:
    if isinstance(step, QuestionnaireStep):
        return len(step.form.items)
    if isinstance(step, PainStep):
        return len(step.items)
    if isinstance(step, AboutStep):
        return 2  # age, and how long it has lasted
    return 1


def seconds_for(step: Step) -> tuple[int, int]:
    """The fewest and the most seconds ``step`` takes."""
    if isinstance(step, YesNoStep):
        return YES_NO_SECONDS
    if isinstance(step, PsfsStep):
        return TYPED_SECONDS
    fewest, most = QUESTION_SECONDS
    return fewest * questions_on(step), most * questions_on(step)


@cache
def check_length() -> CheckLength:
    """The screens, questions and minutes of the check, for every page that says so.

    "About N screens" counts the screens of a person with pain in one leg, who is not asked when the
    second leg started (an empty check: every screen that applies before any answer). Most people meet
    exactly these; the vignettes walked through the check say so in the tests.
    """
    typical = asked({})
    fewest = sum(seconds_for(step)[0] for step in typical)
    most = sum(seconds_for(step)[1] for step in STEPS)
    return CheckLength(
        screens=len(typical),
        most_screens=len(STEPS),
        questions=sum(questions_on(step) for step in STEPS),
        fewest_minutes=max(1, fewest // 60),
        most_minutes=math.ceil(most / 60),
    )


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
