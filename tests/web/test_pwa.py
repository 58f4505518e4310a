"""Installable and offline: the web app manifest and its icons, the service worker at /sw.js, the offline
page, and the links base.html gives them. The worker's behaviour in a browser is tested in
``tests/browser/test_offline_browser.py``; here, what the server sends and what the worker's source says.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from PIL import Image

from sciatrack import views
from sciatrack.accounts.models import Patient
from web.test_program import make_intake

pytestmark = pytest.mark.django_db

PASSWORD = "a long test password"
OFFLINE_META = re.compile(r'<meta name="sciatrack-offline" content="([0-9a-f]+)">')


def worker_source(client: Client) -> str:
    response = client.get("/sw.js")
    assert response.status_code == 200
    return response.content.decode()


def static_bytes(url: str) -> bytes:
    path = finders.find(url.removeprefix("/static/"))
    assert isinstance(path, str), f"{url} is not a static file"
    return Path(path).read_bytes()


def test_the_manifest_says_how_to_install_and_open_on_the_today_screen(client: Client) -> None:
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Sciatrack"
    assert manifest["short_name"] == "Sciatrack"
    assert manifest["start_url"] == reverse("home") == "/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    # The colours of site.css: the brand's blue and the page's background.
    css = static_bytes("/static/css/site.css").decode()
    assert f"--accent: {manifest['theme_color']};" in css
    assert f"--bg: {manifest['background_color']};" in css


def test_each_icon_is_a_png_of_the_size_it_claims(client: Client) -> None:
    icons = json.loads(client.get("/manifest.webmanifest").content)["icons"]
    assert {(icon["sizes"], icon["purpose"]) for icon in icons} == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("512x512", "maskable"),
    }
    for icon in icons:
        assert icon["type"] == "image/png"
        image = Image.open(io.BytesIO(static_bytes(icon["src"])))
        assert image.format == "PNG"
        width, height = (int(side) for side in icon["sizes"].split("x"))
        assert image.size == (width, height)
        rgba = image.convert("RGBA")
        # The middle of the mark is the blue tile, left of the white curve.
        middle_of_the_mark = rgba.getpixel((width * 16 // 32, height * 16 // 32))
        assert middle_of_the_mark[:3] == (0x1D, 0x5F, 0xA8), icon["src"]
        corner = rgba.getpixel((0, 0))
        if icon["purpose"] == "maskable":
            assert corner == (0x1D, 0x5F, 0xA8, 255)  # the platform cuts its own shape: full bleed
        else:
            assert corner[3] == 0  # rounded corners, as the logo in the header
    apple = Image.open(io.BytesIO(static_bytes("/static/icons/apple-touch-icon.png")))
    assert apple.size == (180, 180)


def test_the_worker_is_served_from_the_root_for_every_page_and_asked_for_anew(client: Client) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/"
    source = response.content.decode()
    version = re.search(r'var VERSION = "([0-9a-f]{12})";', source)
    assert version is not None
    assert version[1] == client.get("/sw.js").content.decode().split('VERSION = "')[1][:12]  # steady


def test_the_version_follows_what_the_worker_keeps() -> None:
    shell = views._shell()
    assert views.worker_version(shell) == views.worker_version(list(shell))
    assert views.worker_version(shell) != views.worker_version([*shell, "/static/css/new.css"])


def test_the_worker_lists_the_shell_and_the_persons_pages(client: Client) -> None:
    source = worker_source(client)
    shell = json.loads(re.search(r"var SHELL = (\[.*?\]);", source)[1])  # type: ignore[index]
    pages = json.loads(re.search(r"var PAGES = (\[.*?\]);", source)[1])  # type: ignore[index]
    assert pages == ["/", "/program/", "/session/", "/diary/", "/progress/"]
    assert "/offline/" in shell and "/favicon.ico" in shell and "/manifest.webmanifest" in shell
    for url in shell:
        if url.startswith("/static/"):
            assert static_bytes(url)
        else:
            assert client.get(url).status_code == 200, url
    assert not any(url.startswith(("/api/", "/accounts/", "/clinic/", "/admin/")) for url in shell + pages)


def test_the_worker_never_handles_a_write(client: Client) -> None:
    """The fetch handler's first statement leaves every request that is not a GET to the network, and
    nothing else in the worker looks at a request's method or answers one."""
    source = worker_source(client)
    handler = source.split('self.addEventListener("fetch", function (event) {', 1)[1]
    statements = [line.strip() for line in handler.splitlines() if line.strip()]
    assert statements[0] == "var request = event.request;"
    assert statements[1].startswith('if (request.method !== "GET") return;')
    assert source.count(".method") == 1
    assert source.index('request.method !== "GET"') < source.index("respondWith")
    assert 'method: "' not in source and "method:'" not in source  # the worker itself sends no write


def test_the_worker_never_keeps_the_api_accounts_clinic_or_admin(client: Client) -> None:
    source = worker_source(client)
    never = json.loads(re.search(r"var NEVER = (\[.*?\]);", source)[1])  # type: ignore[index]
    assert set(never) == {"/api/", "/accounts/", "/clinic/", "/admin/"}
    handler = source.split('self.addEventListener("fetch"', 1)[1].split("});", 1)[0]
    # The check comes before anything is answered or kept.
    assert handler.index("NEVER.some") < handler.index("respondWith")


def test_base_links_the_manifest_icons_and_app_script(client: Client) -> None:
    page = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert '<meta name="theme-color" content="#1d5fa8">' in page
    assert re.search(r'<link rel="apple-touch-icon" href="/static/icons/apple-touch-icon[.\w]*\.png">', page)
    assert re.search(r'<script src="/static/js/app[.\w]*\.js" defer></script>', page)
    # Hidden until app.js has cause to show them.
    assert re.search(r'<div class="wrap app-note" hidden><p class="offline-line" role="status"', page)
    assert "Offline: what you record is kept and sent when you are back online." in page
    assert OFFLINE_META.search(page) is None  # a visitor has no pages kept


def key_of(client: Client, path: str = "/") -> str | None:
    found = OFFLINE_META.search(client.get(path).content.decode())
    return found[1] if found else None


def signed_in(username: str, patient: bool = True) -> tuple[Client, User]:
    user = User.objects.create_user(username, password=PASSWORD)
    if patient:
        Patient.objects.create(user=user, display_name=username.title())
    client = Client()
    client.force_login(user)
    return client, user


def test_each_patient_has_their_own_offline_key_on_every_page(client: Any) -> None:
    alice, alice_user = signed_in("alice")
    bob, bob_user = signed_in("bob")
    make_intake(alice_user.patient, "disc-pattern-self-care")
    make_intake(bob_user.patient, "disc-pattern-self-care")
    alice_key = key_of(alice)
    bob_key = key_of(bob)
    assert alice_key and bob_key and alice_key != bob_key
    assert str(alice_user.pk) != alice_key
    # The same on each page, the kept program page too (kept per person).
    for path in ("/program/", "/program/", "/session/", "/diary/", "/progress/", "/exercises/"):
        assert key_of(alice, path) == alice_key, path
        assert key_of(bob, path) == bob_key, path


def test_staff_without_a_patient_record_get_no_offline_key() -> None:
    staff, _ = signed_in("carol", patient=False)
    assert key_of(staff) is None


def test_the_offline_page_names_no_one_and_holds_no_form(client: Client) -> None:
    alice, _ = signed_in("alice")
    for who in (client, alice):
        response = who.get("/offline/")
        assert response.status_code == 200
        page = response.content.decode()
        assert "<h1>You are offline</h1>" in page
        assert "<form" not in page and "csrf" not in page.lower()
        assert "Alice" not in page
        assert "app.js" not in page  # no script: nothing on it changes
