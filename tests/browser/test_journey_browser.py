"""The whole journey in Chromium, on a phone (360 x 740) and on a laptop (1280 x 800).

A new person: home, the safety check with the answers of a self-care vignette, the result, sign-up, the
program, the session page, the diary, progress, the library and one exercise. The demo patient's pages
with twelve weeks of history (the heaviest). The demo clinician: two-step sign-in, the dashboard and a
patient's page. On every page: axe finds nothing, the phone never scrolls sideways, and what the page
costs to load is under 50 KB compressed.

What a page costs is measured from the browser's own record of each response, with the browser's cache
off (every page counted as a first visit, its CSS and scripts included). The page itself comes gzip'd by
the app's middleware, and its size is the encoded body the browser received. The static files come from
the test server's plain static handler, which never compresses; the real server (WhiteNoise) sends them
gzip'd or smaller (Brotli), so each counts as its body gzip-compressed. Each page's cost is printed and
its screenshot kept in ``var/screenshots/journey-*.png``.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, Response, expect

from browser.signing_in import sign_in
from sciatrack.accounts.models import Patient
from sciatrack.care.models import Intake
from sciatrack.check import steps
from sciatrack.check.measures import PsfsStep, QuestionnaireStep
from sciatrack.check.wording import REGION_LABELS, SENSATION_LABELS, SIDE_LABELS, TRIGGER_LABELS
from sciatrack.demo import DEMO_PASSWORD, load_demo
from second_factor import code_for_secret
from vignettes import load_vignettes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PAGE_BUDGET_BYTES = 50 * 1024
VIEWPORTS = {"phone": {"width": 360, "height": 740}, "laptop": {"width": 1280, "height": 800}}
VIGNETTE = "disc-pattern-self-care"
PASSWORD = "a long journey password"
AXE = Axe()


class Journey:
    """One person's browser: every page it opens is audited, measured and kept as a screenshot."""

    def __init__(self, page: Page, base_url: str, viewport: str) -> None:
        self.page = page
        self.base_url = base_url
        self.viewport = viewport
        self.responses: list[Response] = []
        self.costs: dict[str, tuple[int, int]] = {}
        # A lambda, not .append: Playwright wraps each listener and cannot wrap a builtin method.
        page.on("response", lambda response: self.responses.append(response))  # noqa: PLW0108

    def open(self, path: str, name: str | None) -> None:
        self.follow(lambda: self.page.goto(self.base_url + path), name)

    def follow(self, action: Callable[[], Any], name: str | None) -> None:
        """Do ``action`` (a tap on a link or a button), wait for the page it leads to and look at it."""
        self.responses.clear()
        with self.page.expect_navigation():
            action()
        self.page.wait_for_load_state("networkidle")
        if name is not None:
            self.look(name)

    def look(self, name: str) -> None:
        page = self.page
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        result = AXE.run(page)
        assert result.violations_count == 0, f"{name} ({page.url})\n{result.generate_report()}"
        if self.viewport == "phone":
            scroll_width, inner_width = page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            assert scroll_width <= inner_width, f"{name} scrolls sideways: {scroll_width} px on {inner_width}"
        self.weigh(name)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"journey-{self.viewport}-{name}.png"), full_page=True)

    def weigh(self, name: str) -> None:
        """The page as sent (compressed) and everything it loaded; the page must be gzip'd."""
        document = 0
        total = 0
        pages = [r for r in self.responses if r.request.resource_type == "document"]
        assert pages, f"{name}: no page was loaded"
        for response in self.responses:
            if response.url.startswith("data:"):
                continue
            encoding = response.headers.get("content-encoding")
            if response.status in range(300, 400) or encoding:
                size = response.request.sizes()["responseBodySize"]
            else:  # a static file: the real server sends it compressed
                size = len(gzip.compress(response.body(), compresslevel=9))
            total += size
            if response.request.resource_type == "document":
                document += size
        final = pages[-1]
        assert final.status == 200, f"{name}: {final.url} answered {final.status}"
        assert final.headers.get("content-encoding") == "gzip", f"{name}: {final.url} was not compressed"
        self.costs[name] = (document, total)
        print(f"{self.viewport} {name}: page {document} bytes, with its files {total} bytes, compressed")  # noqa: T201
        assert total <= PAGE_BUDGET_BYTES, f"{name} loads {total} bytes compressed, over {PAGE_BUDGET_BYTES}"


def new_journey(browser: Browser, base_url: str, viewport: str) -> Journey:
    context = browser.new_context(
        viewport=VIEWPORTS[viewport],
        has_touch=viewport == "phone",
        device_scale_factor=2 if viewport == "phone" else 1,
    )
    # Routing every request turns the browser's cache off: each page is counted as a first visit.
    context.route("**/*", lambda route: route.continue_())
    return Journey(context.new_page(), base_url, viewport)


def submit(journey: Journey, button: str, name: str | None) -> None:
    journey.follow(lambda: journey.page.get_by_role("button", name=button, exact=True).click(), name)


def choose(page: Page, text: str) -> None:
    """Tick a large radio or checkbox tile by the words on it."""
    page.get_by_role("main").get_by_text(text, exact=True).first.click()


def tap_regions(page: Page, regions: list[str]) -> None:
    """Tap each region on the body map (the picture replaces the list once the script runs)."""
    expect(page.locator("[data-bodymap]")).to_be_visible()
    for region in regions:
        button = page.get_by_role("button", name=REGION_LABELS[region], exact=True)
        button.locator("polygon, ellipse").first.click()
        expect(button).to_have_attribute("aria-pressed", "true")


def rate(page: Page, groups: list[tuple[str, int]]) -> None:
    """On each scale, named by its question, tap the given number."""
    for question, point in groups:
        page.get_by_role("group", name=question).get_by_text(str(point), exact=True).click()


def answer_step(page: Page, step: steps.Step, answers: dict[str, Any]) -> str:
    """Answer one screen of the check as the vignette answers it: the button that goes on."""
    if isinstance(step, steps.YesNoStep):
        return "Yes" if answers["red_flags"][step.question.key] else "No"
    if isinstance(step, steps.AboutStep):
        page.get_by_label("How old are you?").fill(str(answers["age"]))
        page.get_by_label("Number of days, weeks or months").fill(str(answers["onset_weeks"]))
        choose(page, "weeks")
    elif isinstance(step, steps.ChoiceStep):
        choose(page, SIDE_LABELS[answers[step.key]])
    elif isinstance(step, steps.MultiStep) and step.key == "regions":
        tap_regions(page, answers["regions"])
    elif isinstance(step, steps.MultiStep):
        labels = SENSATION_LABELS if step.key == "sensations" else TRIGGER_LABELS
        for key in answers[step.key]:
            choose(page, labels[key])
    elif isinstance(step, steps.PainStep):
        rate(page, [(label, answers["pain"][key]) for key, label in step.items])
    elif isinstance(step, QuestionnaireStep):  # not in the vignette: the middle of each scale
        rate(page, [(item.text, (item.low + item.high) // 2) for item in step.form.items])
    elif isinstance(step, PsfsStep):
        page.get_by_label("Activity 1", exact=True).fill("Putting on socks")
        page.locator(".activity").first.get_by_text("3", exact=True).click()
        return "See my result"
    else:
        pytest.fail(f"the journey does not know how to answer {step.slug}")
    return "Next"


def take_the_check(journey: Journey) -> None:
    """From the home page through every screen of the check to its result, as the vignette answers."""
    page = journey.page
    answers = load_vignettes()[VIGNETTE]["answers"]
    start = page.get_by_role("main").get_by_role("link", name=re.compile("safety check", re.IGNORECASE))
    journey.follow(start.first.click, "check-intro")
    journey.follow(page.get_by_role("link", name="Start the check").click, None)
    while "/check/step/" in page.url:
        slug = page.url.rstrip("/").rsplit("/", 1)[-1]
        journey.look(f"check-{slug}")
        submit(journey, answer_step(page, steps.BY_SLUG[slug], answers), None)
    expect(page).to_have_url(re.compile(r"/check/result/$"))
    journey.look("check-result")
    expect(page.get_by_role("heading", level=1)).to_have_text("You can start the home program")


def sign_up(journey: Journey) -> None:
    page = journey.page
    journey.follow(lambda: page.get_by_role("link", name="Create an account to save it").click(), "signup")
    page.get_by_label("Username").fill("journey")
    page.get_by_label("What should we call you?").fill("Jo")
    passwords = page.locator("input[type='password']")
    expect(passwords).to_have_count(2)  # the password, and again
    for field in passwords.all():
        field.fill(PASSWORD)
    submit(journey, "Create my account", "after-signup")
    patient = Patient.objects.get(user__username="journey")
    if not Intake.objects.filter(patient=patient).exists():  # saved by hand where sign-up does not save it
        journey.open("/check/result/", None)
        submit(journey, "Save to my history", None)
    assert Intake.objects.filter(patient=patient).count() == 1


def menu(journey: Journey, link: str, name: str) -> None:
    nav = journey.page.get_by_role("navigation", name="Main")
    journey.follow(lambda: nav.get_by_role("link", name=link, exact=True).click(), name)


def new_persons_pages(journey: Journey) -> None:
    page = journey.page
    menu(journey, "Program", "program")
    session = page.get_by_role("main").get_by_role("link", name=re.compile("session", re.IGNORECASE))
    journey.follow(session.first.click, "session")
    expect(page.get_by_role("heading", name="Before you start")).to_be_visible()

    journey.open("/diary/", "diary")
    choose(page, "None of these now")
    page.get_by_role("group", name="Leg pain today").get_by_text("5", exact=True).click()
    page.get_by_role("group", name="Back pain today").get_by_text("3", exact=True).click()
    choose(page, "Down to my thigh, above the knee")
    choose(page, "Pain did not wake me")
    submit(journey, "Save today", "diary-saved")
    expect(page.get_by_role("status")).to_contain_text("Saved")

    journey.open("/progress/", "progress")
    menu(journey, "Exercises", "library")
    exercise = page.get_by_role("main").get_by_role("link").filter(has_text=re.compile("McKenzie"))
    journey.follow(exercise.first.click, "exercise")


def demo_patients_pages(journey: Journey) -> None:
    """The demo patient's twelve weeks: the heaviest pages a patient sees."""
    sign_in(journey.page, journey.base_url, "patient", DEMO_PASSWORD)
    for path, name in (
        ("/", "demo-home"),
        ("/program/", "demo-program"),
        ("/session/", "demo-session"),
        ("/diary/", "demo-diary"),
        ("/progress/", "demo-progress"),
        ("/check/history/", "demo-history"),
    ):
        journey.open(path, name)
    a_check = journey.page.get_by_role("main").get_by_role("link").filter(has_text=re.compile(r"\d{4}"))
    journey.follow(a_check.first.click, "demo-history-check")


def clinicians_pages(journey: Journey) -> None:
    page = journey.page
    sign_in(page, journey.base_url, "clinician", DEMO_PASSWORD)
    journey.open("/clinic/", None)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step sign-in")
    journey.look("two-factor")
    secret = page.locator("[data-otp-secret]").inner_text()
    page.get_by_label("The 6-digit code from your authenticator app").fill(code_for_secret(secret))
    submit(journey, "Turn on two-step sign-in", "clinic-dashboard")
    patients = page.get_by_role("region", name=re.compile("Patients"))
    journey.follow(patients.get_by_role("link").first.click, "clinic-patient")


@pytest.mark.timeout(600)
@pytest.mark.parametrize("viewport", ["phone", "laptop"])
def test_the_whole_journey_is_accessible_fits_and_stays_light(
    live_server: Any, browser: Browser, viewport: str
) -> None:
    list(load_demo())
    journey = new_journey(browser, live_server.url, viewport)
    journey.open("/", "home")
    take_the_check(journey)
    sign_up(journey)
    new_persons_pages(journey)
    journey.page.context.close()

    journey = new_journey(browser, live_server.url, viewport)
    demo_patients_pages(journey)
    journey.page.context.close()

    journey = new_journey(browser, live_server.url, viewport)
    clinicians_pages(journey)
    journey.page.context.close()
    assert User.objects.filter(username="journey").exists()
