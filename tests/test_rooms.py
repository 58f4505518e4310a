"""Each room of ``src/sciatrack`` imports only the rooms ``docs/architecture.md`` allows it.

The table at the end of the architecture page is the one home of that rule: this test reads it, so the
page cannot drift from the code, and a new package or root module must get a row before it can land.
The import graph is the one ``test_no_import_cycles`` reads (with ``ast``, every import that runs).
"""

from __future__ import annotations

import re
from pathlib import Path

from test_no_import_cycles import import_graph

PAGE = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"
TABLE_HEADING = "## Which room may import which"
ANY_ROOM = "any room"


def allowed_imports() -> dict[str, set[str] | None]:
    """``{room: rooms it may import}`` from the page's table; None for a room that may import any."""
    section = PAGE.read_text(encoding="utf-8").split(TABLE_HEADING, 1)[1]
    table: dict[str, set[str] | None] = {}
    for row in re.findall(r"^\| *([a-z_]+) *\| *([^|]+?) *\|$", section, flags=re.MULTILINE):
        room, allowed = row
        if room == "room":
            continue
        if allowed == ANY_ROOM:
            table[room] = None
        elif allowed == "(none)":
            table[room] = set()
        else:
            table[room] = {name.strip() for name in allowed.split(",")}
    return table


def room_of(module: str) -> str:
    """``sciatrack.check.views`` is in the room ``check``; ``sciatrack.urls`` is its own room."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_the_table_is_read() -> None:
    table = allowed_imports()
    assert table["care"] == {"accounts", "db", "lib", "domain", "content"}
    assert table["cli"] is None
    assert table["settings"] == set()


def test_every_room_has_a_row() -> None:
    rooms = {room_of(module) for module in import_graph()} - {""}
    missing = sorted(rooms - set(allowed_imports()))
    assert not missing, f"add these rooms to the table in {PAGE.name}: {missing}"


def test_every_row_names_rooms_that_exist() -> None:
    rooms = {room_of(module) for module in import_graph()} - {""}
    table = allowed_imports()
    named = set(table) | {name for allowed in table.values() if allowed for name in allowed}
    assert named <= rooms, f"the table names rooms that do not exist: {sorted(named - rooms)}"


def test_each_room_imports_only_what_the_table_allows() -> None:
    table = allowed_imports()
    breaches = []
    for module, imported in sorted(import_graph().items()):
        room = room_of(module)
        allowed = table.get(room)
        if not room or allowed is None:
            continue
        breaches += [
            f"{module} imports {other}"
            for other in sorted(imported)
            if room_of(other) not in allowed | {room, ""}
        ]
    assert not breaches, "imports the architecture page does not allow:\n" + "\n".join(breaches)


def test_the_records_import_none_of_the_pages() -> None:
    """The person's records (care) come before every page that shows them: a regression here would put
    a page's module on the path of every migration and manager."""
    table = allowed_imports()
    care = table["care"]
    assert care is not None
    assert care.isdisjoint({"check", "program", "progress", "clinic", "registry", "api", "cli"})
