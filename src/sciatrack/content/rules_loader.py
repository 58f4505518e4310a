"""Loading and checking the triage rules, the conditions to discuss and the questionnaires.

``load_*`` read a content folder once per process (cached by path) and raise :class:`RulesContentError`
listing every problem when a file is invalid: the shipped content is checked by the test suite, so an
error here means a deployment edited it wrongly, and refusing to start is safer than triaging with a
broken rule set. ``check_rules`` and ``check_questionnaires`` return the same problems as a list for
``sciatrack content check``.

Files are read through :mod:`.reading`, which refuses a key repeated in one mapping.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

from .reading import SHIPPED_CONTENT, Problem, read_model, resolved
from .rules_schema import ConditionSet, Questionnaire, RuleSet

CONTENT_DIR = SHIPPED_CONTENT
RULES_FILE = "triage_rules.yaml"
CONDITIONS_FILE = "conditions.yaml"
QUESTIONNAIRE_DIR = "questionnaires"


class RulesContentError(ValueError):
    """A content file is missing or invalid; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"{p.file}: {p.field}: {p.message}" for p in problems))


def _rules(root: Path) -> tuple[RuleSet | None, ConditionSet | None, list[Problem]]:
    rules, rule_problems = read_model(root, RULES_FILE, RuleSet)
    conditions, condition_problems = read_model(root, CONDITIONS_FILE, ConditionSet)
    return rules, conditions, rule_problems + condition_problems


def _questionnaires(root: Path) -> tuple[dict[str, Questionnaire], list[Problem]]:
    folder = root / QUESTIONNAIRE_DIR
    found: dict[str, Questionnaire] = {}
    problems: list[Problem] = []
    paths = sorted(folder.glob("*.yaml"))
    if not paths:
        problems.append(Problem(QUESTIONNAIRE_DIR, "(folder)", "no questionnaire files (*.yaml) found"))
    for path in paths:
        relative = path.relative_to(root).as_posix()
        questionnaire, found_problems = read_model(root, relative, Questionnaire)
        problems += found_problems
        if questionnaire is None:
            continue
        if questionnaire.id != path.stem:
            # The id is how results are stored; a renamed file must not quietly change it.
            problems.append(Problem(relative, "id", f"must match the file name ({path.stem!r})"))
            continue
        found[questionnaire.id] = questionnaire
    return found, problems


def check_rules(root: Path) -> list[Problem]:
    """Every problem in ``triage_rules.yaml`` and ``conditions.yaml`` under ``root`` (empty if none)."""
    return _rules(root)[2]


def check_questionnaires(root: Path) -> list[Problem]:
    """Every problem in ``questionnaires/*.yaml`` under ``root`` (empty if none)."""
    return _questionnaires(root)[1]


@cache
def _load_rules(root: Path) -> tuple[RuleSet, ConditionSet]:
    rules, conditions, problems = _rules(root)
    if problems or rules is None or conditions is None:
        raise RulesContentError(problems)
    return rules, conditions


def load_rules(root: Path = CONTENT_DIR) -> RuleSet:
    """The triage rules and tier advice, validated; raises :class:`RulesContentError` if invalid."""
    return _load_rules(resolved(root))[0]


def load_conditions(root: Path = CONTENT_DIR) -> ConditionSet:
    """The conditions to discuss and the nerve-root map, validated."""
    return _load_rules(resolved(root))[1]


@cache
def _load_questionnaires(root: Path) -> Mapping[str, Questionnaire]:
    found, problems = _questionnaires(root)
    if problems:
        raise RulesContentError(problems)
    return found


def load_questionnaires(root: Path = CONTENT_DIR) -> Mapping[str, Questionnaire]:
    """Every questionnaire by id (its file name), validated."""
    return _load_questionnaires(resolved(root))


def get_questionnaire(questionnaire_id: str, root: Path = CONTENT_DIR) -> Questionnaire:
    """One questionnaire; raises KeyError naming the ids that exist."""
    questionnaires = load_questionnaires(root)
    if questionnaire_id not in questionnaires:
        raise KeyError(
            f"no questionnaire {questionnaire_id!r}; there are {', '.join(sorted(questionnaires))}"
        )
    return questionnaires[questionnaire_id]
