"""The layers import one way only, read from the source with ``ast`` (no module is imported to check).

- ``domain/vocabulary.py`` imports nothing but the standard library: everything else builds on it.
- ``content/`` (the clinical data and its schemas) imports from Sciatrack only the vocabulary and
  itself, and from outside only pydantic and yaml.
- ``domain/`` imports the vocabulary, ``content/`` and itself, never Django and never an app.

Every import counts, including those inside functions and under ``TYPE_CHECKING``: a type-only import
still ties the lower layer to the upper one for the reader and for mypy.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.once

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "sciatrack"
VOCABULARY = "sciatrack.domain.vocabulary"
STANDARD_LIBRARY = sys.stdlib_module_names | {"__future__"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) of every import in the file, relative ones resolved."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                stem = f"{base}.{node.module}" if node.module else base
            else:
                stem = node.module or ""
            if node.module is None or node.level:
                # ``from . import programs`` imports the module ``<package>.programs``.
                for alias in node.names:
                    yield node.lineno, f"{stem}.{alias.name}" if node.module is None else stem
            else:
                yield node.lineno, stem


def files(under: str) -> list[Path]:
    target = PACKAGE / under
    return [target] if target.suffix == ".py" else sorted(target.rglob("*.py"))


def within(module: str, *packages: str) -> bool:
    return any(module == package or module.startswith(f"{package}.") for package in packages)


def breaches(under: str, allowed: tuple[str, ...], third_party: tuple[str, ...]) -> list[str]:
    """Each import of a file under ``under`` that is neither the standard library, one of the Sciatrack
    modules ``allowed`` (and their submodules) nor one of the ``third_party`` packages."""
    found = []
    for path in files(under):
        for line, module in imported_modules(path):
            top = module.partition(".")[0]
            if top == "sciatrack":
                ok = within(module, *allowed)
            else:
                ok = top in STANDARD_LIBRARY or top in third_party
            if not ok:
                found.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {module}")
    return found


def test_the_import_reader_resolves_relative_imports() -> None:
    module = PACKAGE / "care" / "models.py"  # ``from .managers import ...`` and friends
    names = {name for _, name in imported_modules(module)}
    assert "sciatrack.care.managers" in names
    assert VOCABULARY in names


def test_the_vocabulary_imports_only_the_standard_library() -> None:
    assert breaches("domain/vocabulary.py", allowed=(), third_party=()) == []


def test_content_imports_only_the_vocabulary_and_itself() -> None:
    assert (
        breaches("content", allowed=(VOCABULARY, "sciatrack.content"), third_party=("pydantic", "yaml")) == []
    )


def test_the_domain_imports_content_and_the_vocabulary_never_django_or_an_app() -> None:
    allowed = ("sciatrack.domain", "sciatrack.content")
    assert breaches("domain", allowed=allowed, third_party=("pydantic",)) == []


def test_every_layer_is_checked() -> None:
    """The paths above exist, so a move cannot turn a check into one over no files."""
    assert (PACKAGE / "domain" / "vocabulary.py").is_file()
    assert len(files("content")) > 3 and len(files("domain")) > 3
