"""FragmentCache renders a fragment once per key and keeps only the most recently used ones."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sciatrack.fragment_cache import FragmentCache


def counting_renderer(text: str, calls: list[str]) -> Callable[[], str]:
    def render() -> str:
        calls.append(text)
        return text

    return render


def test_it_renders_a_key_once_and_serves_it_after() -> None:
    cache = FragmentCache(4)
    calls: list[str] = []
    assert cache.get_or_render(("program", 1), counting_renderer("<p>one</p>", calls)) == "<p>one</p>"
    assert cache.get_or_render(("program", 1), counting_renderer("<p>other</p>", calls)) == "<p>one</p>"
    assert calls == ["<p>one</p>"]


def test_a_changed_key_renders_again() -> None:
    cache = FragmentCache(4)
    calls: list[str] = []
    cache.get_or_render(("program", 1, "monday"), counting_renderer("a", calls))
    assert cache.get_or_render(("program", 1, "tuesday"), counting_renderer("b", calls)) == "b"
    assert calls == ["a", "b"]


def test_it_drops_the_least_recently_used_when_full() -> None:
    cache = FragmentCache(2)
    calls: list[str] = []
    cache.get_or_render("a", counting_renderer("A", calls))
    cache.get_or_render("b", counting_renderer("B", calls))
    cache.get_or_render("a", counting_renderer("A", calls))  # "a" is now the most recently used
    cache.get_or_render("c", counting_renderer("C", calls))  # so "b" goes
    assert len(cache) == 2
    cache.get_or_render("a", counting_renderer("A", calls))
    cache.get_or_render("b", counting_renderer("B", calls))
    assert calls == ["A", "B", "C", "B"]


def test_it_refuses_a_size_below_one() -> None:
    with pytest.raises(ValueError, match="size must be at least 1, not 0"):
        FragmentCache(0)
