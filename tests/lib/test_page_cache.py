"""kept_page renders a page once per key, keeps only the most recently used ones, and gives each request
its own CSRF token."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator

import pytest
from django.middleware.csrf import _does_token_match
from django.test import RequestFactory, override_settings

from sciatrack.lib.page_cache import CSRF_PLACEHOLDER, kept_page


def pages_kept(size: int) -> dict[str, dict[str, object]]:
    """A ``pages`` cache of its own for one test, keeping ``size`` pages and dropping one when full."""
    return {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{uuid.uuid4()}",
            "TIMEOUT": None,
            "OPTIONS": {"MAX_ENTRIES": size, "CULL_FREQUENCY": size},
        },
    }


@pytest.fixture
def four_pages() -> Iterator[None]:
    with override_settings(CACHES=pages_kept(4)):
        yield


def counting_renderer(text: str, calls: list[str]) -> Callable[[str], str]:
    def render(csrf_token: str) -> str:
        calls.append(text)
        return text

    return render


def page(key: object, render: Callable[[str], str]) -> str:
    return kept_page(RequestFactory().get("/program/"), (key,), render)


def test_it_renders_a_key_once_and_serves_it_after(four_pages: None) -> None:
    calls: list[str] = []
    assert page(("program", 1), counting_renderer("<p>one</p>", calls)) == "<p>one</p>"
    assert page(("program", 1), counting_renderer("<p>other</p>", calls)) == "<p>one</p>"
    assert calls == ["<p>one</p>"]


def test_a_changed_key_renders_again(four_pages: None) -> None:
    calls: list[str] = []
    page(("program", 1, "monday"), counting_renderer("a", calls))
    assert page(("program", 1, "tuesday"), counting_renderer("b", calls)) == "b"
    assert calls == ["a", "b"]


def test_it_drops_the_least_recently_used_when_full() -> None:
    calls: list[str] = []
    with override_settings(CACHES=pages_kept(2)):
        page("a", counting_renderer("A", calls))
        page("b", counting_renderer("B", calls))
        page("a", counting_renderer("A", calls))  # "a" is now the most recently used
        page("c", counting_renderer("C", calls))  # so "b" goes
        page("a", counting_renderer("A", calls))
        page("b", counting_renderer("B", calls))
    assert calls == ["A", "B", "C", "B"]


def test_each_request_gets_its_own_csrf_token_in_a_kept_page(four_pages: None) -> None:
    def render(csrf_token: str) -> str:
        return f'<input name="csrfmiddlewaretoken" value="{csrf_token}">'

    laptop, phone = RequestFactory().get("/program/"), RequestFactory().get("/program/")
    first = kept_page(laptop, ("program", 1), render)
    kept = kept_page(phone, ("program", 1), lambda token: "rendered again")
    assert CSRF_PLACEHOLDER not in first and CSRF_PLACEHOLDER not in kept
    laptop_token, phone_token = (re.findall(r'value="([^"]+)"', text)[0] for text in (first, kept))
    # Each page's token is for its own browser's CSRF secret (the one its cookie will carry).
    assert _does_token_match(laptop_token, laptop.META["CSRF_COOKIE"])
    assert _does_token_match(phone_token, phone.META["CSRF_COOKIE"])
    assert not _does_token_match(phone_token, laptop.META["CSRF_COOKIE"])
