"""The exercise drawings on the web: their URLs (an SVG image, cacheable, 304 when unchanged, 404 for a
step there is not) and the pages that show them: the library, the program and the handout (web and PDF)."""

from __future__ import annotations

import html
import io
import re
import xml.etree.ElementTree as ET
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from api.as_browser import browser
from sciatrack.accounts.models import Patient
from sciatrack.content.loader import load_exercises
from sciatrack.outputs.figure_body import BODY_COLOUR
from sciatrack.outputs.figures import figure_alt, loop_svg, step_svg
from sciatrack.outputs.handout import render_handout_html, render_handout_pdf
from test_handout import program_of
from web.test_program import calm_program, make_intake, pregnant_program, render_page

pytestmark = pytest.mark.django_db

LIBRARY = load_exercises()
SVG = "image/svg+xml"
DAY = date(2026, 11, 25)


@pytest.fixture
def anyone() -> Client:
    return browser()


def figure_images(page: str) -> list[dict[str, str]]:
    """Every ``<img class="figure">`` of the page, as its attributes."""
    images = []
    for tag in re.findall(r'<img class="figure"[^>]*>', page):
        images.append({name: html.unescape(value) for name, value in re.findall(r'([\w-]+)="([^"]*)"', tag)})
    return images


# The URLs --------------------------------------------------------------------------------------------


def test_the_url_names_are_the_ones_the_player_uses() -> None:
    assert reverse("exercise-figure", args=["lift-off"]) == "/exercises/lift-off/figure.svg"
    assert reverse("exercise-step-figure", args=["lift-off", 2]) == "/exercises/lift-off/steps/2/figure.svg"


@pytest.mark.parametrize("exercise_id", list(LIBRARY))
def test_each_exercise_serves_its_moving_drawing_as_a_cacheable_svg(anyone: Client, exercise_id: str) -> None:
    response = anyone.get(f"/exercises/{exercise_id}/figure.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == SVG
    assert response.content == loop_svg(LIBRARY[exercise_id]).svg.encode()
    assert ET.fromstring(response.content)  # noqa: S314 -- our own drawing.get("role") == "img"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=86400"} <= cache_control
    assert re.fullmatch(r'(W/)?"[0-9a-f]{20}"', response["ETag"])


def test_each_step_serves_its_still_and_a_step_there_is_not_is_404(anyone: Client) -> None:
    for exercise in LIBRARY.values():
        for number in range(1, len(exercise.steps) + 1):
            response = anyone.get(f"/exercises/{exercise.id}/steps/{number}/figure.svg")
            assert response.status_code == 200 and response["Content-Type"] == SVG
            assert response.content == step_svg(exercise, number).svg.encode()
        for missing in (0, len(exercise.steps) + 1, 99):
            assert anyone.get(f"/exercises/{exercise.id}/steps/{missing}/figure.svg").status_code == 404
    assert anyone.get("/exercises/toe-curls/figure.svg").status_code == 404
    assert anyone.get("/exercises/toe-curls/steps/1/figure.svg").status_code == 404
    assert anyone.get("/exercises/lift-off/steps/-1/figure.svg").status_code == 404


def test_an_unchanged_drawing_is_answered_304_and_a_changed_one_200(anyone: Client) -> None:
    first = anyone.get("/exercises/heel-slides/steps/2/figure.svg")
    again = anyone.get("/exercises/heel-slides/steps/2/figure.svg", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    other = anyone.get("/exercises/heel-slides/steps/3/figure.svg", HTTP_IF_NONE_MATCH=first["ETag"])
    assert other.status_code == 200 and other["ETag"] != first["ETag"]
    stale = anyone.get("/exercises/heel-slides/figure.svg", HTTP_IF_NONE_MATCH='"0123456789abcdef0123"')
    assert stale.status_code == 200 and stale.content


def test_a_drawing_can_only_be_read(anyone: Client) -> None:
    assert anyone.head("/exercises/lift-off/figure.svg").status_code == 200
    assert anyone.post("/exercises/lift-off/figure.svg").status_code in {403, 405}
    assert Client().post("/exercises/lift-off/figure.svg").status_code == 405


# The pages that show them ------------------------------------------------------------------------------


def test_the_library_list_shows_every_exercise_with_its_drawing(anyone: Client) -> None:
    page = anyone.get("/exercises/").content.decode()
    images = figure_images(page)
    assert [image["src"] for image in images] == [f"/exercises/{key}/figure.svg" for key in LIBRARY]
    for image, exercise in zip(images, LIBRARY.values(), strict=True):
        assert image["alt"] == figure_alt(exercise)
        drawing = loop_svg(exercise)
        assert (image["width"], image["height"]) == (str(drawing.width), str(drawing.height))
        assert image["loading"] == "lazy"


def test_the_library_page_of_an_exercise_shows_its_drawing(anyone: Client) -> None:
    exercise = LIBRARY["hip-flexor-activation"]
    images = figure_images(anyone.get("/exercises/hip-flexor-activation/").content.decode())
    assert len(images) == 1
    assert images[0]["src"] == "/exercises/hip-flexor-activation/figure.svg"
    assert images[0]["alt"] == figure_alt(exercise)
    assert exercise.steps[2] in images[0]["alt"]  # "Lift one foot and bring the knee up ..."


def test_the_program_page_shows_each_exercise_with_its_drawing(alice_client: Client, alice: Patient) -> None:
    make_intake(alice, "disc-pattern-self-care")
    page = alice_client.get("/program/").content.decode()
    names = re.findall(r'class="program-item__name"><a href="/exercises/([a-z-]+)/"', page)
    assert names
    assert [image["src"] for image in figure_images(page)] == [
        f"/exercises/{key}/figure.svg" for key in names
    ]


def test_the_program_page_leaves_out_the_usual_drawing_where_pregnancy_changes_the_position(rf: Any) -> None:
    program, _ = pregnant_program()
    page = render_page(rf, "care/program.html", program)
    shown = [image["src"] for image in figure_images(page)]
    moved = [item.id for item in program.exercises if item.pregnancy_note]
    assert moved and shown
    assert shown == [
        f"/exercises/{item.id}/figure.svg" for item in program.exercises if not item.pregnancy_note
    ]
    calm = calm_program()
    assert len(figure_images(render_page(rf, "care/program.html", calm))) == len(calm.exercises)


def test_the_handout_page_has_each_drawing_inline_with_its_words(
    alice_client: Client, alice: Patient
) -> None:
    make_intake(alice, "disc-pattern-self-care")
    page = alice_client.get("/program/handout/").content.decode()
    titles = re.findall(
        r'<svg viewBox="[^"]+" width="\d+" height="\d+" role="img" aria-labelledby="([^"]+)">', page
    )
    ids = re.findall(
        r'class="program-item__name"><a href="/exercises/([a-z-]+)/"',
        alice_client.get("/program/").content.decode(),
    )
    assert titles == [f"figure-{key}-pair" for key in ids]
    for key in ids:
        assert (
            f'<title id="figure-{key}-pair">{html.escape(figure_alt(LIBRARY[key]), quote=False)}</title>'
            in page
        )
    assert "<style" not in page.split("</head>")[1]  # the drawings bring no style into the page


def test_the_pdf_handout_draws_each_exercise_and_leaves_out_the_moved_ones() -> None:
    # Each drawing is a pair of bodies, each with one head filled in the body's colour.
    red, green, blue = (int(BODY_COLOUR[i : i + 2], 16) / 255 for i in (1, 3, 5))
    head_fill = f"{red:.6f} {green:.6f} {blue:.6f} rg".encode()
    for program, result in (program_of("disc-pattern-self-care"), pregnant_program()):
        drawn = [item for item in program.exercises if not item.pregnancy_note]
        pdf = render_handout_pdf(program, result, DAY)
        content = b"".join(page.get_contents().get_data() for page in PdfReader(io.BytesIO(pdf)).pages)
        assert drawn and content.count(head_fill) == 2 * len(drawn)


def test_the_handout_html_draws_each_exercise_but_the_moved_ones() -> None:
    for program, result in (program_of("disc-pattern-self-care"), pregnant_program()):
        page = render_handout_html(program, result, DAY)
        drawn = [item.id for item in program.exercises if not item.pregnancy_note]
        assert re.findall(r'<title id="figure-([a-z-]+)-pair">', page) == drawn


def test_the_tag_draws_a_steps_still_by_exercise_or_id() -> None:
    from django.template import Context, Template

    template = Template(
        "{% load figures %}{% exercise_figure exercise step=3 %}|{% exercise_figure 'lift-off' %}"
    )
    still, moving = figure_images(template.render(Context({"exercise": LIBRARY["heel-slides"]})))
    assert still["src"] == "/exercises/heel-slides/steps/3/figure.svg"
    assert still["alt"] == f"Drawing of step 3 of Heel slides: {LIBRARY['heel-slides'].steps[2]}"
    assert moving["src"] == "/exercises/lift-off/figure.svg" and moving["class"] == "figure"
