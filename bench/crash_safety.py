"""Crash safety: every acknowledged session log survives ``kill -9``, and no log is stored twice.

On a fresh database (SQLite in a temporary folder, or a PostgreSQL database of its own, created and
dropped), with production settings (``DEBUG=0``):

1. one patient with a personal API key (while keys are refused: a signed-in session and CSRF token);
2. ``sciatrack serve`` with its default workers; ``--threads`` client threads POST ``--logs`` session
   logs to ``/api/sessions``, each with an idempotency key of its own;
3. once two fifths of the logs are acknowledged (answered 2xx), the server's whole process group gets
   SIGKILL mid-request (the machine stays up, so what the kernel was handed is kept);
4. with the server down, the database is read: each acknowledged log must be stored exactly once;
5. the server starts again and every key is sent again (acknowledged, answer lost, or not sent yet);
   an acknowledged key must answer 200 with the log stored before;
6. with the server stopped, every key must be stored exactly once; on SQLite ``PRAGMA integrity_check``
   must say ``ok`` (after the kill and at the end).

It prints a short report and exits 1 when an acknowledged log was lost, a key was stored twice, a key is
missing after the replay or the integrity check fails; 2 when it could not run at all. ``make bench`` runs
it; alone: ``.venv/bin/python bench/crash_safety.py sqlite postgres [--server URL]``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
SCIATRACK = Path(sys.executable).parent / "sciatrack"

DEFAULT_SERVER = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
PG_DATABASE = os.environ.get("CRASH_SAFETY_DATABASE", "sciatrack_crash_safety")
KILL_FRACTION = 0.4  # of the logs acknowledged when the server is killed: well inside the run
REQUEST_TIMEOUT = 20.0
LOAD_DEADLINE = 120.0  # the kill comes at the latest this long after the load began
API = "/api/sessions"


# --- inside the harness's database (run as a subprocess with the server's environment) ---------------


def setup_patient() -> dict[str, str]:
    """One patient with a personal API key, a signed-in session and a CSRF secret for the cookie."""
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.test import Client
    from django.utils.crypto import get_random_string

    from sciatrack.accounts.models import Patient
    from sciatrack.accounts.tokens import issue_token

    user = User.objects.create_user("crash-safety-patient", password=secrets.token_urlsafe(24))
    Patient.objects.create(user=user, display_name="Crash Safety")
    _, key = issue_token(user, "crash safety harness")
    client = Client()
    client.force_login(user)
    return {"key": key, "sessionid": client.cookies["sessionid"].value, "csrftoken": get_random_string(32)}


def read_stored() -> dict[str, Any]:
    """How many times each idempotency key is stored, and SQLite's integrity check (None elsewhere)."""
    import django

    django.setup()
    from django.db import connection

    from sciatrack.care.models import SessionLog

    keys = Counter(str(key) for key in SessionLog.objects.values_list("idempotency_key", flat=True))
    problems: list[str] | None = None
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            problems = [str(row[0]) for row in cursor.fetchall() if row[0] != "ok"]
            cursor.execute("PRAGMA foreign_key_check")
            problems += [f"foreign key: {row}" for row in cursor.fetchall()]
    return {"keys": keys, "problems": problems}


# --- the judgement -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    sent: int  # every key the harness made (all are sent by the end)
    acknowledged: int  # answered 2xx before the restart
    lost: list[str]  # acknowledged, but not stored after the kill
    duplicated: list[str]  # stored more than once, after the kill or after the replay
    missing: list[str]  # not stored after the replay
    unknown: int  # stored rows whose key the harness never sent
    changed: list[str]  # acknowledged, but the replay answered with a new or another log
    integrity: list[str]  # SQLite's integrity and foreign key problems; [] when clean

    @property
    def passed(self) -> bool:
        return not any((self.lost, self.duplicated, self.missing, self.unknown, self.changed, self.integrity))


def judge(
    keys: list[str],
    acknowledged: dict[str, str],
    after_kill: Counter[str],
    after_replay: Counter[str],
    replayed: dict[str, tuple[int, str | None]],
    integrity: list[str],
) -> Verdict:
    """The stored rows against what was acknowledged and sent: ``acknowledged`` maps each key answered 2xx
    before the kill to the uuid in that answer; ``after_kill`` and ``after_replay`` count stored rows per
    key; ``replayed`` is each key's answer (status, uuid) to the replay."""
    sent = set(keys)
    duplicated = {key for counts in (after_kill, after_replay) for key, n in counts.items() if n > 1}
    changed = [
        key for key, first_uuid in acknowledged.items() if replayed.get(key, (0, None)) != (200, first_uuid)
    ]
    return Verdict(
        sent=len(sent),
        acknowledged=len(acknowledged),
        lost=sorted(key for key in acknowledged if after_kill[key] == 0),
        duplicated=sorted(duplicated),
        missing=sorted(key for key in sent if after_replay[key] == 0),
        unknown=sum(n for key, n in after_replay.items() if key not in sent),
        changed=sorted(changed),
        integrity=integrity,
    )


# --- talking to the server ----------------------------------------------------------------------------


def log_body(key: str, started: datetime) -> str:
    """A valid session log (an exercise every patient may log, no program) with its own key."""
    return json.dumps(
        {
            "idempotency_key": key,
            "started_at": started.isoformat(),
            "finished_at": (started + timedelta(minutes=20)).isoformat(),
            "pain_before": 5,
            "pain_after": 4,
            "exercises": [{"id": "lift-off", "status": "done", "reps_done": 8}],
        },
        separators=(",", ":"),
    )


def post(port: int, headers: dict[str, str], body: str) -> tuple[int, str | None]:
    """The answer's status and the stored log's uuid (None when the answer has none)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request("POST", API, body=body, headers=headers)
        response = connection.getresponse()
        answer = response.read()
    finally:
        connection.close()
    try:
        stored_uuid = json.loads(answer)["uuid"]
    except (ValueError, TypeError, KeyError):
        return response.status, None
    return response.status, str(stored_uuid)


def request_headers(port: int, credentials: dict[str, str], auth: str) -> dict[str, str]:
    # As from the TLS proxy a production server runs behind: without it DEBUG=0 redirects to https.
    headers = {"Host": f"127.0.0.1:{port}", "X-Forwarded-Proto": "https", "Content-Type": "application/json"}
    if auth == "key":
        return {**headers, "Authorization": f"Bearer {credentials['key']}"}
    return {
        **headers,
        "Cookie": f"sessionid={credentials['sessionid']}; csrftoken={credentials['csrftoken']}",
        "X-CSRFToken": credentials["csrftoken"],
        "Origin": f"https://127.0.0.1:{port}",
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """``sciatrack serve`` in a process group of its own, so that one signal reaches every worker."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.log = log.open("ab")
        self.process = subprocess.Popen(
            [str(SCIATRACK), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )
        try:
            self.wait_until_serving()
        except BaseException:
            self.stop()
            raise

    def wait_until_serving(self) -> None:
        deadline = time.monotonic() + 60
        headers = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https"}
        while time.monotonic() < deadline and self.process.poll() is None:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            try:
                connection.request("GET", "/api/openapi.json", headers=headers)
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            finally:
                connection.close()
            time.sleep(0.2)
        code = self.process.poll()
        raise RuntimeError("no answer within 60 s" if code is None else f"the server exited ({code}) first")

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once: no handler runs, nothing is flushed."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


def in_threads(keys: list[str], threads: int, send: Callable[[list[str]], None]) -> list[threading.Thread]:
    """``send`` started in ``threads`` threads, each with every ``threads``-th key."""
    workers = [threading.Thread(target=send, args=(keys[i::threads],), daemon=True) for i in range(threads)]
    for worker in workers:
        worker.start()
    return workers


@dataclass
class LoadOutcome:
    acknowledged: dict[str, str] = field(default_factory=dict)  # key -> uuid of the stored log
    unanswered: set[str] = field(default_factory=set)  # sent, but no answer came (the kill)
    errors_before_kill: list[str] = field(default_factory=list)  # no answer, or not 2xx, while serving
    not_sent: int = 0
    killed_after: float = 0.0  # seconds into the load
    lock: threading.Lock = field(default_factory=threading.Lock)


def load_and_kill(
    server: Server, headers: dict[str, str], bodies: dict[str, str], threads: int, kill_after: int
) -> LoadOutcome:
    """Send the logs from ``threads`` threads and kill the server once ``kill_after`` are acknowledged."""
    outcome = LoadOutcome()
    killing = threading.Event()  # set just before the SIGKILL: the errors after it are the kill's
    enough = threading.Event()

    def send(share: list[str]) -> None:
        for position, key in enumerate(share):
            if killing.is_set():
                with outcome.lock:
                    outcome.not_sent += len(share) - position
                return
            try:
                status, stored_uuid = post(server.port, headers, bodies[key])
            except (OSError, http.client.HTTPException) as error:
                with outcome.lock:
                    outcome.unanswered.add(key)
                    if not killing.is_set():
                        outcome.errors_before_kill.append(f"{key}: {type(error).__name__}: {error}")
                continue
            with outcome.lock:
                if 200 <= status < 300 and stored_uuid is not None:
                    outcome.acknowledged[key] = stored_uuid
                    if len(outcome.acknowledged) >= kill_after:
                        enough.set()
                else:
                    outcome.errors_before_kill.append(f"{key}: answered {status}")

    began = time.monotonic()
    workers = in_threads(list(bodies), threads, send)
    while not enough.wait(0.01):
        if time.monotonic() - began > LOAD_DEADLINE or not any(worker.is_alive() for worker in workers):
            break
    killing.set()
    server.kill()
    outcome.killed_after = time.monotonic() - began
    for worker in workers:
        worker.join()
    return outcome


def replay(
    port: int, headers: dict[str, str], bodies: dict[str, str], threads: int
) -> dict[str, tuple[int, str | None]]:
    """Send every key again; each key's answer (status, uuid), or (0, None) after three failed tries."""
    answers: dict[str, tuple[int, str | None]] = {}
    lock = threading.Lock()

    def send(share: list[str]) -> None:
        for key in share:
            answer: tuple[int, str | None] = (0, None)
            for _ in range(3):
                try:
                    answer = post(port, headers, bodies[key])
                    break
                except (OSError, http.client.HTTPException):
                    time.sleep(0.5)
            with lock:
                answers[key] = answer

    for worker in in_threads(list(bodies), threads, send):
        worker.join()
    return answers


# --- the run ------------------------------------------------------------------------------------------


def run(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout


def inside(env: dict[str, str], mode: str) -> dict[str, Any]:
    """Run this file with ``mode`` in the server's environment; the JSON it prints last."""
    return dict(json.loads(run([sys.executable, __file__, mode], env).strip().splitlines()[-1]))


def server_environment(directory: Path, database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sciatrack.settings",
        "SCIATRACK_HOME": str(directory),
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        # Production refuses to start without the number the emergency advice tells people to call.
        "SCIATRACK_EMERGENCY_NUMBER": "911",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "ERROR",
    }


def choose_auth(port: int, credentials: dict[str, str], body: str) -> tuple[str, str, str]:
    """The API key when it stores a log, else the signed-in session; (auth, uuid, a note for the report)."""
    status, stored_uuid = post(port, request_headers(port, credentials, "key"), body)
    if status == 201 and stored_uuid is not None:
        return "key", stored_uuid, "personal API key (Authorization: Bearer)"
    note = f"session cookie and CSRF token, because the API key was answered {status}"
    status, stored_uuid = post(port, request_headers(port, credentials, "cookie"), body)
    if status == 201 and stored_uuid is not None:
        return "cookie", stored_uuid, note
    raise RuntimeError(f"neither the API key nor the signed-in session could store a log (last: {status})")


def crash_run(database_url: str, label: str, log: Path, logs: int, threads: int) -> Verdict:
    env = server_environment(log.parent, database_url)
    run([str(SCIATRACK), "migrate", "--verbosity", "0"], env)
    credentials = {key: str(value) for key, value in inside(env, "--setup").items()}
    started = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    keys = [str(uuid.uuid4()) for _ in range(logs)]
    bodies = {key: log_body(key, started) for key in keys}
    server = Server(env, log)
    try:
        auth, probe_uuid, auth_note = choose_auth(server.port, credentials, bodies[keys[0]])
        headers = request_headers(server.port, credentials, auth)
        rest = {key: bodies[key] for key in keys[1:]}
        load = load_and_kill(server, headers, rest, threads, int(logs * KILL_FRACTION))
    finally:
        server.stop()
    load.acknowledged[keys[0]] = probe_uuid
    after_kill = inside(env, "--read")
    server = Server(env, log)
    try:
        replayed = replay(server.port, request_headers(server.port, credentials, auth), bodies, threads)
    finally:
        server.stop()
    after_replay = inside(env, "--read")
    stored_after_kill = Counter(after_kill["keys"])
    integrity = [*(after_kill["problems"] or []), *(after_replay["problems"] or [])]
    verdict = judge(
        keys, load.acknowledged, stored_after_kill, Counter(after_replay["keys"]), replayed, integrity
    )
    checked = after_kill["problems"] is not None
    print(f"crash safety on {label}: {logs} session logs from {threads} threads; auth: {auth_note}")
    report(verdict, load, stored_after_kill, replayed, checked)
    return verdict


def report(
    verdict: Verdict,
    load: LoadOutcome,
    stored_after_kill: Counter[str],
    replayed: dict[str, tuple[int, str | None]],
    integrity_checked: bool,
) -> None:
    in_flight_stored = sum(1 for key in load.unanswered if stored_after_kill[key])
    statuses = Counter(status for status, _ in replayed.values())
    answers = ", ".join(f"{n} answered {status or 'nothing'}" for status, n in sorted(statuses.items()))
    integrity = "ok" if integrity_checked else "not checked (SQLite only; PostgreSQL was not killed)"
    if verdict.integrity:
        integrity = "FAILED: " + "; ".join(verdict.integrity[:5])
    print(
        f"  kill -9 of the server's process group {load.killed_after:.1f} s into the load: "
        f"{verdict.acknowledged} acknowledged, {len(load.unanswered)} answers lost in the kill "
        f"({in_flight_stored} of those logs stored), {load.not_sent} not sent yet"
    )
    for error in load.errors_before_kill[:3]:
        print(f"  failed before the kill ({len(load.errors_before_kill)} in all): {error}")
    print(f"  after the kill: {sum(stored_after_kill.values())} logs stored; replay of every key: {answers}")
    print(
        f"  acknowledged: {verdict.acknowledged}, lost: {len(verdict.lost)}, "
        f"duplicated: {len(verdict.duplicated)}, missing after the replay: {len(verdict.missing)}, "
        f"unknown rows: {verdict.unknown}, answered differently on replay: {len(verdict.changed)}"
    )
    print(f"  integrity: {integrity}")
    for name in ("lost", "duplicated", "missing", "changed"):
        if getattr(verdict, name):
            print(f"  {name}, e.g.: {', '.join(getattr(verdict, name)[:5])}")
    print(f"  result: {'PASS' if verdict.passed else 'FAIL'}")


@contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    """The URL of a fresh database ``PG_DATABASE`` on the server of ``server_url``, dropped afterwards."""
    import psycopg
    from psycopg import sql

    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(PG_DATABASE))
    with psycopg.connect(server_url, autocommit=True, connect_timeout=5) as admin:
        admin.execute(drop)
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(PG_DATABASE)))
    try:
        yield urlsplit(server_url)._replace(path=f"/{PG_DATABASE}").geturl()
    finally:
        with psycopg.connect(server_url, autocommit=True, connect_timeout=5) as admin:
            admin.execute(drop)


def check(database: str, args: argparse.Namespace, home: Path) -> int:
    """One database: 0 when everything held, 1 when not, 2 when it could not run; the report is printed."""
    began, log = time.monotonic(), home / f"server-{database}.log"
    try:
        if database == "sqlite":
            verdict = crash_run(f"sqlite:///{home / 'crash.sqlite3'}", "SQLite", log, args.logs, args.threads)
        else:
            with postgres_database(args.server) as url:
                verdict = crash_run(url, f"PostgreSQL ({PG_DATABASE})", log, args.logs, args.threads)
    except Exception as error:
        print(f"crash safety on {database}: could not run: {type(error).__name__}: {error}")
        if log.exists() and log.stat().st_size:
            print(f"server log (end):\n{log.read_text(errors='replace')[-3000:]}")
        return 2
    print(f"  took {time.monotonic() - began:.0f} s")
    return 0 if verdict.passed else 1


def main() -> int:
    inside_modes: dict[str, Callable[[], dict[str, Any]]] = {"--setup": setup_patient, "--read": read_stored}
    if len(sys.argv) == 2 and sys.argv[1] in inside_modes:
        print(json.dumps(inside_modes[sys.argv[1]]()))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("databases", nargs="+", choices=["sqlite", "postgres"], help="one or both, in turn")
    parser.add_argument("--server", default=DEFAULT_SERVER, help="PostgreSQL server URL")
    parser.add_argument("--logs", type=int, default=2000, help="session logs to send (default 2000)")
    parser.add_argument("--threads", type=int, default=16, help="client threads (default 16)")
    args = parser.parse_args()
    # One home for every database: the server collects its static files once, not once per database.
    with tempfile.TemporaryDirectory(prefix="sciatrack-crash-") as home:
        return max([check(database, args, Path(home)) for database in args.databases])


if __name__ == "__main__":
    sys.exit(main())
