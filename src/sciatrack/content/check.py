"""``sciatrack content check``: every problem in every content file, each with its file and field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .danger_signs import check_danger_signs
from .loader import CONTENT_DIR, check_exercises
from .program_loader import check_program_rules
from .reading import Problem
from .red_flag_questions import check_red_flag_questions
from .registry_schema import check_registry_content
from .rules_loader import check_questionnaires, check_rules
from .symptom_answers import check_symptom_answers

# Each check reads one kind of content under a root folder; add new content kinds here.
CHECKS: tuple[Callable[[Path], list[Problem]], ...] = (
    check_exercises,
    check_rules,
    check_questionnaires,
    check_program_rules,
    check_registry_content,
    check_danger_signs,
    check_red_flag_questions,
    check_symptom_answers,
)


def check_content(root: Path | None = None) -> list[Problem]:
    """Run every check on ``root`` (the shipped content when None); an empty list means all is well."""
    folder = (root or CONTENT_DIR).resolve()
    problems: list[Problem] = []
    for check in CHECKS:
        problems += check(folder)
    return problems
