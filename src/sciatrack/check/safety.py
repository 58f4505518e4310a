"""Whether the person's latest check rules out exercise, and the advice that says so, for every page.

A danger result must never be hidden: while the newest check (or, for a visitor, the finished check in
their browser session) does not allow exercise, the menu, the home page and the library offer no
exercise and show the advice instead. :func:`exercise_block` answers for one request;
:func:`context` hands it to every template lazily, so pages that never ask pay nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from sciatrack.care.models import Intake, SafetyUpdate
from sciatrack.domain.intake import IntakeAnswers, IntakeError
from sciatrack.domain.safety_update import danger_signs, topped_up

from . import checking, steps
from .presentation import result_context


@dataclass(frozen=True)
class ExerciseBlock:
    """The advice of a result that rules out exercise, as the tier box shows it."""

    tier: str
    tier_short: str
    headline: str
    where_label: str
    todo: tuple[str, ...]


def _block(result: dict[str, Any]) -> ExerciseBlock | None:
    shown = result_context({}, result, {})
    if shown["exercise_allowed"]:
        return None
    return ExerciseBlock(
        shown["tier"], shown["tier_short"], shown["headline"], shown["where_label"], tuple(shown["todo"])
    )


def exercise_block(request: HttpRequest) -> ExerciseBlock | None:
    """The advice that rules out exercise for this person now, or None when exercise is allowed."""
    patient = checking.patient_of(request)
    if patient is not None:
        latest = Intake.objects.filter(patient=patient).order_by("-created").first()
        if latest is None or latest.allows_exercise:
            return None
        return _block(latest.advice)
    if request.user.is_authenticated:  # staff without a patient record have no check
        return None
    state = checking.load(request)
    if not steps.answered(state) or steps.first_unanswered(state) is not None:
        return None
    try:
        return _block(checking.evaluate(state).result)
    except (IntakeError, ValueError):
        return None


def answers_so_far(check: Intake) -> IntakeAnswers:
    """The check's answers with every safety update since added: the new questions of a top-up, and
    each danger sign reported (the contract, section 3: a report adds to the latest check's answers)."""
    answers = check.to_domain()
    for update in check.safety_updates.order_by("created"):
        if update.source == SafetyUpdate.Source.TOP_UP:
            answers = topped_up(answers, update.signs)
        else:
            answers = replace(answers, red_flags=answers.red_flags | frozenset(update.signs))
    return answers


def new_questions(request: HttpRequest) -> tuple[Intake, tuple[str, ...]] | None:
    """The newest check and the questions it never asked (a version-1 check not topped up yet), or None."""
    patient = checking.patient_of(request)
    check = Intake.objects.filter(patient=patient).order_by("-created").first() if patient else None
    if check is None:
        return None
    not_asked = answers_so_far(check).not_asked
    return (check, not_asked) if not_asked else None


def context(request: HttpRequest) -> dict[str, Any]:
    """``exercise_block`` for every template, read only when a template uses it."""
    block = SimpleLazyObject(lambda: exercise_block(request) or False)
    # The list of danger signs is the same for everyone; the template calls it when it shows it.
    top_up = SimpleLazyObject(lambda: bool(new_questions(request)))
    return {
        "exercise_block": block,
        "hide_exercises": block,
        "danger_signs": danger_signs,
        "top_up_needed": top_up,
    }
