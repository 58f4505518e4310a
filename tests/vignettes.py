"""The clinical vignettes of the shared contract, as the tests read them.

The repository keeps a copy in ``tests/data/vignettes`` so a clean clone tests itself anywhere;
``SCIATRACK_VIGNETTES`` points at another folder (for example a newer ``shared/vignettes``).
``test_triage_vignettes`` checks the copy against ``shared/vignettes`` beside the repository when that
folder exists. A missing or empty folder fails loudly: the safety cases are never skipped unnoticed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

DEFAULT_DIR = Path(__file__).resolve().parent / "data" / "vignettes"
SHARED_DIR = Path(__file__).resolve().parents[2] / "shared" / "vignettes"


def vignette_dir() -> Path:
    directory = Path(os.environ.get("SCIATRACK_VIGNETTES", DEFAULT_DIR))
    if not directory.is_dir() or not any(directory.glob("*.json")):
        raise FileNotFoundError(f"no vignettes in {directory}: set SCIATRACK_VIGNETTES to the folder")
    return directory


def load_vignettes() -> dict[str, dict[str, Any]]:
    """Every vignette by file stem, in name order."""
    return {path.stem: json.loads(path.read_text()) for path in sorted(vignette_dir().glob("*.json"))}


def vignette_answers(name: str) -> dict[str, Any]:
    """The intake answers of one vignette."""
    answers: dict[str, Any] = load_vignettes()[name]["answers"]
    return answers
