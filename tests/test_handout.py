"""The printable handout: its HTML and PDF, the web pages that serve them and ``sciatrack handout``."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils.html import escape
from pypdf import PdfReader

from sciatrack.accounts.models import Patient
from sciatrack.care.models import Program as ProgramRecord
from sciatrack.content.danger_signs import load_danger_signs
from sciatrack.content.dosage_text import PROJECT_DOSE_MARK
from sciatrack.content.loader import load_exercises
from sciatrack.content.schema import DosageSource
from sciatrack.domain.intake import parse_intake
from sciatrack.domain.programs import Program, build_program
from sciatrack.domain.safety_update import danger_signs
from sciatrack.domain.triage import Where, place_advice, result_to_json, triage
from sciatrack.outputs.handout import render_handout_html, render_handout_pdf
from web.test_check import walk
from web.test_program import make_intake, vignette

SCIATRACK = str(Path(sys.executable).with_name("sciatrack"))
DAY = date(2026, 11, 25)


def flat(text: str) -> str:
    """Text with every run of whitespace made one space, as a PDF's line breaks fall anywhere."""
    return re.sub(r"\s+", " ", text)


def pdf_text(pdf: bytes) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def program_of(name: str) -> tuple[Program, dict]:
    answers = parse_intake(vignette(name))
    result = triage(answers)
    program = build_program(answers, result)
    assert program is not None
    return program, result_to_json(result)


@pytest.fixture(scope="module")
def stenosis_pdf() -> tuple[Program, str]:
    program, result = program_of("stenosis-pattern-no-extension")
    return program, pdf_text(render_handout_pdf(program, result, DAY))


# The handout itself -------------------------------------------------------------------------------


def test_it_prints_each_exercise_with_its_dosage_and_stop_rules_in_order(
    stenosis_pdf: tuple[Program, str],
) -> None:
    program, text = stenosis_pdf
    assert len(program.exercises) >= 5
    positions = []
    for exercise in program.exercises:
        assert exercise.name in text
        positions.append(text.index(exercise.name))
        dosage = exercise.dosage_text[:1].upper() + exercise.dosage_text[1:]
        assert f"How much: {dosage}" in text, exercise.id
        assert all(flat(rule) in text for rule in exercise.stop_rules), exercise.id
    assert positions == sorted(positions)


def test_it_marks_the_projects_own_doses_and_only_those(stenosis_pdf: tuple[Program, str]) -> None:
    program, text = stenosis_pdf
    sources = {exercise.id: exercise.dosage.dosage_source for exercise in program.exercises}
    assert DosageSource.PROJECT in sources.values() and DosageSource.SOURCE in sources.values()
    for exercise in program.exercises:
        dosage = exercise.dosage_text[:1].upper() + exercise.dosage_text[1:]
        start = text.index(f"How much: {dosage}")
        what_follows_the_dose = text[start : text.index("Why:", start)]
        marked = "Sciatrack's starting dose: the source article gives no dosage for this exercise." in (
            what_follows_the_dose
        )
        assert marked == (sources[exercise.id] is DosageSource.PROJECT), exercise.id
    assert text.count(PROJECT_DOSE_MARK) == list(sources.values()).count(DosageSource.PROJECT)


def test_it_lists_the_left_out_exercise_with_its_reason(stenosis_pdf: tuple[Program, str]) -> None:
    program, text = stenosis_pdf
    [left_out] = [item for item in program.left_out if item.id == "mckenzie-extension"]
    assert "Left out for now, and why" in text
    assert f"{left_out.name}: {flat(left_out.reason)}" in text


def test_it_heads_the_pdf_with_the_date_the_tier_and_when_to_get_help(
    stenosis_pdf: tuple[Program, str],
) -> None:
    _, text = stenosis_pdf
    assert "Your home exercise program" in text
    assert "25 November 2026" in text
    assert "YOUR SAFETY CHECK: ROUTINE" in text
    assert "Where to go: A clinician review, within 1 to 2 weeks" in text
    # The danger signs' advice from their one home; a sign marked emergency sends the person where the
    # emergency tier does, in that place's own advice.
    emergency = place_advice(Where.EMERGENCY_DEPARTMENT_NOW)
    assert flat(f"Danger signs: {load_danger_signs().advice}") in text
    assert f"For a sign marked emergency: {emergency.headline}." in text
    assert flat(emergency.what_to_do_now[0]) in text and "call 911" in text
    # Every danger sign, each emergency one marked.
    for sign in danger_signs():
        assert " ".join(sign.label.split()[:5]) in text  # the start of each: a long line breaks anywhere
    assert text.count("(emergency: go now)") == sum(sign.emergency_alone for sign in danger_signs())


def test_it_numbers_the_steps_and_loads_nothing_from_elsewhere() -> None:
    program, result = program_of("disc-pattern-self-care")
    library = load_exercises()
    html = render_handout_html(program, result, DAY, library)
    lists = re.findall(r"<ol>(.*?)</ol>", html, re.DOTALL)
    assert len(lists) == len(program.exercises)
    for exercise, steps in zip(program.exercises, lists, strict=True):
        expected = "".join(f"<li>{escape(step)}</li>" for step in library[exercise.id].steps)
        assert steps == expected, exercise.id
    for outside in ("http://", "https://", "<link", "<script", "<img", "@import", "url("):
        assert outside not in html
    assert "@page { size: A4" in html
    assert "Back to your program" not in html  # browser-only links are for the web page


# The web pages ------------------------------------------------------------------------------------


@pytest.fixture
def bea() -> Patient:
    user = User.objects.create_user("bea", password="a long test password")
    return Patient.objects.create(user=user, display_name="Bea")


@pytest.fixture
def bea_client(client: Client, bea: Patient) -> Client:
    assert bea.user is not None
    client.force_login(bea.user)
    return client


@pytest.mark.django_db
def test_it_serves_the_handout_page_of_the_current_program(bea_client: Client, bea: Patient) -> None:
    make_intake(bea, "stenosis-pattern-no-extension")
    response = bea_client.get("/program/handout/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Hip holds" in page and "5 times, hold 10 seconds, 3 times a day" in page
    assert "McKenzie press-up on the elbows:" in page
    assert 'href="/program/handout.pdf"' in page


@pytest.mark.django_db
def test_it_serves_the_pdf_as_an_attachment(bea_client: Client, bea: Patient) -> None:
    make_intake(bea, "disc-pattern-self-care")
    response = bea_client.get("/program/handout.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="sciatrack-handout.pdf"'
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "McKenzie press-up on the elbows" in text
    assert "10 times, hold 2 to 3 seconds, every waking hour" in text


@pytest.mark.django_db
def test_it_prints_a_dosage_a_clinician_changed(bea_client: Client, bea: Patient) -> None:
    make_intake(bea, "disc-pattern-self-care")
    bea_client.get("/program/")
    record = ProgramRecord.objects.get(patient=bea)
    for item in record.exercises:
        if item["id"] == "mckenzie-extension":
            item["dosage"]["reps"] = 4
    record.save()
    page = bea_client.get("/program/handout/").content.decode()
    assert "4 times, hold 2 to 3 seconds, every waking hour" in page


@pytest.mark.django_db
def test_it_links_the_handout_from_the_program_page(bea_client: Client, bea: Patient) -> None:
    make_intake(bea, "disc-pattern-self-care")
    page = bea_client.get("/program/").content.decode()
    assert '<a class="button" href="/program/handout/">Printable handout</a>' in page
    assert '<a class="button" href="/program/handout.pdf">Download PDF</a>' in page


@pytest.mark.django_db
def test_the_program_page_marks_the_projects_own_doses_with_the_same_words(
    bea_client: Client, bea: Patient
) -> None:
    make_intake(bea, "stenosis-pattern-no-extension")
    page = bea_client.get("/program/").content.decode()
    items = re.findall(r'<li class="program-item.*?</li>', page, re.DOTALL)
    library = load_exercises()
    marked = {}
    for item in items:
        [exercise_id] = re.findall(r'href="/exercises/([\w-]+)/"', item)
        marked[exercise_id] = escape(PROJECT_DOSE_MARK) in item
    assert marked and set(marked.values()) == {True, False}
    for exercise_id, has_mark in marked.items():
        assert has_mark == (library[exercise_id].dosage.dosage_source is DosageSource.PROJECT), exercise_id
    assert 'title="The source article gives no dosage for this exercise"' in page


@pytest.mark.django_db
def test_it_shows_the_no_program_page_without_a_check_or_after_an_emergency(
    bea_client: Client, bea: Patient
) -> None:
    response = bea_client.get("/program/handout/")
    assert response.status_code == 200
    assert "Start with the safety check" in response.content.decode()
    make_intake(bea, "cauda-equina-bladder")
    for url, status in (("/program/handout/", 200), ("/program/handout.pdf", 404)):
        response = bea_client.get(url)
        assert response.status_code == status
        assert "There is no exercise program for you" in response.content.decode()
        assert not response.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_it_makes_the_handout_of_an_anonymous_check(client: Client) -> None:
    walk(client, vignette("disc-pattern-self-care"))
    page = client.get("/program/handout/").content.decode()
    assert "Glute activation" in page


# sciatrack handout ----------------------------------------------------------------------------------


def handout(tmp_path: Path, name: str, *args: str) -> subprocess.CompletedProcess[str]:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(vignette(name)))
    return subprocess.run(
        [SCIATRACK, "handout", "--answers", str(answers), *args], capture_output=True, text=True, timeout=120
    )


def test_it_writes_the_pdf_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "mine.pdf"
    result = handout(
        tmp_path, "stenosis-pattern-no-extension", "--out", str(out), "--emergency-number", "112"
    )
    assert result.returncode == 0, result.stderr
    text = pdf_text(out.read_bytes())
    assert "Hamstring release with a ball" in text
    assert "call 112" in text and "call 911" not in text
    assert {path.name for path in tmp_path.iterdir()} == {"answers.json", "mine.pdf"}  # no temporary left


def test_it_writes_html_with_the_html_flag(tmp_path: Path) -> None:
    out = tmp_path / "mine.html"
    result = handout(tmp_path, "disc-pattern-self-care", "--out", str(out), "--html")
    assert result.returncode == 0, result.stderr
    assert out.read_text().startswith("<!doctype html>")


@pytest.mark.parametrize(
    ("out", "flag", "message"),
    [
        ("mine.txt", None, "must end in .pdf"),
        ("mine.pdf", "--html", "must end in .html"),
        ("missing-folder/mine.pdf", None, "does not exist"),
        (".", None, "must end in .pdf"),
    ],
)
def test_it_rejects_a_bad_out_and_writes_nothing(
    tmp_path: Path, out: str, flag: str | None, message: str
) -> None:
    args = ["--out", str(tmp_path / out), *([flag] if flag else [])]
    result = handout(tmp_path, "disc-pattern-self-care", *args)
    assert result.returncode == 2
    assert "--out" in result.stderr and message in result.stderr
    assert {path.name for path in tmp_path.iterdir()} == {"answers.json"}


def test_it_writes_no_handout_when_the_triage_rules_out_exercise(tmp_path: Path) -> None:
    out = tmp_path / "mine.pdf"
    result = handout(tmp_path, "cauda-equina-bladder", "--out", str(out))
    assert result.returncode == 0
    assert "No handout written" in result.stdout
    assert not out.exists()
