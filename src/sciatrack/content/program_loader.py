"""Loading and checking ``program_rules.yaml``, the same way as the triage rules."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .program_schema import ProgramRules
from .reading import Problem, read_model
from .rules_loader import CONTENT_DIR, RulesContentError

PROGRAM_RULES_FILE = "program_rules.yaml"


def check_program_rules(root: Path) -> list[Problem]:
    """Every problem in ``program_rules.yaml`` under ``root`` (empty if none)."""
    return read_model(root, PROGRAM_RULES_FILE, ProgramRules)[1]


@cache
def _load(root: Path) -> ProgramRules:
    rules, problems = read_model(root, PROGRAM_RULES_FILE, ProgramRules)
    if problems or rules is None:
        raise RulesContentError(problems)
    return rules


def load_program_rules(root: Path = CONTENT_DIR) -> ProgramRules:
    """The program rules, validated; raises :class:`RulesContentError` listing every problem."""
    return _load(root.resolve())
