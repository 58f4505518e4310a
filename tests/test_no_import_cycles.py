"""No import circle inside ``src/sciatrack``: module A importing B while B (directly or through others)
imports A.

A circle makes the load order matter and hides which module decides what. The graph is read from the
source with ``ast``: every import counts, at module level and inside functions (those run later, but they
are still a dependency). Imports under ``if TYPE_CHECKING:`` do not count: they never run, and type hints
may name each other freely. Importing ``a.b`` counts as depending on ``a.b`` only, not on the package ``a``
that Python loads first: a package's ``__init__`` that re-exports its own modules is not a circle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "sciatrack"

# Circles known today, each to be broken by the issue named. Remove an entry when its circle is gone (the
# test fails on an entry that no longer matches, so the list cannot go stale).
KNOWN_CIRCLES: dict[frozenset[str], str] = {}


def module_names() -> dict[str, Path]:
    """Every module of the package by its dotted name (a package by its own name, not ``__init__``)."""
    names = {}
    for path in sorted((SOURCE / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(SOURCE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_that_run(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement in the tree except those under ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for other in node.orelse:
                yield from imports_that_run(ast.Module(body=[other], type_ignores=[]))
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        yield from imports_that_run(node)


def imported_modules(name: str, source: str, is_package: bool, known: set[str]) -> set[str]:
    """The package's own modules that the module ``name`` (whose code is ``source``) imports."""
    package = name if is_package else name.rpartition(".")[0]
    found = set()
    for node in imports_that_run(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
            continue
        base = node.module or ""
        if node.level:
            anchor = package.split(".")
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, base] if base else anchor)
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            found.add(submodule if submodule in known else base)
    return {module for module in found if module in known and module != name}


def import_graph() -> dict[str, set[str]]:
    names = module_names()
    known = set(names)
    return {
        name: imported_modules(name, path.read_text(encoding="utf-8"), path.name == "__init__.py", known)
        for name, path in names.items()
    }


def circles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm, without recursion)."""
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = lowest[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = lowest[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    lowest[node] = min(lowest[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                lowest[parent] = min(lowest[parent], lowest[node])
            if lowest[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(frozenset(group))
    return found


def describe(group: frozenset[str], graph: dict[str, set[str]]) -> str:
    edges = sorted(f"{a} -> {b}" for a in group for b in graph[a] if b in group)
    return "{" + ", ".join(sorted(group)) + "}: " + "; ".join(edges)


def test_no_module_imports_itself_in_a_circle() -> None:
    graph = import_graph()
    new = [group for group in circles(graph) if group not in KNOWN_CIRCLES]
    assert not new, "import circles:\n" + "\n".join(describe(group, graph) for group in new)


def test_every_known_circle_is_still_there() -> None:
    gone = set(KNOWN_CIRCLES) - set(circles(import_graph()))
    assert not gone, f"these circles are gone; remove them from KNOWN_CIRCLES: {sorted(map(sorted, gone))}"


def test_the_graph_sees_imports_at_every_level() -> None:
    """The checker: imports inside functions count, TYPE_CHECKING ones do not, relative ones resolve."""
    known = {"app", "app.models", "app.managers", "app.views", "app.forms", "lib"}
    source = """
from typing import TYPE_CHECKING
from . import views
from .forms import Form
import lib
if TYPE_CHECKING:
    from app.managers import Manager
def load():
    from .models import Record
"""
    found = imported_modules("app.admin", source, False, known)
    assert found == {"app.views", "app.forms", "lib", "app.models"}  # not app.managers: typing only
    assert "sciatrack.cli.common" in import_graph()["sciatrack.cli.serve"]
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [frozenset("abc")]
