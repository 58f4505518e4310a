"""Loading the exercise library: one validated YAML file per exercise in ``content/exercises/``.

``load_exercises`` reads the folder once per process (cached by path) and raises :class:`ContentError`
listing every problem if anything is wrong; ``check_exercises`` returns the same problems as a list for
``sciatrack content check``. The library must hold exactly the exercises in ``EXERCISE_IDS``: the program
rules name them, so a missing or extra file is an error, not a smaller library.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

from .reading import Problem, read_model
from .schema import EXERCISE_IDS, Exercise

CONTENT_DIR = Path(__file__).resolve().parent
EXERCISE_DIR = "exercises"

__all__ = ["CONTENT_DIR", "ContentError", "Problem", "check_exercises", "get_exercise", "load_exercises"]


class ContentError(ValueError):
    """The exercise library is invalid; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def _exercises(root: Path) -> tuple[dict[str, Exercise], list[Problem]]:
    found: dict[str, Exercise] = {}
    problems: list[Problem] = []
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
        uuids[str(exercise.uuid)] = relative
        found[exercise.id] = exercise
    for missing in EXERCISE_IDS:
        if missing not in found and not (root / EXERCISE_DIR / f"{missing}.yaml").exists():
            problems.append(
                Problem(f"{EXERCISE_DIR}/{missing}.yaml", "(file)", "is missing; every exercise needs a file")
            )
    ordered = {exercise_id: found[exercise_id] for exercise_id in EXERCISE_IDS if exercise_id in found}
    return ordered, problems


def check_exercises(root: Path) -> list[Problem]:
    """Every problem in ``exercises/*.yaml`` under ``root`` (empty if none)."""
    return _exercises(root)[1]


@cache
def _load(root: Path) -> Mapping[str, Exercise]:
    found, problems = _exercises(root)
    if problems:
        raise ContentError(problems)
    return found


def load_exercises(root: Path = CONTENT_DIR) -> Mapping[str, Exercise]:
    """Every exercise by id, in the library's order; raises :class:`ContentError` if any file is invalid."""
    return _load(root.resolve())


def exercise_names(root: Path = CONTENT_DIR) -> dict[str, str]:
    """Every exercise's display name by id."""
    return {exercise_id: exercise.name for exercise_id, exercise in load_exercises(root).items()}


def get_exercise(exercise_id: str, root: Path = CONTENT_DIR) -> Exercise:
    """One exercise; raises KeyError naming the ids that exist."""
    exercises = load_exercises(root)
    if exercise_id not in exercises:
        raise KeyError(f"no exercise {exercise_id!r}; there are {', '.join(exercises)}")
    return exercises[exercise_id]
