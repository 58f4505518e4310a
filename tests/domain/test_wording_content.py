"""Wording beside its rule: every red flag has its question, every symptom answer and danger sign its
words, each written once in ``content/`` and refused by the content check when missing or repeated."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sciatrack.content.check import check_content
from sciatrack.content.danger_signs import DANGER_SIGNS_FILE, load_danger_signs
from sciatrack.content.red_flag_questions import QUESTIONS_FILE, red_flag_groups
from sciatrack.content.rules_loader import CONTENT_DIR, RULES_FILE
from sciatrack.content.symptom_answers import ANSWERS_FILE, Answers, load_symptom_answers
from sciatrack.domain.safety_update import CALM, FLOOR, DangerSign, danger_signs, triage_update
from sciatrack.domain.session_log import RESPONSES, SYMPTOM_CHOICES, SymptomMovement
from sciatrack.domain.triage import place_advice
from sciatrack.domain.vocabulary import RED_FLAG_KEYS, Where

PACKAGE = CONTENT_DIR.parent


def questions() -> list[tuple[str, str, str]]:
    return [(q.key, q.question, q.explain) for group in red_flag_groups() for q in group.questions]


def test_every_red_flag_has_exactly_one_question() -> None:
    keys = [key for key, _, _ in questions()]
    assert sorted(keys) == sorted(RED_FLAG_KEYS) and len(keys) == len(set(keys))
    assert all(question.endswith("?") for _, question, _ in questions())


def test_every_symptom_movement_has_one_answer_and_one_reply() -> None:
    assert list(Answers.model_fields) == [movement.value for movement in SymptomMovement]
    assert list(SYMPTOM_CHOICES) == list(SymptomMovement) == list(RESPONSES)
    assert all(SYMPTOM_CHOICES[movement] and RESPONSES[movement].message for movement in SymptomMovement)
    # The danger-sign answer names the signs in brief from their one home.
    assert load_danger_signs().in_brief in SYMPTOM_CHOICES[SymptomMovement.RED_FLAG]
    assert "{" not in " ".join(SYMPTOM_CHOICES.values())


@pytest.mark.parametrize("sign", danger_signs(), ids=lambda sign: sign.flag)
def test_every_danger_sign_has_advice(sign: DangerSign) -> None:
    # A sign alone leads to a place with its advice; it is marked exactly when that place is the
    # emergency department now, and every list says what to do for the rest.
    words = load_danger_signs()
    assert words.advice and words.emergency_mark and sign.label
    where = triage_update(CALM, [sign.flag], weeks_since=0).where
    assert where.pressure >= FLOOR.pressure
    advice = place_advice(where)
    assert advice.headline and advice.what_to_do_now
    assert sign.emergency_alone == (where is Where.EMERGENCY_DEPARTMENT_NOW)


def test_each_place_that_lets_a_person_wait_names_the_danger_signs_from_their_home() -> None:
    brief = load_danger_signs().in_brief
    waiting = [where for where in Where if where.pressure <= Where.DOCTOR_TODAY.pressure]
    for where in waiting:
        assert any(brief in line for line in place_advice(where).what_to_do_now), where
    # The line is written once in the rules file and reused by its YAML alias.
    lines = (CONTENT_DIR / RULES_FILE).read_text(encoding="utf-8").splitlines()
    text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    assert text.count("{danger_signs}") == 1
    assert text.count("*danger-signs-reminder") == len(waiting) - 1
    assert all("{" not in line for where in Where for line in place_advice(where).what_to_do_now)


def test_no_wording_is_written_twice() -> None:
    texts = [question for _, question, _ in questions()]
    texts += [explain for _, _, explain in questions() if explain]
    texts += [sign.label for sign in danger_signs()]
    texts += [answer.label for answer in load_symptom_answers().by_movement().values()]
    repeated = {text for text in texts if texts.count(text) > 1}
    assert not repeated
    # The signs in brief have one home: no other file spells them out.
    brief = load_danger_signs().in_brief
    homes = [path for path in package_files() if brief in path.read_text(encoding="utf-8")]
    assert homes == [CONTENT_DIR / DANGER_SIGNS_FILE]


def package_files() -> list[Path]:
    return sorted(path for suffix in ("yaml", "html", "py", "js") for path in PACKAGE.rglob(f"*.{suffix}"))


def test_no_page_script_or_code_words_a_bladder_or_bowel_change_itself() -> None:
    """Outside ``content/`` the words for these signs are only ever read from there (a key such as
    ``bladder_change`` is a name, not wording)."""
    words = re.compile(r"\b(bladder|bowels?)\b", re.IGNORECASE)
    found = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in package_files()
        if CONTENT_DIR not in path.parents and "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if words.search(line)
    ]
    assert not found


# The content check refuses wording that is missing, repeated or for an unknown key --------------


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


def problems(root: Path, name: str) -> list[tuple[str, str]]:
    return [(problem.field, problem.message) for problem in check_content(root) if problem.file == name]


def test_a_copy_as_shipped_has_no_problem(copy: Path) -> None:
    assert check_content(copy) == []


def without_fever(text: str) -> str:
    return re.sub(r"      fever:\n(        .*\n)+", "", text, count=1)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (without_fever, "groups", "missing: fever"),
        (
            lambda t: t.replace("      diabetes:\n", "      fever:\n"),
            "groups",
            "asked twice: fever",
        ),
        (
            lambda t: t.replace("      diabetes:\n", "      diabetic:\n"),
            "groups[2].questions.diabetic.[key]",
            "not a red-flag key",
        ),
        (
            lambda t: t.replace("question: Do you have diabetes?", "question: Do you have diabetes"),
            "groups[2].questions.diabetes.question",
            "pattern",
        ),
        (lambda t: t.replace("not_sure: Not sure?", "not_sure_text: Not sure?"), "not_sure_text", "Extra"),
    ],
)
def test_it_refuses_a_missing_repeated_or_unknown_red_flag_question(
    copy: Path, change: Callable[[str], str], field: str, message: str
) -> None:
    edit(copy, QUESTIONS_FILE, change)
    found = problems(copy, QUESTIONS_FILE)
    assert any(f == field and message in m for f, m in found), found


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (lambda t: re.sub(r"  same:\n(    .*\n)+", "", t, count=1), "answers.same", "Field required"),
        (lambda t: t.replace("  same:\n", "  eased:\n"), "answers.eased", "Extra"),
        (
            lambda t: t.replace("label: Stayed the same", 'label: "{same}"'),
            "answers.same",
            "unknown placeholder",
        ),
        (
            lambda t: t.replace('reply: "Fine: carry on with the next exercise."', 'reply: ""'),
            "answers.same.reply",
            "",
        ),
    ],
)
def test_it_refuses_a_missing_or_unknown_symptom_answer(
    copy: Path, change: Callable[[str], str], field: str, message: str
) -> None:
    edit(copy, ANSWERS_FILE, change)
    found = problems(copy, ANSWERS_FILE)
    assert any(f == field and message in m for f, m in found), found


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (lambda t: re.sub(r"\nadvice: .*\n", "\n", t, count=1), "advice", "Field required"),
        (
            lambda t: re.sub(r"\nin_brief: .*\n", '\nin_brief: "{signs} between your legs"\n', t),
            "in_brief",
            "pattern",
        ),
        (
            lambda t: t.replace(
                "label: A fever (38 °C or more) or shivers", "label: A leg or foot that is getting weaker"
            ),
            "(file)",
            "same label",
        ),
    ],
)
def test_it_refuses_danger_sign_wording_that_is_missing_or_written_twice(
    copy: Path, change: Callable[[str], str], field: str, message: str
) -> None:
    edit(copy, DANGER_SIGNS_FILE, change)
    found = problems(copy, DANGER_SIGNS_FILE)
    assert any(f == field and message in m for f, m in found), found


def test_the_rules_may_name_the_danger_signs_but_no_other_unknown_placeholder(copy: Path) -> None:
    edit(copy, RULES_FILE, lambda t: t.replace("If you notice {danger_signs}", "If you notice {signs}"))
    found = problems(copy, RULES_FILE)
    assert any("unknown placeholder {signs}" in message for _, message in found), found
