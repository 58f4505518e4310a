"""The crash-safety harness (bench/crash_safety.py) fails every run that breaks one of its promises.

Its judgement is held to hand-made outcomes, each breaking one promise, so a harness that passed
everything would fail here. The run itself (a real server killed with SIGKILL and restarted, on both
databases) is ``make bench``: its first server start collects the static files, which alone takes
longer than a test may.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytestmark = pytest.mark.once  # no database plays a part

HARNESS_PATH = Path(__file__).resolve().parent.parent / "bench" / "crash_safety.py"
KEYS = ["k1", "k2", "k3", "k4"]


def load_harness() -> ModuleType:
    spec = importlib.util.spec_from_file_location("crash_safety", HARNESS_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["crash_safety"] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


harness = load_harness()


def judged(
    acknowledged: dict[str, str] | None = None,
    after_kill: dict[str, int] | None = None,
    after_replay: dict[str, int] | None = None,
    replayed: dict[str, tuple[int, str | None]] | None = None,
    integrity: list[str] | None = None,
) -> Any:
    """A clean run (k1 and k2 acknowledged and stored, k3 and k4 stored by the replay), changed as asked."""
    clean_replay = {"k1": (200, "u1"), "k2": (200, "u2"), "k3": (201, "u3"), "k4": (201, "u4")}
    return harness.judge(
        KEYS,
        {"k1": "u1", "k2": "u2"} if acknowledged is None else acknowledged,
        Counter({"k1": 1, "k2": 1} if after_kill is None else after_kill),
        Counter(dict.fromkeys(KEYS, 1) if after_replay is None else after_replay),
        clean_replay if replayed is None else replayed,
        integrity or [],
    )


def test_a_clean_run_passes() -> None:
    verdict = judged()
    assert verdict.passed
    assert (verdict.sent, verdict.acknowledged) == (4, 2)


def test_an_acknowledged_log_missing_after_the_kill_is_lost() -> None:
    verdict = judged(after_kill={"k1": 1}, replayed={"k1": (200, "u1"), "k2": (201, "u9")})
    assert not verdict.passed
    assert verdict.lost == ["k2"]
    assert verdict.changed == ["k2"]


def test_a_key_stored_twice_is_duplicated_whenever_it_is_seen() -> None:
    after_the_kill = judged(after_kill={"k1": 2, "k2": 1})
    after_the_replay = judged(after_replay={"k1": 1, "k2": 1, "k3": 2, "k4": 1})
    assert after_the_kill.duplicated == ["k1"]
    assert after_the_replay.duplicated == ["k3"]
    assert not after_the_kill.passed and not after_the_replay.passed


def test_a_key_not_stored_after_the_replay_is_missing() -> None:
    verdict = judged(after_replay={"k1": 1, "k2": 1, "k3": 1})
    assert verdict.missing == ["k4"] and not verdict.passed


def test_an_acknowledged_key_answered_with_another_log_fails() -> None:
    verdict = judged(replayed={"k1": (200, "another"), "k2": (200, "u2"), "k3": (201, "u3")})
    assert verdict.changed == ["k1"] and not verdict.passed


def test_a_row_nobody_sent_and_a_broken_file_fail() -> None:
    assert not judged(after_replay={**dict.fromkeys(KEYS, 1), "stranger": 1}).passed
    assert not judged(integrity=["row 7 missing from index"]).passed
