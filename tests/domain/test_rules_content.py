"""The rules, conditions and questionnaire files: valid as shipped, and broken copies are reported."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sciatrack.content.rules_loader import (
    CONTENT_DIR,
    RulesContentError,
    check_questionnaires,
    check_rules,
    load_rules,
)
from seed_runs import FINGERPRINTS, SEEDS, fingerprints, seed_fingerprints, stored_fingerprints


def test_it_finds_no_problem_in_the_shipped_content() -> None:
    assert check_rules(CONTENT_DIR) == []
    assert check_questionnaires(CONTENT_DIR) == []


def test_it_keeps_every_rule_id_stable_and_unique() -> None:
    ids = [rule.id for rule in load_rules().rules]
    assert len(ids) == len(set(ids)) == 43
    assert all(rule.id.startswith(f"{rule.tier.value}.") for rule in load_rules().rules)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return root


def edit(root: Path, name: str, change: Callable[[str], str]) -> None:
    path = root / name
    before = path.read_text(encoding="utf-8")
    after = change(before)
    assert after != before, "the edit did not apply"
    path.write_text(after, encoding="utf-8")


def drop_rule(rule_id: str) -> Callable[[str], str]:
    return lambda text: re.sub(rf"  - id: {re.escape(rule_id)}\n(    .*\n|\s*\n)*?(?=  - id:|\Z)", "", text)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (drop_rule("soon.upset-stomach"), "rules", "'upset_stomach' needs a rule of its own"),
        (
            lambda t: t.replace("all_flags: [bowel_change]", "all_flags: [bowels]"),
            "rules[2].when.all_flags[0]",
            "not a red-flag key",
        ),
        (
            lambda t: t.replace("all_flags: [fever]}", "all_flag: [fever]}"),
            "rules[20].when.all_flag",
            "Extra",
        ),
        (
            lambda t: t.replace(
                "where: doctor_today\n    when: {all_flags: [fever]}",
                "where: doctor_within_days\n    when: {all_flags: [fever]}",
            ),
            "rules[20]",
            "must start with its tier",
        ),
        (
            lambda t: t.replace("where: doctor_today\n    when: {all_flags: [fever]}", "where: ward_today\n"),
            "rules[20].where",
            "not a place",
        ),
        (
            lambda t: t.replace(
                "If you cannot get there safely, call {emergency_number}.",
                "If you cannot get there, call 911.",
            ),
            "places.emergency_department_now.what_to_do_now",
            "{emergency_number}",
        ),
        (
            lambda t: t.replace(
                "get worse on the way or while you wait, call {emergency_number}", "call {number}"
            ),
            "places.emergency_department_today",
            "unknown placeholder {number}",
        ),
        (
            lambda t: t.replace("references: [seed-000]", "references: [seed-999]", 1),
            "rules[3].references",
            "not in sources",
        ),
        (lambda t: t.replace("when: {age_above: 50}", "when: {}"), "rules[41].when", "give at least one of"),
        (lambda t: t.replace("terms: [weakening]\n", "terms: [weak]\n", 1), "terms.nerve_signs", "'weak'"),
        (
            lambda t: t.replace("  diabetes: >-\n", "  fever: >-\n"),
            "flags_not_alone_a_stop.fever",
            "has a rule of its own",
        ),
        (
            lambda t: re.sub(r"  pregnant_or_postpartum: >-\n(    .*\n)+", "", t, count=1),
            "rules",
            "'pregnant_or_postpartum' needs a rule of its own",
        ),
        (lambda t: t.replace("  home_program:\n", "  home:\n"), "places.home.[key]", "not a place (where)"),
    ],
)
def test_it_reports_a_broken_rules_file_by_field(
    copy: Path, change: Callable[[str], str], field: str, words: str
) -> None:
    edit(copy, "triage_rules.yaml", change)
    found = [p for p in check_rules(copy) if p.file == "triage_rules.yaml"]
    assert any(p.field == field and words in p.message for p in found), found


def test_it_refuses_a_key_written_twice(copy: Path) -> None:
    edit(
        copy,
        "triage_rules.yaml",
        lambda t: t.replace(
            "    where: doctor_within_days\n", "    where: doctor_within_days\n    where: doctor_today\n", 1
        ),
    )
    (problem,) = check_rules(copy)
    assert problem.file == "triage_rules.yaml" and "appears twice" in problem.message


def test_it_reports_a_broken_conditions_file(copy: Path) -> None:
    edit(
        copy,
        "conditions.yaml",
        lambda t: t.replace("because: it is on {side}", "because: it is on {sides}", 1),
    )
    edit(copy, "conditions.yaml", lambda t: t.replace("flags_any: [fever]", "flags_any: [fevers]", 1))
    found = check_rules(copy)
    assert {p.file for p in found} == {"conditions.yaml"}
    assert any("unknown placeholder {sides}" in p.message for p in found)
    assert any("'fevers' is not a red-flag key" in p.message for p in found)


def test_it_refuses_to_load_broken_rules(copy: Path) -> None:
    (copy / "triage_rules.yaml").unlink()
    with pytest.raises(RulesContentError) as caught:
        load_rules(copy)
    assert caught.value.problems[0].file == "triage_rules.yaml"
    assert "cannot read" in caught.value.problems[0].message


def test_it_reports_broken_questionnaires(copy: Path) -> None:
    edit(copy, "questionnaires/peg.yaml", lambda t: t.replace("id: peg", "id: pegs"))
    edit(copy, "questionnaires/sbi.yaml", lambda t: t.replace("max: 6", "max: -6", 1))
    edit(copy, "questionnaires/psfs.yaml", lambda t: t.replace("  points: 2.3\n", ""))
    found = {(p.file, p.field) for p in check_questionnaires(copy)}
    assert ("questionnaires/peg.yaml", "id") in found
    assert any(file == "questionnaires/sbi.yaml" and field.startswith("items[0]") for file, field in found)
    assert ("questionnaires/psfs.yaml", "minimal_important_change") in found


def test_it_reports_a_missing_questionnaire_folder(copy: Path) -> None:
    shutil.rmtree(copy / "questionnaires")
    assert [p.field for p in check_questionnaires(copy)] == ["(folder)"]


def patient_facing_files() -> list[Path]:
    """Everything in the package that can carry words a person reads: content, templates, code, scripts."""
    package = CONTENT_DIR.parent
    return sorted(path for suffix in ("yaml", "html", "py", "js") for path in package.rglob(f"*.{suffix}"))


def test_it_copies_no_sentence_from_the_source_articles() -> None:
    """No run of 8 words from a seed article appears in the patient-facing content."""
    seed_runs = stored_fingerprints()
    assert len(seed_runs) > 1000, f"too few fingerprints in {FINGERPRINTS}"
    for path in patient_facing_files():
        copied = fingerprints(path.read_text(encoding="utf-8")) & seed_runs
        assert not copied, f"{path.name} repeats {len(copied)} runs of 8 words from the source articles"


def test_it_keeps_the_fingerprints_in_step_with_the_source_articles() -> None:
    if not any(SEEDS.glob("*.txt")):
        pytest.skip(f"no source articles beside the repository ({SEEDS}) to compare the fingerprints with")
    assert stored_fingerprints() == seed_fingerprints(SEEDS), "run: python tests/seed_runs.py ../shared/seeds"


def test_it_triages_with_the_rules_it_is_given(copy: Path) -> None:
    from answers_factory import answers

    from sciatrack.domain.triage import Tier, triage

    edit(copy, "triage_rules.yaml", lambda t: t.replace("any_pain_at_least: 8", "any_pain_at_least: 7"))
    sore = answers(pain={"leg_now": 7, "back_now": 0})
    assert triage(sore).tier is Tier.SELF_CARE
    assert triage(sore, rules=load_rules(copy)).tier is Tier.ROUTINE
