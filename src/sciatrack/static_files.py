"""The static files ``sciatrack serve`` serves: collected before it starts, and only when they changed.

Served by ``sciatrack serve`` (``settings.STATIC_COLLECTED``: a real server, and ``make run``), every page
names its CSS and scripts by hashed names read from a manifest (``staticfiles.json``, written by
``collectstatic``), which browsers keep for good; without it every page answers 500. ``sciatrack serve``
therefore calls :func:`collect_static_files` first. Collecting compresses every file (Brotli and gzip),
which takes several seconds of CPU, so a restart with the same files (a deploy that changed no file, a
server restarted after a crash) uses what the last run collected: a digest of every source file and of
the storage settings is kept beside the folder, and the collection runs again whenever it differs or a
file the manifest names is missing.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]  # untyped WhiteNoise
    """WhiteNoise's storage (hashed names, gzip and Brotli copies), naming files by their hashed names
    with ``DEBUG`` on too, as under ``make run``: Django's own gives the plain names then, which browsers
    must ask about again on every page, and WhiteNoise tells them to keep only hashed names for good."""

    def url(self, name: str | None, force: bool = False) -> str:
        return str(super().url(name, force=True))


def sources_digest() -> str:
    """A digest of the content of every file ``collectstatic`` would collect, and of how it stores them."""
    from django.apps import apps
    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders

    ignore_patterns = apps.get_app_config("staticfiles").ignore_patterns  # type: ignore[attr-defined]
    found: dict[str, str] = {}
    for finder in get_finders():
        for path, storage in finder.list(ignore_patterns):
            prefix = getattr(storage, "prefix", None)
            name = os.path.join(prefix, path) if prefix else path  # noqa: PTH118 - the join collectstatic uses
            found.setdefault(name, storage.path(path))  # the first finder wins, as in collectstatic
    digest = hashlib.sha256(
        repr(
            (
                settings.STATIC_URL,
                settings.STORAGES["staticfiles"],
                getattr(settings, "WHITENOISE_SKIP_COMPRESS_EXTENSIONS", None),
            )
        ).encode()
    )
    for name in sorted(found):
        digest.update(name.encode() + b"\0" + hashlib.sha256(Path(found[name]).read_bytes()).digest())
    return digest.hexdigest()


def collection_is_complete(static_root: Path) -> bool:
    """True when the manifest exists and every hashed file it names is in ``static_root``."""
    try:
        manifest = json.loads((static_root / "staticfiles.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    paths = manifest.get("paths") if isinstance(manifest, dict) else None
    if not isinstance(paths, dict) or not paths:
        return False
    return all((static_root / hashed).is_file() for hashed in paths.values())


def collect_static_files() -> bool:
    """Collect the static files into ``STATIC_ROOT`` unless the last collection is of the same files.

    True when it collected. Files of earlier runs stay (no ``--clear``), so a page still open with an
    older hashed name finds its file. WhiteNoise reads the folder when the app loads, so call this first.
    """
    from django.conf import settings
    from django.core.management import call_command

    static_root = Path(settings.STATIC_ROOT)
    stamp = Path(settings.VAR_DIR) / "static-sources.sha256"
    digest = sources_digest()
    try:
        collected_digest = stamp.read_text(encoding="ascii").strip()
    except OSError:
        collected_digest = ""
    if collected_digest == digest and collection_is_complete(static_root):
        return False
    # On stderr, with gunicorn's own start-up lines: stdout opens with where the server listens.
    print(f"Collecting the static files into {static_root} ...", file=sys.stderr, flush=True)
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(digest + "\n", encoding="ascii")
    return True
