"""Light on a phone: pages gzip-compressed, static files compressed and kept for good, a favicon.

Pages are asked for as a browser asks (``Accept-Encoding``) through Django's test client, so the real
middleware answers. The static files' headers come from WhiteNoise as ``sciatrack serve`` runs it, so
those tests start the real server in a subprocess: as ``make run`` starts it (``DEBUG`` on) and as a
production server runs (``DEBUG`` off), each in a temporary home with its own SQLite file.
"""

from __future__ import annotations

import gzip
import os
import re
import signal
import subprocess
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.test import Client

import sciatrack
from sciatrack.accounts.models import Patient
from sciatrack.care.models import Intake
from sciatrack.demo import load_demo
from second_factor import confirm_second_factor
from test_production_start import SCIATRACK, free_port, production_environment, wait_until_listening
from web.test_program import make_intake

PAGE_BUDGET_BYTES = 50 * 1024
ONE_YEAR_SECONDS = 365 * 24 * 60 * 60
STATIC_URL = re.compile(r'(?:href|src)="(/static/[^"]+)"')
# What WhiteNoise compresses (it leaves images and fonts that are compressed already as they are).
COMPRESSIBLE = {"css", "js", "svg", "json", "txt", "html"}
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def decompressed(response: object) -> str:
    content: bytes = response.content  # type: ignore[attr-defined]
    return gzip.decompress(content).decode()


def test_a_page_is_gzip_compressed_for_a_browser_that_accepts_it(client: Client) -> None:
    plain = client.get("/")
    assert plain.status_code == 200
    assert not plain.has_header("Content-Encoding")

    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br, zstd")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    page = decompressed(response)
    assert "<title>" in page and "Sciatrack" in page
    assert len(response.content) < len(plain.content) / 2


@pytest.mark.django_db
def test_each_compressed_answer_holds_a_csrf_token_of_its_own(client: Client) -> None:
    """The answer to BREACH (see MIDDLEWARE in the settings): no two compressed answers share the token's
    text, on a kept page (the program page, from lib/page_cache) as on a page rendered each time."""
    user = User.objects.create_user("alice", password="a long test password")
    patient = Patient.objects.create(user=user, display_name="Alice")
    make_intake(patient, "disc-pattern-self-care")
    client.force_login(user)
    for path in ("/program/", "/diary/"):
        answers = []
        for _ in range(2):
            response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
            assert response.status_code == 200, path
            assert response["Content-Encoding"] == "gzip", path
            answers.append(set(CSRF_FIELD.findall(decompressed(response))))
        assert all(answers), f"{path} has no form with a CSRF token"
        assert not answers[0] & answers[1], f"{path} repeats a CSRF token in two answers: {answers}"


def test_the_favicon_is_served_at_the_root(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    icon = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert icon.startswith(b"\x00\x00\x01\x00")  # an ICO file's header
    assert len(icon) < 8 * 1024


def static_transfer(client: Client, page: str) -> int:
    """The static files ``page`` names, gzip-compressed as WhiteNoise sends them (its copies are made by
    collectstatic, so here each file is compressed as it would be)."""
    total = 0
    for url in sorted(set(STATIC_URL.findall(page))):
        path = finders.find(url.removeprefix("/static/"))
        assert path, f"{url} is not a static file"
        total += len(gzip.compress(Path(str(path)).read_bytes(), compresslevel=9))
    return total


def page_weight(client: Client, path: str) -> tuple[int, int]:
    """What ``path`` sends compressed, and that plus the static files it names (a first visit)."""
    response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    assert response["Content-Encoding"] == "gzip", path
    document = len(response.content)
    return document, document + static_transfer(client, decompressed(response))


@pytest.mark.django_db
def test_every_page_of_the_demo_patient_and_clinician_weighs_under_50_kb_compressed(client: Client) -> None:
    """The demo patient's twelve weeks make the largest pages (progress, the session's plan, the clinician's
    view of a patient): each page with its CSS and scripts stays under the budget on a first visit."""
    list(load_demo())
    patient = Patient.objects.get(user__username="patient")
    client.force_login(patient.user)
    intake = Intake.objects.filter(patient=patient).latest("created")
    paths = [
        "/",
        "/check/",
        "/program/",
        "/session/",
        "/diary/",
        "/progress/",
        "/check/history/",
        f"/check/history/{intake.uuid}/",
        "/exercises/",
        "/exercises/mckenzie-extension/",
        "/accounts/",
    ]
    weights = {path: page_weight(client, path) for path in paths}

    clinician = User.objects.get(username="clinician")
    client.force_login(clinician)
    confirm_second_factor(client, clinician)
    worsening = Patient.objects.get(user__username="wes")
    for path in ("/clinic/", f"/clinic/patients/{worsening.uuid}/"):
        weights[path] = page_weight(client, path)

    heavy = {path: weight for path, weight in weights.items() if weight[1] > PAGE_BUDGET_BYTES}
    assert not heavy, f"over {PAGE_BUDGET_BYTES} bytes compressed (page, with its static files): {heavy}"


# The real server, as `make run` starts it and as production runs it.


def make_run_environment(home: Path, port: int) -> dict[str, str]:
    """The environment `make run` gives `sciatrack serve`: DEBUG on, the demo's emergency number."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DEBUG", "SECRET_KEY", "SCIATRACK_STATIC_COLLECTED")
    }
    environment.update(
        SCIATRACK_HOME=str(home), HOST="127.0.0.1", PORT=str(port), SCIATRACK_EMERGENCY_NUMBER="911"
    )
    return environment


ENVIRONMENTS = {"make run": make_run_environment, "production": production_environment}


@contextmanager
def serving(home: Path, kind: str) -> Iterator[str]:
    """``sciatrack serve`` in ``home``, running this checkout's code: its address."""
    port = free_port()
    environment = ENVIRONMENTS[kind](home, port)
    # The package under test, not whichever one the virtual environment installed.
    environment["PYTHONPATH"] = str(Path(sciatrack.__file__).resolve().parents[1])
    migrated = subprocess.run(
        [str(SCIATRACK), "migrate", "--verbosity", "0"],
        cwd=home,
        env=environment,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert migrated.returncode == 0, migrated.stderr
    server = subprocess.Popen(
        [str(SCIATRACK), "serve", "--workers", "1"],
        cwd=home,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        wait_until_listening(server, port)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)


def fetch(url: str, encodings: str) -> tuple[int, dict[str, str], bytes]:
    assert url.startswith("http://127.0.0.1:")  # our own server, started by the test
    request = urllib.request.Request(  # noqa: S310 - our own server, started by the test
        url, headers={"Accept-Encoding": encodings, "X-Forwarded-Proto": "https"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - as above
        return (
            response.status,
            {key.lower(): value for key, value in response.headers.items()},
            response.read(),
        )


def max_age(headers: dict[str, str]) -> int:
    found = re.search(r"max-age=(\d+)", headers.get("cache-control", ""))
    return int(found.group(1)) if found else 0


@pytest.mark.once
@pytest.mark.timeout(180)
@pytest.mark.parametrize("kind", ["make run", "production"])
def test_the_server_sends_static_files_compressed_under_hashed_names_kept_for_a_year(
    tmp_path: Path, kind: str
) -> None:
    with serving(tmp_path, kind) as address:
        status, headers, body = fetch(address + "/", "gzip")
        assert status == 200
        assert headers.get("content-encoding") == "gzip"
        page = gzip.decompress(body).decode()
        hashed = [url for url in STATIC_URL.findall(page) if re.search(r"\.[0-9a-f]{12}\.\w+$", url)]
        assert any(url.startswith("/static/css/site.") for url in hashed), (
            f"no hashed site.css in {page[:800]}"
        )

        for url in hashed:
            compressible = url.rsplit(".", 1)[-1] in COMPRESSIBLE
            for encodings, expected in (("br, gzip", "br"), ("gzip", "gzip")):
                status, headers, body = fetch(address + url, encodings)
                assert status == 200, url
                assert headers.get("content-encoding") == (expected if compressible else None), (url, headers)
                assert "immutable" in headers["cache-control"], (url, headers)
                assert max_age(headers) >= ONE_YEAR_SECONDS, (url, headers)
            plain_name = re.sub(r"\.[0-9a-f]{12}(\.\w+)$", r"\1", url)
            _, headers, _ = fetch(address + plain_name, "gzip")
            # The plain name may change content under it: it is never kept for long.
            assert "immutable" not in headers.get("cache-control", ""), (plain_name, headers)
            assert max_age(headers) <= 60, (plain_name, headers)

        status, headers, body = fetch(address + "/favicon.ico", "gzip")
        assert status == 200
        assert body.startswith(b"\x00\x00\x01\x00")
