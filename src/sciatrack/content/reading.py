"""Reading one YAML content file into a pydantic model, with every problem named by file and field.

YAML files are read with a loader that refuses repeated keys: in a mapping, a second ``fever:`` would
otherwise silently replace the first, and the author would never learn that half a rule was ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

# The shipped content folder, resolved once (every loader's default root).
SHIPPED_CONTENT = Path(__file__).resolve().parent

FIELD_PATH = re.compile(r"^[a-z_]+(\.[a-z_]+|\[\d+\])*$")

Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a content file: the file (relative to the content root), the field, and why."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"


class StrictLoader(yaml.SafeLoader):
    """A safe loader that refuses a key repeated in one mapping."""


def _mapping_without_repeats(
    loader: StrictLoader, node: yaml.MappingNode, deep: bool = False
) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} appears twice in one mapping", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_repeats)


def field_path(location: tuple[int | str, ...]) -> str:
    """A pydantic error location as a dotted path: ``rules[3].when.all_flags[0]``."""
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(file)"


def problems_of(error: ValidationError, name: str) -> list[Problem]:
    """Every validation error as a :class:`Problem` of the file ``name``."""
    problems = []
    for detail in error.errors():
        field = field_path(tuple(detail["loc"]))
        message = str(detail["msg"]).removeprefix("Value error, ")
        for line in message.splitlines():
            # A file-level check reports one "field: message" line per problem; keep them apart.
            head, separator, rest = line.partition(": ")
            if not detail["loc"] and separator and FIELD_PATH.match(head):
                problems.append(Problem(name, head, rest))
            else:
                problems.append(Problem(name, field, line))
    return problems


def read_model(root: Path, relative: str, model: type[Model]) -> tuple[Model | None, list[Problem]]:
    """The file ``root/relative`` validated as ``model``, or None with the reasons it is not."""
    path = root / relative
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=StrictLoader)  # noqa: S506 - a SafeLoader
    except OSError as error:
        return None, [Problem(relative, "(file)", f"cannot read: {error.strerror}")]
    except yaml.YAMLError as error:
        return None, [Problem(relative, "(file)", f"not valid YAML: {error}")]
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        return None, problems_of(error, relative)


def resolved(root: Path) -> Path:
    """``root`` resolved, the shipped folder without a walk of the file system: the loaders are asked for
    it on every exported row, and it is resolved already."""
    return root if root == SHIPPED_CONTENT else root.resolve()
