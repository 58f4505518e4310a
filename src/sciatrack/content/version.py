"""A short fingerprint of the shipped clinical content, stored beside every saved decision.

When a rule or dosage changes, old records still say which content they were made with.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent


def fingerprint(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.yaml")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@cache
def content_version() -> str:
    """The fingerprint of the content folder shipped with this installation, computed once."""
    return fingerprint(CONTENT_DIR)
