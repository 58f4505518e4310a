"""The questionnaire screens of the check are headed by a plain question, never an instrument's name."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from pydantic import ValidationError

from api.as_browser import browser
from sciatrack.check import steps
from sciatrack.content.rules_loader import get_questionnaire
from sciatrack.content.rules_schema import Questionnaire
from web.test_check import ALL_CLEAR, form_for, next_slug, url

pytestmark = pytest.mark.django_db

SCREENS = {"bothersome": "sbi", "daily-life": "peg", "activities": "psfs"}


@pytest.fixture
def client() -> Client:
    return browser()


def headings(page: str) -> list[str]:
    return [
        " ".join(re.sub(r"<[^>]+>", "", text).split())
        for text in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", page, re.DOTALL)
    ]


def walk_as_a_browser(client: Client, until: str) -> None:
    """Answer each screen with its own form's CSRF token, as a browser does, up to ``until``."""
    slug: str | None = steps.STEPS[0].slug
    while slug is not None and slug != until:
        page = client.get(url(slug)).content.decode()
        token = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[0]
        data = {"csrfmiddlewaretoken": token, **form_for(steps.BY_SLUG[slug], ALL_CLEAR)}
        response = client.post(url(slug), data)
        assert response.status_code == 302, (slug, response.status_code)
        slug = next_slug(response["Location"])


@pytest.mark.parametrize(("slug", "questionnaire_id"), sorted(SCREENS.items()))
def test_it_heads_each_questionnaire_screen_with_a_plain_question(
    client: Client, slug: str, questionnaire_id: str
) -> None:
    questionnaire = get_questionnaire(questionnaire_id)
    walk_as_a_browser(client, until=slug)
    page = client.get(url(slug)).content.decode()
    found = headings(page)
    assert questionnaire.heading in found
    assert questionnaire.heading.endswith("?")
    for heading in found:
        assert questionnaire.name not in heading and questionnaire.short_name not in heading.split()
    for instrument in ("Bothersomeness", "Functional Scale", "PEG", "SBI", "PSFS"):
        assert not any(instrument in heading for heading in found), (instrument, found)
    # The name stays, in small print, for the clinician.
    assert f"For your clinician: these questions are the {questionnaire.name}." in page


@pytest.mark.parametrize(
    "heading", ["Sciatica Bothersomeness Index", "Your SBI", "sciatica bothersomeness index?"]
)
def test_the_content_schema_refuses_an_instrument_name_as_the_heading(heading: str) -> None:
    fields = get_questionnaire("sbi").model_dump()
    with pytest.raises(ValidationError, match="plain question"):
        Questionnaire.model_validate({**fields, "heading": heading})
