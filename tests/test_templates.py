"""Template source rules Django does not check itself."""

from __future__ import annotations

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "src" / "sciatrack" / "templates"


def test_every_short_comment_ends_on_its_own_line() -> None:
    # Django's {# ... #} comment is one line only; a longer one is shown on the page as text.
    unclosed = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if line.count("{#") > line.count("#}")
    ]
    assert list(TEMPLATES.rglob("*.html")), "no templates found"
    assert unclosed == [], f"use {{% comment %}} for comments over several lines: {unclosed}"
