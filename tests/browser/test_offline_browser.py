"""Installable and offline, in Chromium with its service worker on a 360 x 740 phone.

A patient signs in and opens the today screen, the program, the session and the diary; the worker keeps
them. With the network off, each page reloads with the data it last showed (the person's name is changed
on the server meanwhile, and the page still shows the old one) and says it is offline; a page never
opened shows the offline page. Signing out leaves no page kept; another person signing in on the same
device drops the last one's pages. Axe finds nothing on the offline pages and the install button.
Screenshots go to ``var/screenshots/offline-*.png``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from browser.signing_in import sign_in
from browser.test_pages_browser import SCREENSHOTS
from browser.test_session_browser import AXE
from sciatrack.accounts.models import Patient
from web.test_program import make_intake

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long test password"
SMALL_PHONE = {"width": 360, "height": 740}
OFFLINE_LINE = "Offline: what you record is kept and sent when you are back online."
# Each kept page and the heading that shows it is that page (the session's once its script has run).
PAGES = {
    "/": "Today",
    "/program/": "Your home program",
    "/session/": "Before you start",
    "/diary/": "Pain diary",
}

KEPT_PAGES = """() => caches.keys().then(names => Promise.all(
  names.filter(name => name.startsWith("sciatrack-pages-")).map(name => caches.open(name)
    .then(cache => cache.keys()).then(requests => requests.map(request => new URL(request.url).pathname)))
)).then(lists => lists.flat().sort())"""
PAGE_CACHES = (
    """() => caches.keys().then(names => names.filter(name => name.startsWith("sciatrack-pages-")))"""
)


@pytest.fixture
def phone(browser: Browser) -> Iterator[tuple[BrowserContext, Page]]:
    """A small phone whose pages may have a service worker."""
    context = browser.new_context(
        viewport=SMALL_PHONE, device_scale_factor=2, has_touch=True, service_workers="allow"
    )
    page = context.new_page()
    blocked: list[str] = []  # what our Content-Security-Policy refused, as the console reports it
    page.on(
        "console",
        lambda message: blocked.append(message.text) if "Content Security" in message.text else None,
    )
    yield context, page
    context.close()
    assert not blocked, f"the Content-Security-Policy blocked: {blocked}"


def a_patient(username: str, name: str) -> Patient:
    user = User.objects.create_user(username, password=PASSWORD)
    patient = Patient.objects.create(user=user, display_name=name)
    make_intake(patient, "disc-pattern-self-care")
    return patient


def no_connection(route: Route) -> None:
    route.abort("internetdisconnected")


def network_off(context: BrowserContext) -> None:
    """No connection: the page's requests fail, and so do the worker's own (which ``set_offline`` alone
    does not reach), as in a basement with no signal."""
    context.set_offline(True)
    context.route("**/*", no_connection)


def network_on(context: BrowserContext) -> None:
    context.unroute("**/*")
    context.set_offline(False)


def open_pages_until_kept(page: Page, base_url: str) -> None:
    """Open the pages, and wait until the worker keeps them and the progress page (which it fetches by
    itself), and has nothing more to fetch."""
    for path in PAGES:
        page.goto(f"{base_url}{path}")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    kept = sorted([*PAGES, "/progress/"])
    page.wait_for_function(
        f"() => ({KEPT_PAGES})().then(kept => {kept!r}.every(path => kept.includes(path)))",
        polling=200,
        timeout=15_000,
    )
    # And until it has fetched all it meant to: a fetch still under way would come back after the test
    # moves on (after Alice's cookies are gone, say, setting a new CSRF cookie under Bob's sign-in form).
    page.evaluate(
        """() => new Promise(done => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => done(true);
          navigator.serviceWorker.controller.postMessage({ type: "keep-pages" }, [channel.port2]);
        })"""
    )


def audit(page: Page, shot: str) -> None:
    result = AXE.run(page)
    assert result.violations_count == 0, f"{shot}\n{result.generate_report()}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SMALL_PHONE["width"], f"{shot} scrolls sideways ({width} px)"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"offline-{shot}.png"), full_page=False)


def test_the_persons_pages_reload_offline_with_their_last_data(
    live_server: Any, phone: tuple[BrowserContext, Page]
) -> None:
    context, page = phone
    alice = a_patient("alice", "Alice")
    sign_in(page, live_server.url, "alice", PASSWORD)
    open_pages_until_kept(page, live_server.url)
    # Every drawing of the session is kept with its page, for a session played offline.
    kept_figures = """() => caches.keys()
         .then(names => Promise.all(names.filter(name => name.startsWith("sciatrack-shell-"))
           .map(name => caches.open(name).then(cache => cache.keys()))))
         .then(lists => lists.flat().map(request => new URL(request.url).pathname))
         .then(paths => paths.filter(path => path.endsWith("figure.svg")))"""
    page.wait_for_function(
        f"() => ({kept_figures})().then(paths => paths.some(path => path.includes('/steps/1/')))"
    )
    figures = page.evaluate(kept_figures)

    alice.display_name = "Alicia"  # changed on the server: offline, the kept page still says "Alice"
    alice.save()
    network_off(context)
    for path, heading in PAGES.items():
        page.goto(f"{live_server.url}{path}")
        page.reload()
        expect(page.get_by_role("heading", name=heading, exact=True), path).to_be_visible()
        expect(page.locator(".account__name"), path).to_contain_text("Alice")
        expect(page.locator(".account__name"), path).not_to_contain_text("Alicia")
        expect(page.locator(".offline-line")).to_have_text(OFFLINE_LINE)
        expect(page.get_by_role("status").filter(has_text=OFFLINE_LINE)).to_be_visible()
        audit(page, f"reload-{path.strip('/') or 'today'}")
    # The session's player still starts: its scripts and drawings are kept.
    page.goto(f"{live_server.url}/session/")
    expect(page.get_by_role("heading", name="Before you start")).to_be_visible()
    step_figure = next(path for path in figures if "/steps/1/" in path)
    assert page.evaluate(f"() => fetch({step_figure!r}).then(response => response.ok)")

    # A page never kept: the offline page, which names no one.
    page.goto(f"{live_server.url}/check/history/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
    expect(page.get_by_text("Alice")).to_have_count(0)
    audit(page, "never-kept")

    network_on(context)
    page.goto(f"{live_server.url}/program/")
    expect(page.locator(".account__name")).to_contain_text("Alicia")
    expect(page.locator(".offline-line")).to_be_hidden()  # the line is gone online


def test_signing_out_leaves_no_page_kept(live_server: Any, phone: tuple[BrowserContext, Page]) -> None:
    context, page = phone
    a_patient("alice", "Alice")
    sign_in(page, live_server.url, "alice", PASSWORD)
    open_pages_until_kept(page, live_server.url)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    assert page.evaluate(PAGE_CACHES) == []
    assert page.evaluate("window.sciatrackClearPageCache instanceof Function")

    network_off(context)
    page.goto(f"{live_server.url}/program/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
    expect(page.get_by_text("Alice")).to_have_count(0)
    network_on(context)


def test_the_next_person_on_the_device_never_gets_the_last_ones_pages(
    live_server: Any, phone: tuple[BrowserContext, Page]
) -> None:
    """Alice leaves without signing out (her session ends); Bob signs in on the same phone."""
    context, page = phone
    a_patient("alice", "Alice")
    a_patient("bob", "Bob")
    sign_in(page, live_server.url, "alice", PASSWORD)
    open_pages_until_kept(page, live_server.url)
    alices = page.evaluate(PAGE_CACHES)
    assert len(alices) == 1

    context.clear_cookies()
    sign_in(page, live_server.url, "bob", PASSWORD)
    page.goto(f"{live_server.url}/")
    bobs_key = page.locator('meta[name="sciatrack-offline"]').get_attribute("content")
    assert bobs_key and not alices[0].endswith(bobs_key)
    page.wait_for_function(
        f"() => ({PAGE_CACHES})().then(names => names.length === 1 && names[0].endsWith({bobs_key!r}))"
    )

    network_off(context)
    page.goto(f"{live_server.url}/program/")  # Bob never opened it: not Alice's copy
    expect(page.get_by_text("Alice")).to_have_count(0)
    network_on(context)


def test_the_install_button_shows_where_the_browser_offers_it(
    live_server: Any, phone: tuple[BrowserContext, Page]
) -> None:
    _, page = phone
    a_patient("alice", "Alice")
    sign_in(page, live_server.url, "alice", PASSWORD)
    button = page.get_by_role("button", name="Install Sciatrack")
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    expect(button).to_have_count(0)
    # What Chromium sends when the site may be installed (headless, it never does): an event whose
    # prompt() opens the browser's own question and whose userChoice is the answer.
    page.evaluate(
        """() => {
          const offer = new Event("beforeinstallprompt", { cancelable: true });
          offer.prompt = () => { window.installAsked = true; };
          offer.userChoice = Promise.resolve({ outcome: "accepted" });
          window.dispatchEvent(offer);
        }"""
    )
    expect(button).to_be_visible()
    audit(page, "install-button")
    button.tap()
    expect(button).to_be_hidden()
    assert page.evaluate("window.installAsked") is True
