"""Shared fixtures: personas, and Playwright on Debian's Chromium.

The same suite runs on SQLite and, with ``DATABASE_URL`` set, on PostgreSQL (see ``scripts/run-tests``).
Browser tests need ``/usr/bin/chromium``; where it is missing they skip with the reason, except in
CI (``CI`` set), where a missing browser is a failure, not a silent skip.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("SCIATRACK_CHROMIUM", "/usr/bin/chromium")

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from a thread
# with a running loop unless told otherwise. The live server itself runs in its own thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# What the database cannot change runs once, on SQLite: browser tests (their storage paths have web tests
# of their own on both databases), tests marked ``once`` (fuzzing without storage), and the pure domain
# tests, which import no Django.
ONCE_MARKERS = ("browser", "once")
PURE_DIRECTORIES = (Path(__file__).parent / "domain",)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from django.conf import settings

    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        return
    once = [
        item
        for item in items
        if any(item.get_closest_marker(name) for name in ONCE_MARKERS)
        or any(directory in item.path.parents for directory in PURE_DIRECTORIES)
    ]
    if once:
        config.hook.pytest_deselected(items=once)
        items[:] = [item for item in items if item not in set(once)]


def pytest_report_header(config: pytest.Config) -> list[str]:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    browser = CHROMIUM if Path(CHROMIUM).exists() else f"missing ({CHROMIUM})"
    return [f"sciatrack: database={engine} chromium={browser}"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        message = (
            f"Chromium not found at {CHROMIUM}: run `apt-get install -y chromium` (make test does, as root)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


def watch_content_security_policy(page):  # type: ignore[no-untyped-def]
    """Collect every console report of something our Content-Security-Policy refused."""
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return blocked


@pytest.fixture
def phone_page(browser):  # type: ignore[no-untyped-def]
    """A page in a 390 x 844 phone viewport with touch, as on a common smartphone."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, has_touch=True
    )
    page = context.new_page()
    blocked = watch_content_security_policy(page)
    yield page
    context.close()
    assert not blocked, f"the Content-Security-Policy blocked: {blocked}"


@pytest.fixture
def laptop_page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1366, "height": 800})
    page = context.new_page()
    blocked = watch_content_security_policy(page)
    yield page
    context.close()
    assert not blocked, f"the Content-Security-Policy blocked: {blocked}"
