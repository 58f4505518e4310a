"""Site-wide pages that belong to no single app."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.urls import reverse

from sciatrack.check.checking import patient_of
from sciatrack.content.version import content_version
from sciatrack.progress import today


def home(request: HttpRequest) -> HttpResponse:
    """The today screen for a signed-in patient (:mod:`sciatrack.progress.today`); the home page for
    visitors and for staff."""
    patient = patient_of(request)
    if patient is None:
        return render(request, "home.html")
    return render(request, "care/today.html", today.page_context(request, patient))


# Installable and offline (issue 23): the web app manifest, the service worker and the page it shows
# when a page was never kept. The worker's source is templates/sw.js; what it keeps is said there.

THEME_COLOR = "#1d5fa8"  # site.css --accent: the brand mark and the browser's bar around the app
BACKGROUND_COLOR = "#f6f5f1"  # site.css --bg: the screen shown while the app starts
ICONS = (
    ("icons/icon-192.png", "192x192", "any"),
    ("icons/icon-512.png", "512x512", "any"),
    ("icons/icon-maskable-512.png", "512x512", "maskable"),
)
# The files every kept page needs, fetched when the worker installs. Others (a figure, a script a
# page adds) are kept the first time a page asks for them.
SHELL_STATIC = (
    "css/site.css",
    "css/check.css",
    "css/session.css",
    "js/app.js",
    "js/session-plan.js",
    "js/session.js",
    "icons/icon-192.png",
)
# Web Push's handlers (the reminders' own file), run inside the one worker the site may have.
PUSH_SCRIPT = "js/sw-push.js"
# The signed-in person's pages kept for offline use: the today screen and what it leads to.
OFFLINE_PAGES = ("home", "program", "session", "diary", "progress")


def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: what a phone needs to install Sciatrack and open it on the today screen."""
    data = {
        "id": "/",
        "name": "Sciatrack",
        "short_name": "Sciatrack",
        "description": "Safe home exercises and a pain diary for sciatica.",
        "lang": "en",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [
            {"src": static(path), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for path, sizes, purpose in ICONS
        ],
    }
    return HttpResponse(json.dumps(data, indent=1), content_type="application/manifest+json")


def _shell() -> list[str]:
    return [
        *(static(path) for path in SHELL_STATIC),
        "/favicon.ico",
        reverse("manifest"),
        reverse("offline"),
    ]


def worker_version(shell: list[str]) -> str:
    """Changes whenever what the worker keeps may change: the worker's own source, the shell's names and
    bytes (hashed names change with their files once collected; plain names under tests do not), and the
    clinical content. A new version makes the browser install the worker again, which drops older caches."""
    digest = hashlib.sha256()
    digest.update(get_template("sw.js").template.source.encode())  # type: ignore[attr-defined]
    digest.update(json.dumps(shell).encode())
    digest.update(content_version().encode())
    for path in (*SHELL_STATIC, PUSH_SCRIPT):
        found = finders.find(path)
        if isinstance(found, str):
            digest.update(Path(found).read_bytes())
    return digest.hexdigest()[:12]


def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, from the site's root so that it may look after every page (``/`` scope).

    ``no-cache``: the browser asks again each time it checks for a new worker, so a deploy reaches it.
    """
    shell = _shell()
    context = {
        "version": worker_version(shell),
        "shell": json.dumps(shell),
        "pages": json.dumps([reverse(name) for name in OFFLINE_PAGES]),
        "offline_page": json.dumps(reverse("offline")),
        "push_script": json.dumps(static(PUSH_SCRIPT)) if finders.find(PUSH_SCRIPT) else "",
    }
    response = HttpResponse(
        render_to_string("sw.js", context), content_type="application/javascript; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


def offline_page(request: HttpRequest) -> HttpResponse:
    """What the worker shows for a page it never kept while there is no connection. The same for all:
    no name, no form, so it may be kept for anyone."""
    return render(request, "offline.html")
