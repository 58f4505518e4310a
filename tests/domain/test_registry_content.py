"""``registry_outcomes.yaml``: valid as shipped, and each kind of mistake in a copy is reported by field."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sciatrack.content.check import check_content
from sciatrack.content.registry_schema import (
    REGISTRY_FILE,
    ImprovedRule,
    RecoveredRule,
    check_registry_content,
    load_registry_content,
)
from sciatrack.content.rules_loader import (
    CONTENT_DIR,
    QUESTIONNAIRE_DIR,
    RulesContentError,
    get_questionnaire,
)
from sciatrack.domain.registry_outcomes import Status


def test_it_loads_the_shipped_definitions() -> None:
    content = load_registry_content()
    assert check_registry_content(CONTENT_DIR) == []
    assert [outcome.id for outcome in content.outcomes] == [
        "leg-pain-responder-12w",
        "leg-pain-recovered-12w",
        "sbi-low-12w",
        "leg-pain-responder-26w-strict",
    ]
    assert all(outcome.first_day >= 1 for outcome in content.outcomes)
    assert [band.id for band in content.adherence_bands][-1] == "minimal"
    assert content.age_bands[0].from_age == 16
    assert Status.MISSING == -1  # stored as this number: changing it would misread stored rows


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return root


def edit(root: Path, change: Callable[[str], str]) -> None:
    path = root / REGISTRY_FILE
    before = path.read_text(encoding="utf-8")
    after = change(before)
    assert after != before, "the edit did not apply"
    path.write_text(after, encoding="utf-8")


def test_a_copy_as_shipped_has_no_problem(copy: Path) -> None:
    assert check_content(copy) == []


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (
            lambda t: t.replace("id: leg-pain-recovered-12w", "id: leg-pain-responder-12w"),
            "outcomes",
            "each id must be used once",
        ),
        (
            lambda t: t.replace(
                "window_days: {before: 14, after: 28}", "window_days: {before: 84, after: 28}", 1
            ),
            "outcomes[0]",
            "window_days.before reaches back to the first check",
        ),
        (lambda t: t.replace("  lift-off: 2\n", ""), "program_bits", "give a bit to: lift-off"),
        (lambda t: t.replace("  heel-slides: 3\n", "  heel-slides: 2\n"), "program_bits", "each bit"),
        (
            lambda t: t.replace("at_least: 0.5}", "at_least: 0.8}"),
            "adherence_bands",
            "list from the highest at_least down",
        ),
        (lambda t: t.replace("at_least: 0.0}", "at_least: 0.1}"), "adherence_bands", "the last at 0"),
        (lambda t: t.replace("from_age: 30}", "from_age: 45}"), "age_bands", "list from the youngest up"),
        (
            lambda t: t.replace("rule: {kind: at_most, value: 6.5}", "rule: {kind: at_most, value: 30}"),
            "outcomes[2]",
            "within sbi's range",
        ),
        (
            lambda t: t.replace("minimal_important_change_of: nprs", "minimal_important_change_of: sbi", 1),
            "outcomes[0]",
            "must be 'nprs', the questionnaire leg_pain comes from",
        ),
        (
            lambda t: t.replace("recovered_of: nprs", "recovered_of: sbi"),
            "outcomes[1]",
            "rule.recovered_of must be 'nprs', the questionnaire leg_pain comes from",
        ),
        (
            # "Recovered" is nprs.yaml's number only: a value of its own here is refused.
            lambda t: t.replace(
                "{kind: recovered, recovered_of: nprs}", "{kind: recovered, recovered_of: nprs, value: 1}"
            ),
            "outcomes[1].rule.recovered.value",
            "Extra inputs are not permitted",
        ),
        (
            # The words printed beside the figure must state the questionnaire's numbers.
            lambda t: t.replace("is 0 or 1 out of 10", "is low"),
            "outcomes[1].definition",
            "must state the rule of nprs: '0 or 1'",
        ),
        (
            lambda t: t.replace("\n      at least 30% lower when", "\n      much lower when", 1),
            "outcomes[0].definition",
            "must state the rule of nprs: 'at least 30%'",
        ),
        (
            # The numbers live in nprs.yaml only: a rule of its own here is refused.
            lambda t: t.replace(
                "{kind: improved, minimal_important_change_of: nprs}",
                "{kind: improved, points: 2, percent: 30}",
                1,
            ),
            "outcomes[0].rule.improved.points",
            "Extra inputs are not permitted",
        ),
    ],
)
def test_it_reports_a_broken_copy_by_field(
    copy: Path, change: Callable[[str], str], field: str, words: str
) -> None:
    edit(copy, change)
    found = check_content(copy)
    assert found, "the broken copy passed"
    assert {problem.file for problem in found} == {REGISTRY_FILE}
    assert any(problem.field == field and words in problem.message for problem in found), found


def test_it_refuses_to_load_a_broken_copy(copy: Path) -> None:
    edit(copy, lambda t: t.replace("  lift-off: 2\n", ""))
    with pytest.raises(RulesContentError) as caught:
        load_registry_content(copy)
    assert [problem.field for problem in caught.value.problems] == ["program_bits"]


def test_the_responder_rule_is_the_questionnaires_and_its_words_give_its_numbers() -> None:
    """Each ``improved`` outcome takes its numbers from the questionnaire; the words printed beside the
    figure must state those numbers (for NPRS: 2 points, 30%, and a first rating above 3)."""
    improved = [o for o in load_registry_content().outcomes if isinstance(o.rule, ImprovedRule)]
    assert [o.id for o in improved] == ["leg-pain-responder-12w", "leg-pain-responder-26w-strict"]
    for outcome in improved:
        assert isinstance(outcome.rule, ImprovedRule)
        threshold = get_questionnaire(outcome.rule.minimal_important_change_of).minimal_important_change
        assert threshold.percent_when_first_above is not None
        text = " ".join(outcome.definition.split())
        assert f"at least {threshold.points:g} points lower" in text
        assert f"at least {threshold.percent:g}% lower when the first rating was above" in text
        assert f"above {threshold.percent_when_first_above:g}" in text


def test_it_refuses_a_rule_naming_a_questionnaire_that_is_not_there(copy: Path) -> None:
    (copy / QUESTIONNAIRE_DIR / "nprs.yaml").unlink()
    found = check_registry_content(copy)
    fields = {problem.field for problem in found if "no questionnaire 'nprs'" in problem.message}
    assert fields == {
        "outcomes[0].rule.minimal_important_change_of",
        "outcomes[1].rule.recovered_of",
        "outcomes[3].rule.minimal_important_change_of",
    }
    with pytest.raises(RulesContentError):
        load_registry_content(copy)


def test_recovered_is_the_questionnaires_and_its_words_give_its_scores() -> None:
    """The recovered outcome takes its score from nprs.yaml, and its words name the ratings that count."""
    recovered = [o for o in load_registry_content().outcomes if isinstance(o.rule, RecoveredRule)]
    assert [o.id for o in recovered] == ["leg-pain-recovered-12w"]
    threshold = get_questionnaire("nprs").recovered
    assert threshold is not None and threshold.at_most == 1
    assert "0 or 1 out of 10" in " ".join(recovered[0].definition.split())


def test_it_reports_a_changed_number_whose_words_did_not_follow(copy: Path) -> None:
    """Changing a number in nprs.yaml alone makes the registry's words wrong: the check says which."""
    path = copy / QUESTIONNAIRE_DIR / "nprs.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  at_most: 1\n", "  at_most: 2\n").replace("points: 2\n", "points: 3\n"))
    found = {(problem.field, problem.message) for problem in check_registry_content(copy)}
    assert {field for field, _ in found} == {
        "outcomes[0].definition",
        "outcomes[1].definition",
        "outcomes[3].definition",
    }
    assert any("'0, 1 or 2'" in message for _, message in found)
    assert any("'at least 3 points'" in message for _, message in found)


def test_it_refuses_a_recovered_rule_naming_a_questionnaire_without_a_recovered_score(copy: Path) -> None:
    path = copy / QUESTIONNAIRE_DIR / "nprs.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index('\n# "Recovered"')] + "\n", encoding="utf-8")
    found = check_registry_content(copy)
    assert [(problem.field, problem.message) for problem in found] == [
        ("outcomes[1].rule.recovered_of", "questionnaire 'nprs' gives no recovered score")
    ]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (
            lambda t: t.replace("  at_most: 1\n", "  at_most: 11\n"),
            "recovered.at_most must be a score from 0 to 10",
        ),
        (lambda t: t.replace("higher_is: worse", "higher_is: better"), "recovered needs higher_is: worse"),
    ],
)
def test_it_refuses_a_recovered_score_that_cannot_mean_recovered(
    copy: Path, change: Callable[[str], str], words: str
) -> None:
    path = copy / QUESTIONNAIRE_DIR / "nprs.yaml"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    found = [problem for problem in check_content(copy) if problem.file == "questionnaires/nprs.yaml"]
    assert any(words in problem.message for problem in found), found
