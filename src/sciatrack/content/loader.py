"""Loading the exercise library: one validated YAML file per exercise in ``content/exercises/``.

``load_exercises`` reads the folder once per process (cached by path) and raises :class:`ContentError`
listing every problem if anything is wrong; ``check_exercises`` returns the same problems as a list for
``sciatrack content check``. The library must hold exactly the exercises in ``EXERCISE_IDS``: the program
rules name them, so a missing or extra file is an error, not a smaller library.

The stop rules every exercise shares (``stop_rules.yaml``) are put before each exercise's own as it is
loaded, so a loaded exercise's ``stop_rules`` is the whole list. ``pregnancy.yaml`` (what a program adds
in pregnancy) is checked with the library and loaded by :func:`load_pregnancy_advice`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

from .reading import SHIPPED_CONTENT, Problem, read_model, resolved
from .safety_schema import CommonStopRules, PregnancyAdvice
from .schema import EXERCISE_IDS, Exercise

CONTENT_DIR = SHIPPED_CONTENT
EXERCISE_DIR = "exercises"
STOP_RULES_FILE = "stop_rules.yaml"
PREGNANCY_FILE = "pregnancy.yaml"

__all__ = [
    "CONTENT_DIR",
    "ContentError",
    "Problem",
    "check_exercises",
    "get_exercise",
    "load_common_stop_rules",
    "load_exercises",
    "load_pregnancy_advice",
]


class ContentError(ValueError):
    """The exercise library is invalid; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def _exercises(root: Path) -> tuple[dict[str, Exercise], list[Problem]]:
    found: dict[str, Exercise] = {}
    common, problems = read_model(root, STOP_RULES_FILE, CommonStopRules)
    shared = common.in_order() if common is not None else ()
    problems += read_model(root, PREGNANCY_FILE, PregnancyAdvice)[1]
    paths = sorted((root / EXERCISE_DIR).glob("*.yaml"))
    uuids: dict[str, str] = {}
    for path in paths:
        relative = path.relative_to(root).as_posix()
        exercise, file_problems = read_model(root, relative, Exercise)
        problems += file_problems
        if exercise is None:
            continue
        if exercise.id != path.stem:
            # The id is how programs and diaries refer to an exercise; a renamed file must not change it.
            problems.append(Problem(relative, "id", f"must match the file name ({path.stem!r})"))
            continue
        if exercise.id not in EXERCISE_IDS:
            problems.append(Problem(relative, "id", f"must be one of {', '.join(EXERCISE_IDS)}"))
            continue
        if str(exercise.uuid) in uuids:
            problems.append(
                Problem(
                    relative, "uuid", f"is already used by {uuids[str(exercise.uuid)]}; each needs its own"
                )
            )
            continue
        repeated = [rule for rule in exercise.stop_rules if rule in shared]
        if repeated:
            problems.append(
                Problem(relative, "stop_rules", f"already a stop rule of every exercise: {repeated[0]}")
            )
            continue
        uuids[str(exercise.uuid)] = relative
        found[exercise.id] = exercise.model_copy(update={"stop_rules": [*shared, *exercise.stop_rules]})
    for missing in EXERCISE_IDS:
        if missing not in found and not (root / EXERCISE_DIR / f"{missing}.yaml").exists():
            problems.append(
                Problem(f"{EXERCISE_DIR}/{missing}.yaml", "(file)", "is missing; every exercise needs a file")
            )
    ordered = {exercise_id: found[exercise_id] for exercise_id in EXERCISE_IDS if exercise_id in found}
    return ordered, problems


def check_exercises(root: Path) -> list[Problem]:
    """Every problem in ``exercises/*.yaml``, ``stop_rules.yaml`` and ``pregnancy.yaml`` under ``root``."""
    return _exercises(root)[1]


@cache
def _load(root: Path) -> Mapping[str, Exercise]:
    found, problems = _exercises(root)
    if problems:
        raise ContentError(problems)
    return found


def load_exercises(root: Path = CONTENT_DIR) -> Mapping[str, Exercise]:
    """Every exercise by id, in the library's order; raises :class:`ContentError` if any file is invalid."""
    return _load(resolved(root))


@cache
def _load_common_stop_rules(root: Path) -> CommonStopRules:
    rules, problems = read_model(root, STOP_RULES_FILE, CommonStopRules)
    if problems or rules is None:
        raise ContentError(problems)
    return rules


def load_common_stop_rules(root: Path = CONTENT_DIR) -> CommonStopRules:
    """The stop rules every exercise shares (``stop_rules.yaml``), already part of each exercise's."""
    return _load_common_stop_rules(resolved(root))


@cache
def _load_pregnancy(root: Path) -> PregnancyAdvice:
    advice, problems = read_model(root, PREGNANCY_FILE, PregnancyAdvice)
    if problems or advice is None:
        raise ContentError(problems)
    return advice


def load_pregnancy_advice(root: Path = CONTENT_DIR) -> PregnancyAdvice:
    """What a program adds in pregnancy (``pregnancy.yaml``); raises :class:`ContentError` if invalid."""
    return _load_pregnancy(resolved(root))


def exercise_names(root: Path = CONTENT_DIR) -> dict[str, str]:
    """Every exercise's display name by id."""
    return {exercise_id: exercise.name for exercise_id, exercise in load_exercises(root).items()}


def get_exercise(exercise_id: str, root: Path = CONTENT_DIR) -> Exercise:
    """One exercise; raises KeyError naming the ids that exist."""
    exercises = load_exercises(root)
    if exercise_id not in exercises:
        raise KeyError(f"no exercise {exercise_id!r}; there are {', '.join(exercises)}")
    return exercises[exercise_id]
