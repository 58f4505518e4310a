"""``docs/triage-rules.md`` lists every rule of the data, and nothing that is not a rule."""

from __future__ import annotations

import re
from pathlib import Path

from sciatrack.content.rules_loader import load_rules

DOC = Path(__file__).resolve().parents[2] / "docs" / "triage-rules.md"


def documented_ids() -> set[str]:
    return set(
        re.findall(r"^\| `([a-z_]+\.[a-z0-9-]+)` \|", DOC.read_text(encoding="utf-8"), flags=re.MULTILINE)
    )


def test_it_documents_every_rule_id_of_the_data() -> None:
    missing = {rule.id for rule in load_rules().rules} - documented_ids()
    assert not missing, f"add these rules to {DOC}: {sorted(missing)}"


def test_it_documents_no_rule_that_the_data_lacks() -> None:
    stale = documented_ids() - {rule.id for rule in load_rules().rules}
    assert not stale, f"remove these rules from {DOC}: {sorted(stale)}"


def test_it_documents_each_rule_with_its_tier_place_and_sources() -> None:
    text = DOC.read_text(encoding="utf-8")
    for rule in load_rules().rules:
        row = next(line for line in text.splitlines() if line.startswith(f"| `{rule.id}` |"))
        assert f"| {rule.tier.value} | `{rule.where}` |" in row
        for key in rule.references:
            assert f"`{key}`" in row, f"{rule.id}: source {key} missing from its row"
