"""The danger signs asked again after a check (``danger_signs.yaml``): schema, check and loader."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Self

from pydantic import Field, model_validator

from .reading import Problem, read_model
from .rules_schema import FlagKey, StrictModel, Text

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


class DangerSigns(StrictModel):
    signs: Annotated[tuple[DangerSignEntry, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _the_contract_minimum_once_each(self) -> Self:
        flags = [sign.flag for sign in self.signs]
        repeated = sorted({flag for flag in flags if flags.count(flag) > 1})
        if repeated:
            raise ValueError(f"list each sign once; repeated: {', '.join(repeated)}")
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
