"""The questions of the safety check that version 2 of the contract added, through Django's test client.

The second leg is asked about only when there is one, and never read as "no" before it is asked; the
middle of the back is on the body map from behind and as a band around the chest; every yes/no screen
says "Not sure? Choose Yes" from one place; the emergency signs are asked first and warn at once; and
every page that says how long the check is shows the one figure counted from its screens.
"""

from __future__ import annotations

import html
import re
from collections import Counter

import pytest
from django.test import Client

from sciatrack.check import steps, wording
from sciatrack.domain.vocabulary import RED_FLAG_KEYS
from web.test_check import (
    ALL_CLEAR,
    VIGNETTES,
    as_the_form_asks,
    asked_slugs,
    flags,
    session_state,
    url,
    walk,
)

pytestmark = pytest.mark.django_db


# The body map ------------------------------------------------------------------------------------


def test_it_draws_the_middle_of_the_back_from_behind_and_as_a_band_around_the_chest(client: Client) -> None:
    body = client.get(url("where")).content.decode()
    front = body[body.index("bodymap__view--front") : body.index("bodymap__view--back")]
    back = body[body.index("bodymap__view--back") : body.index("bodymap__view--foot")]
    assert re.search(r'data-region="mid_back"\s+role="button"', back)
    assert re.search(r'data-region="mid_back"\s+aria-hidden="true" data-duplicate', front)
    assert 'value="mid_back"' in body  # the list without the picture offers it too
    walk(client, {**ALL_CLEAR, "regions": ["mid_back", "buttock"]})
    response = client.get("/check/result/")
    assert steps.build_intake(session_state(client))["regions"] == ["mid_back", "buttock"]  # type: ignore[index]
    assert response.context["tier"] == "soon"  # pain in the middle of the back: see a doctor first
    assert "Middle or upper back, or a band around the chest" in response.content.decode()


# The second leg ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("side", "both_legs", "asked"),
    [
        ("left", False, False),
        ("right", False, False),
        ("both", False, True),
        ("alternating", False, True),
        ("left", True, True),
        ("right", True, True),
    ],
)
def test_it_asks_when_the_second_leg_started_only_when_there_is_one(
    client: Client, side: str, both_legs: bool, asked: bool
) -> None:
    # Where it is asked the walk answers yes, so a skipped question shows as the "no" it follows to.
    answers = {**flags(bilateral_leg_symptoms=both_legs, bilateral_new=True), "side": side}
    responses = walk(client, answers)
    slugs = asked_slugs(responses)
    assert ("bilateral-new" in slugs) is asked
    if asked:
        assert slugs.index("bilateral-new") == slugs.index("side") + 1
    else:
        assert slugs.index("where") == slugs.index("side") + 1
        assert client.get(url("bilateral-new"))["Location"] == url("where")
    built = steps.build_intake(session_state(client))
    assert built is not None and built["red_flags"]["bilateral_new"] is asked
    assert client.get("/check/result/").status_code == 200


def test_it_never_reads_the_second_leg_question_as_no_before_it_is_asked(client: Client) -> None:
    walk(client, ALL_CLEAR)  # one leg: not asked
    client.post(url("bilateral-leg-symptoms"), {"answer": "yes"})  # a change of mind: both legs after all
    assert steps.build_intake(session_state(client)) is None  # not finished until it is answered
    assert client.get("/check/result/")["Location"] == url("bilateral-new")
    response = client.post(url("bilateral-new"), {"answer": "no"})
    assert response["Location"] == url("where")
    built = steps.build_intake(session_state(client))
    assert built is not None and built["red_flags"]["bilateral_new"] is False
    # Back to one leg: a yes given for a second leg no longer counts.
    client.post(url("bilateral-new"), {"answer": "yes"})
    client.post(url("bilateral-leg-symptoms"), {"answer": "no"})
    built = steps.build_intake(session_state(client))
    assert built is not None and built["red_flags"]["bilateral_new"] is False
    assert client.get("/check/result/").status_code == 200


@pytest.mark.parametrize(
    ("second_leg_new", "after_where"), [(True, "/check/act-now/?next=feel"), (False, url("feel"))]
)
def test_it_warns_as_soon_as_a_new_second_leg_meets_nerve_signs(
    client: Client, second_leg_new: bool, after_where: str
) -> None:
    # Ten weeks of pain, now in both legs: only a second leg that began lately, with signs of a nerve
    # (pain below the knee), calls for the emergency department, and the advice comes straight away.
    answers = {**flags(bilateral_new=second_leg_new), "onset_weeks": 10, "side": "both"}
    walk(client, answers, until="where")
    response = client.post(url("where"), {"regions": ["buttock", "back_of_calf"]})
    assert response["Location"] == after_where


# Wording -----------------------------------------------------------------------------------------


def test_it_says_not_sure_choose_yes_on_every_yes_no_screen(client: Client) -> None:
    client.post(url("side"), {"side": "both"})  # so the second-leg question is shown too
    assert wording.NOT_SURE.startswith("Not sure? Choose Yes.")
    yes_no = [step for step in steps.STEPS if isinstance(step, steps.YesNoStep)]
    assert len(yes_no) == len(RED_FLAG_KEYS)
    for step in yes_no:
        response = client.get(url(step.slug))
        assert response.status_code == 200, step.slug
        body = html.unescape(response.content.decode())
        assert body.count(wording.NOT_SURE) == 1, step.slug
        assert step.question.question in body


def test_it_asks_about_genital_numbness_with_the_saddle_and_not_with_sex() -> None:
    by_key = {step.question.key: step.question for step in steps.STEPS if isinstance(step, steps.YesNoStep)}
    saddle = by_key["saddle_numbness"]
    assert "genitals" in saddle.question
    sex = by_key["sexual_dysfunction_new"]
    assert "numb" not in f"{sex.question} {sex.explain}".lower()
    assert "genital" not in f"{sex.question} {sex.explain}".lower()
    assert "too painful" in sex.explain  # pain that stops sex is not this sign
    emergency = next(group for group in wording.RED_FLAG_GROUPS if group.slug == "emergency")
    assert {saddle, sex, by_key["sudden_pain_faint"]} <= set(emergency.questions)


def test_it_sends_sudden_pain_with_faintness_to_the_emergency_advice_at_once(client: Client) -> None:
    walk(client, ALL_CLEAR, until="sudden-pain-faint")
    response = client.post(url("sudden-pain-faint"), {"answer": "yes"})
    assert response["Location"].startswith("/check/act-now/?next=")
    page = client.get(response["Location"])
    assert "Go to an emergency department now" in page.content.decode()
    assert page.context["alert_tier"] == "emergency"


def test_it_states_one_length_everywhere_counted_from_its_screens(client: Client) -> None:
    length = steps.check_length()
    # Honest: walk every vignette through the check and count the screens each person meets.
    counts = Counter()
    for vignette in VIGNETTES.values():
        client.post("/check/start-again/")
        counts[len(asked_slugs(walk(client, as_the_form_asks(vignette["answers"]))))] += 1
    typical, _ = counts.most_common(1)[0]
    assert length.screens == typical  # "about 38 screens": what most people meet
    assert max(counts) == length.most_screens == len(steps.STEPS)  # a second leg adds one
    assert min(counts) >= length.screens
    # The minutes range holds a quick pace (5 s a screen at least) and a calm one (10 s a question or more).
    assert length.fewest_minutes * 60 >= 5 * length.screens
    assert length.most_minutes * 60 >= 10 * length.questions
    assert length.fewest_minutes < length.most_minutes
    client.post("/check/start-again/")
    for path in ("/", "/check/", "/program/"):
        body = html.unescape(client.get(path).content.decode())
        assert length.sentence in body, path
        assert f"about {length.screens} short screens" in body
        assert f"{length.fewest_minutes} to {length.most_minutes} minutes" in body
        assert set(re.findall(r"(\w+) minutes", body)) == {str(length.most_minutes)}, path
