"""Fingerprints of the source articles' 8-word runs, to check our wording is our own.

The articles stay out of the repository; ``tests/data/seed-fingerprints.txt`` keeps a short hash of
every run of 8 words in them, so the check runs on any clone. Regenerate it with
``python tests/seed_runs.py ../shared/seeds`` when the articles change.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

RUN_LENGTH = 8
FINGERPRINTS = Path(__file__).resolve().parent / "data" / "seed-fingerprints.txt"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def fingerprints(text: str) -> set[str]:
    """A 16-hex-digit hash of every run of RUN_LENGTH words in ``text``."""
    found = words(text)
    runs = (" ".join(found[i : i + RUN_LENGTH]) for i in range(len(found) - RUN_LENGTH + 1))
    return {hashlib.sha256(run.encode()).hexdigest()[:16] for run in runs}


def seed_fingerprints(folder: Path) -> set[str]:
    return set().union(*(fingerprints(path.read_text(encoding="utf-8")) for path in folder.glob("*.txt")))


def stored_fingerprints() -> set[str]:
    return set(FINGERPRINTS.read_text().split())


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else SEEDS
    FINGERPRINTS.write_text("\n".join(sorted(seed_fingerprints(folder))) + "\n")
    print(f"wrote {FINGERPRINTS}")
