"""The clinical vignettes of the shared contract, read where the project keeps them.

They live in ``shared/vignettes`` beside the repository (``SCIATRACK_VIGNETTES`` overrides). A
missing folder fails the tests loudly: the safety cases must never be skipped without notice.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "vignettes"


def vignette_dir() -> Path:
    directory = Path(os.environ.get("SCIATRACK_VIGNETTES", DEFAULT_DIR))
    if not directory.is_dir() or not any(directory.glob("*.json")):
        raise FileNotFoundError(f"no vignettes in {directory}: set SCIATRACK_VIGNETTES to the folder")
    return directory


def load_vignettes() -> dict[str, dict[str, Any]]:
    """Every vignette by file stem, in name order."""
    return {path.stem: json.loads(path.read_text()) for path in sorted(vignette_dir().glob("*.json"))}
