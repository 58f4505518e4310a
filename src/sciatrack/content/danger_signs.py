"""The danger signs asked again after a check (``danger_signs.yaml``): schema, check and loader.

The file is the one home of the danger signs' words: each sign's label, the advice said with every list
of them, the mark of those that alone mean the emergency department now, and the signs in brief that
other advice names through ``{danger_signs}`` (:func:`fill_danger_signs`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Self

from pydantic import Field, model_validator

from .reading import Problem, read_model
from .rules_schema import DANGER_SIGNS_PLACEHOLDER, FlagKey, StrictModel, Text

DANGER_SIGNS_FILE = "danger_signs.yaml"
CONTENT_DIR = Path(__file__).resolve().parent
# The contract's minimum (spec section 3): every list of danger signs names at least these.
CONTRACT_MINIMUM = (
    "saddle_numbness",
    "bladder_change",
    "bowel_change",
    "sexual_dysfunction_new",
    "bilateral_new",
    "progressive_weakness",
    "face_head_jaw_numbness",
    "sudden_pain_faint",
    "fever",
)


class DangerSignEntry(StrictModel):
    flag: FlagKey
    label: Text


# Words that other text takes in whole; a brace in them would read as a placeholder there.
PlainText = Annotated[Text, Field(pattern=r"^[^{}]*$")]


class DangerSigns(StrictModel):
    advice: PlainText  # what to do when any of them appears, said once with every list of them
    emergency_mark: PlainText  # after each sign that alone means the emergency department now
    in_brief: PlainText  # the signs that matter most in a few words, for one-sentence reminders
    signs: Annotated[tuple[DangerSignEntry, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _the_contract_minimum_once_each(self) -> Self:
        flags = [sign.flag for sign in self.signs]
        repeated = sorted({flag for flag in flags if flags.count(flag) > 1})
        if repeated:
            raise ValueError(f"list each sign once; repeated: {', '.join(repeated)}")
        labels = [sign.label for sign in self.signs]
        if len(set(labels)) != len(labels):
            raise ValueError("give each sign words of its own; two signs have the same label")
        missing = [flag for flag in CONTRACT_MINIMUM if flag not in flags]
        if missing:
            raise ValueError(f"the contract's danger signs are missing: {', '.join(missing)}")
        return self


class DangerSignsError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"{p.file}: {p.field}: {p.message}" for p in problems))


def check_danger_signs(root: Path) -> list[Problem]:
    """Every problem in ``danger_signs.yaml`` under ``root`` (empty if none)."""
    return read_model(root, DANGER_SIGNS_FILE, DangerSigns)[1]


@cache
def _load(root: Path) -> DangerSigns:
    signs, problems = read_model(root, DANGER_SIGNS_FILE, DangerSigns)
    if problems or signs is None:
        raise DangerSignsError(problems)
    return signs


def load_danger_signs(root: Path = CONTENT_DIR) -> DangerSigns:
    """The danger signs to ask again, validated."""
    return _load(root.resolve())


def fill_danger_signs(text: str, root: Path = CONTENT_DIR) -> str:
    """``text`` with ``{danger_signs}`` replaced by the signs in brief."""
    if DANGER_SIGNS_PLACEHOLDER not in text:
        return text
    return text.replace(DANGER_SIGNS_PLACEHOLDER, load_danger_signs(root).in_brief)
