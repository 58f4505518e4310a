"""A production start as the README describes it: DEBUG off, migrate, then ``sciatrack serve``.

The real server runs in a subprocess on a free port, with its own SQLite file and static folder in a
temporary home, and is asked for pages the way a TLS proxy in front of it would ask. With DEBUG off
the pages name hashed static files (Django's manifest); before ``serve`` collected them, every page
answered 500. A restart with the same files does not collect them again.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sciatrack.static_files import collection_is_complete

SCIATRACK = Path(sys.executable).with_name("sciatrack")
STARTUP_LIMIT_SECONDS = 45
# A hashed name as Django's manifest writes it: css/site.3f2a9c0b1d4e.css
HASHED_STATIC_URL = re.compile(r"/static/[\w/.-]+\.[0-9a-f]{12}\.(?:css|js|svg|png|ico|woff2)")

# The servers here use a SQLite file of their own, not the test database: they run once, in the SQLite pass.
runs_once = pytest.mark.once


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def production_environment(home: Path, port: int) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SCIATRACK_EMERGENCY_NUMBER="112",
        SCIATRACK_HOME=str(home),
        HOST="127.0.0.1",
        PORT=str(port),
    )
    return environment


def fetch(url: str) -> tuple[int, str]:
    # As the TLS proxy in front of the server says it: the request came in over HTTPS.
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def wait_until_listening(server: subprocess.Popen[str], port: int) -> None:
    deadline = time.monotonic() + STARTUP_LIMIT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            output = server.stdout.read() if server.stdout else ""
            pytest.fail(f"sciatrack serve stopped with {server.returncode}:\n{output}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail(f"sciatrack serve did not listen on port {port} within {STARTUP_LIMIT_SECONDS} s")


@contextmanager
def serving(home: Path) -> Iterator[tuple[str, list[str]]]:
    """``sciatrack serve`` with production settings in ``home``: its address, and its output once stopped."""
    port = free_port()
    output: list[str] = []
    server = subprocess.Popen(
        [str(SCIATRACK), "serve", "--workers", "1"],
        cwd=home,
        env=production_environment(home, port),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: gunicorn's worker goes with it
    )
    try:
        wait_until_listening(server, port)
        yield f"http://127.0.0.1:{port}", output
    finally:
        server.send_signal(signal.SIGTERM)  # gunicorn's master stops its worker and exits
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)
        output.extend(server.stdout.read().splitlines() if server.stdout else [])


def assert_pages_and_their_static_files_answer(address: str) -> None:
    for path in ("/", "/accounts/login/"):
        status, page = fetch(address + path)
        assert status == 200, f"{path} answered {status}"
        static_urls = HASHED_STATIC_URL.findall(page)
        assert static_urls, f"{path} names no hashed static file"
        for static_url in sorted(set(static_urls)):
            static_status, _ = fetch(address + static_url)
            assert static_status == 200, f"{static_url} (named by {path}) answered {static_status}"


@runs_once
@pytest.mark.timeout(90)
def test_serve_with_debug_off_collects_static_files_then_answers_every_page(tmp_path: Path) -> None:
    migrated = subprocess.run(
        [str(SCIATRACK), "migrate", "--verbosity", "0"],
        cwd=tmp_path,
        env=production_environment(tmp_path, free_port()),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert migrated.returncode == 0, migrated.stderr
    assert not (tmp_path / "var" / "static").exists()  # nothing collected by hand

    with serving(tmp_path) as (address, output):
        assert (tmp_path / "var" / "static" / "staticfiles.json").exists()  # the hashed manifest
        assert_pages_and_their_static_files_answer(address)
    assert any(line.startswith("Collecting the static files") for line in output), output

    # A restart with the same files uses the last collection instead of compressing everything again.
    with serving(tmp_path) as (address, output):
        assert_pages_and_their_static_files_answer(address)
    assert not any(line.startswith("Collecting the static files") for line in output), output


@runs_once
def test_a_collection_with_a_file_missing_is_not_complete(tmp_path: Path) -> None:
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "site.0123456789ab.css").write_text("body {}")
    manifest = {"paths": {"css/site.css": "css/site.0123456789ab.css"}, "version": "1.1"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    assert collection_is_complete(tmp_path)
    (tmp_path / "css" / "site.0123456789ab.css").unlink()
    assert not collection_is_complete(tmp_path)
    (tmp_path / "staticfiles.json").write_text("{not json")
    assert not collection_is_complete(tmp_path)
