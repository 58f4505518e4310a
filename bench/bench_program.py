"""Benchmark: the program page and the session-log POST under load, against a bare Django view.

``sciatrack serve`` (gunicorn with its default workers and threads, ``DEBUG=0``) serves a fresh
SQLite database in a temporary folder. One patient has a stored intake and program and a signed-in
session. wrk, on loopback for ``BENCH_SECONDS`` (default 10) per run with 2 threads and 32
connections, loads in turn:

* a bare Django view (``bench/bare_urls.py``) answering ``GET`` with as many bytes as the program page,
  ``GET /program/`` as that patient, and the bare view again;
* the same bare view answering ``POST`` (same body, cookies and CSRF header) with as many bytes as
  the API's answer, ``POST /api/sessions`` as that patient with a new ``idempotency_key`` on every
  request (so every request stores a row), and the bare view again.

It prints requests/s, p50 and p99 latency, and the ratio of each target's requests/s to the mean of
the bare runs around it, then whether the targets (ratio >= 0.4, p99 < 50 ms) are met; it warns when
the two bare runs disagree (a busy machine). It reports; it never fails the build.

Run it with ``make bench`` or ``.venv/bin/python bench/bench_program.py``. wrk comes from
``apt-get install wrk``; without it (and no way to install it) the benchmark explains and exits 0.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sciatrack.domain.vocabulary import RED_FLAG_KEYS, SCHEMA

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
VENV_BIN = Path(sys.executable).parent
SCIATRACK = VENV_BIN / "sciatrack"

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
THREADS = 2
CONNECTIONS = 32
TARGET_RATIO = 0.4
TARGET_P99_MS = 50.0
STEADY_TOLERANCE = 0.2  # bare runs further apart than this: the machine was busy

# A self-care check (the disc-pattern vignette): its program includes the McKenzie press-up.
INTAKE: dict[str, Any] = {
    "schema": SCHEMA,
    "age": 42,
    "onset_weeks": 2,
    "pain": {"leg_now": 5, "back_now": 3},
    "regions": ["buttock", "back_of_thigh", "back_of_calf"],
    "side": "left",
    "sensations": ["dull_ache", "tingling"],
    "worse_with": ["sitting", "morning", "sit_to_stand"],
    "better_with": ["walking"],
    "red_flags": dict.fromkeys(RED_FLAG_KEYS, False),
}

# The logs are dated on a past day so that they do not count as "stopped today" on the program page.
LOG_TEMPLATE: dict[str, Any] = {
    "idempotency_key": "KEY",
    "started_at": "2026-01-05T08:00:00+00:00",
    "finished_at": "2026-01-05T08:20:00+00:00",
    "pain_before": 6,
    "pain_after": 4,
    "exercises": [
        {
            "id": "mckenzie-extension",
            "status": "done",
            "reps_done": 10,
            "holds_done": 10,
            "symptoms": "moved_up",
        }
    ],
}

# wrk script for the POSTs: each request's body gets its own idempotency key, made of the run's id (a
# random 8 hex digits passed after ``--``, so a warm-up and the measured run never share keys), the
# thread's number and a counter.
POST_LUA = """
local counter = 0
local threads = 0
local prefix, suffix = BODY_PREFIX, BODY_SUFFIX
local run_id = "00000000"
thread_id = 0  -- a global: setup() sets it in each thread's own Lua state

function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

function init(args)
  run_id = args[1]
end

function request()
  counter = counter + 1
  local key = string.format("%s-%04x-4000-8000-%012x", run_id, thread_id, counter)
  return wrk.format("POST", nil, nil, prefix .. key .. suffix)
end
"""

PROGRAM_MARKER = "Start a guided session"


# --- inside the benchmark's own database (run as a subprocess with the server's environment) ---------


def setup_data() -> dict[str, Any]:
    """One signed-in patient with a stored intake and program; their cookies and program uuid."""
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.test import Client
    from django.utils.crypto import get_random_string

    from sciatrack.accounts.models import Patient
    from sciatrack.care.models import Intake
    from sciatrack.domain.intake import parse_intake
    from sciatrack.domain.triage import result_to_json, triage
    from sciatrack.program.programs import create_program

    user = User.objects.create_user("bench-patient", password=secrets.token_urlsafe(24))
    patient = Patient.objects.create(user=user, display_name="Bench Patient")
    answers = parse_intake(INTAKE)
    result = triage(answers)
    intake = Intake.objects.record(patient, answers.to_json(), result_to_json(result))
    program = create_program(intake)
    if program is None:
        raise SystemExit(f"the benchmark intake gave no program (tier {result.tier.value})")
    client = Client()
    client.force_login(user)
    return {
        "sessionid": client.cookies["sessionid"].value,
        "csrftoken": get_random_string(32),  # a CSRF secret: the cookie and the header carry the same
        "program": str(program.uuid),
    }


def count_logs() -> int:
    import django

    django.setup()
    from sciatrack.care.models import SessionLog

    return SessionLog.objects.count()


# --- the driver ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    name: str
    requests: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int  # non-2xx/3xx answers plus socket errors
    spread: str = "?"  # wrk's connections per gunicorn worker process, mid-run: "16+16", "32+0"


def find_wrk() -> str | None:
    """wrk's path, installing it with apt-get when missing and possible; None after saying why not."""
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("wrk is missing: installing it with apt-get ...", flush=True)
        for command in (
            ["apt-get", "install", "-y", "wrk"],
            ["apt-get", "update"],
            ["apt-get", "install", "-y", "wrk"],
        ):
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            found = shutil.which("wrk")
            if found:
                return found
        print("skipped: wrk is not installed and `apt-get install -y wrk` did not install it")
    else:
        print("skipped: wrk is not installed; install it (e.g. `sudo apt-get install wrk`) and run again")
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout


def request(
    port: int, method: str, path: str, headers: dict[str, str], body: str | None = None
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_until_serving(port: int, server: subprocess.Popen[bytes], headers: dict[str, str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode} before serving")
        try:
            status, _ = request(port, "GET", "/bench/bare/1", headers)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the server did not answer within 30 s")


def to_ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if match is None:
        raise ValueError(f"unexpected wrk latency {value!r}")
    number, unit = float(match[1]), match[2]
    return number * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(name: str, output: str) -> Result:
    def grab(pattern: str) -> str:
        match = re.search(pattern, output, re.MULTILINE)
        if match is None:
            raise RuntimeError(f"cannot read {pattern!r} in wrk's output:\n{output}")
        return match[1]

    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return Result(
        name=name,
        requests=int(grab(r"^\s*(\d+) requests in")),
        requests_per_second=float(grab(r"^Requests/sec:\s*([\d.]+)")),
        p50_ms=to_ms(grab(r"^\s*50%\s+(\S+)")),
        p99_ms=to_ms(grab(r"^\s*99%\s+(\S+)")),
        errors=errors,
    )


def wrk_command(wrk: str, url: str, headers: dict[str, str], seconds: int, script: Path | None) -> list[str]:
    command = [wrk, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s", "--latency"]
    for key, value in headers.items():
        command += ["-H", f"{key}: {value}"]
    if script is None:
        return [*command, url]
    return [*command, "-s", str(script), url, "--", secrets.token_hex(4)]


def warm_up(wrk: str, url: str, headers: dict[str, str], script: Path | None = None) -> None:
    """A short unmeasured run, so that workers, connections and caches are warm."""
    command = wrk_command(wrk, url, headers, max(1, SECONDS // 5), script)
    subprocess.run(command, capture_output=True, check=False)


def load(
    wrk: str, name: str, url: str, headers: dict[str, str], script: Path | None = None, warm: bool = True
) -> Result:
    """A warm-up run (unless ``warm`` is false), then the measured one."""
    if warm:
        warm_up(wrk, url, headers, script)
    command = wrk_command(wrk, url, headers, SECONDS, script)
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as running:
        time.sleep(SECONDS / 2)
        spread = connection_spread(urlsplit(url).port or 80)
        stdout, stderr = running.communicate()
    if running.returncode != 0:
        raise RuntimeError(f"wrk failed for {name}:\n{stdout}{stderr}")
    return replace(parse_wrk(name, stdout), spread=spread)


def connection_spread(port: int) -> str:
    """How the established connections to ``port`` are spread over the processes holding them.

    A gthread worker keeps serving every keep-alive connection it accepted, so when one worker
    happens to accept all of wrk's connections, one process (one GIL) does all the work and the run
    gives a third to a half of the req/s of an even spread; the table marks such a run.
    """
    if shutil.which("ss") is None:
        return "?"
    listing = subprocess.run(
        ["ss", "-tnpH", "state", "established", f"( sport = :{port} )"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    per_process = Counter(re.findall(r"pid=(\d+)", listing))
    if not per_process:
        return "?"
    counts = sorted(per_process.values(), reverse=True)
    counts += [0] * (server_shape()[0] - len(counts))
    return "+".join(str(count) for count in counts)


def one_worker(result: Result) -> bool:
    """One threaded worker process held every connection (while the others, if any, held none).

    Sync workers answer one request per connection and close it, so with them a snapshot of the
    connections says nothing about how the work was shared: never marked.
    """
    if server_shape()[1] == 1:
        return False
    counts = [int(count) for count in result.spread.split("+")] if result.spread != "?" else []
    return len(counts) > 1 and counts.count(0) == len(counts) - 1


def post_script(directory: Path, body: dict[str, Any]) -> Path:
    text = json.dumps(body, separators=(",", ":"))
    prefix, suffix = text.split("KEY")
    lua = POST_LUA.replace("BODY_PREFIX", json.dumps(prefix)).replace("BODY_SUFFIX", json.dumps(suffix))
    path = directory / "post.lua"
    path.write_text(lua, encoding="utf-8")
    return path


def server_shape() -> tuple[int, int]:
    """The workers and threads ``sciatrack serve`` uses by default (the benchmark passes neither)."""
    from sciatrack.cli import build_parser

    args = build_parser().parse_args(["serve"])
    return args.workers, args.threads


def row(result: Result, ratio: str = "", verdict: str = "") -> str:
    spread = f"{result.spread}{'!' if one_worker(result) else ''}"
    return (
        f"{result.name:34} {result.requests_per_second:9.0f} {result.p50_ms:8.2f} {result.p99_ms:8.2f} "
        f"{result.errors:7d} {spread:>8} {ratio:>6}  {verdict}"
    ).rstrip()


def report(
    groups: list[tuple[Result, Result, Result]], sizes: dict[str, int], logs: tuple[int, int] | None
) -> None:
    """The table: per target, the bare view before it, the target, the bare view after it."""
    print()
    workers, threads = server_shape()
    print(
        f"sciatrack serve ({workers} workers x {threads} threads, {'sync' if threads == 1 else 'gthread'}, "
        "DEBUG=0, SQLite); "
        f"wrk -t{THREADS} -c{CONNECTIONS} -d{SECONDS}s on loopback; {os.cpu_count()} CPU(s)"
    )
    header = (
        f"{'':34} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'conns':>8} {'ratio':>6}  targets"
    )
    print(header)
    print("-" * len(header))
    unsteady = []
    for before, target, after in groups:
        bare_rate = (before.requests_per_second + after.requests_per_second) / 2
        ratio = target.requests_per_second / bare_rate if bare_rate else 0.0
        verdict = (
            f"ratio>={TARGET_RATIO} {'met' if ratio >= TARGET_RATIO else 'MISSED'}, "
            f"p99<{TARGET_P99_MS:.0f}ms {'met' if target.p99_ms < TARGET_P99_MS else 'MISSED'}"
        )
        print(row(before))
        print(row(target, f"{ratio:.2f}", verdict))
        print(row(after))
        slower, faster = sorted((before.requests_per_second, after.requests_per_second))
        if slower < faster * (1 - STEADY_TOLERANCE):
            unsteady.append(target.name)
    print("ratio: the target's req/s over the mean of the bare view's runs just before and after it")
    print("conns: wrk's connections held by each gunicorn worker process in the middle of the run")
    if any(one_worker(result) for group in groups for result in group):
        print(
            "! one worker process held every connection: a gthread worker keeps the keep-alive connections "
            "it accepted, so one process (one GIL) did all the work, which gives a third to a half of the "
            "req/s of an even spread (it happens by chance, and tends to repeat); compare such rows with care"
        )
    if unsteady:
        print(
            f"WARNING: the bare view's runs around {', '.join(unsteady)} differ by more than "
            f"{STEADY_TOLERANCE:.0%} (something else using the CPU?): "
            "that ratio is unreliable; run again"
        )
    print()
    print(", ".join(f"{name}: {size} bytes" for name, size in sizes.items()))
    if logs is not None:
        stored, completed = logs
        verdict = (
            "every POST stored a new row"
            if stored >= completed
            else "SOME POSTS DID NOT STORE A NEW ROW: the POST figures are not of real inserts"
        )
        print(
            f"POST /api/sessions: {stored} new session logs for {completed} completed requests "
            f"(up to {CONNECTIONS} more were in flight when wrk stopped): {verdict}"
        )


def benchmark(wrk: str, directory: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(BENCH_DIR), os.environ.get("PYTHONPATH", "")])),
        "DJANGO_SETTINGS_MODULE": "bare_settings",
        "SCIATRACK_HOME": str(directory),
        "DATABASE_URL": f"sqlite:///{directory / 'bench.sqlite3'}",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        # Production refuses to start without the number the emergency advice tells people to call.
        "SCIATRACK_EMERGENCY_NUMBER": "911",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "ERROR",
    }
    run([str(SCIATRACK), "migrate", "--verbosity", "0"], env)
    run([str(SCIATRACK), "manage", "collectstatic", "--noinput", "--verbosity", "0"], env)
    data = json.loads(run([sys.executable, __file__, "--setup"], env).strip().splitlines()[-1])

    origin = f"https://127.0.0.1:{port}"
    # As behind the TLS proxy production runs behind: without it DEBUG=0 redirects to https.
    headers = {
        "Host": f"127.0.0.1:{port}",
        "X-Forwarded-Proto": "https",
        "Cookie": f"sessionid={data['sessionid']}; csrftoken={data['csrftoken']}",
    }
    post_headers = {
        **headers,
        "Content-Type": "application/json",
        "X-CSRFToken": data["csrftoken"],
        "Origin": origin,
    }

    server = subprocess.Popen(
        [str(SCIATRACK), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=(directory / "server.log").open("wb"),  # closed with the process
        start_new_session=True,
    )
    try:
        wait_until_serving(port, server, headers)

        status, page = request(port, "GET", "/program/", headers)
        if status != 200 or PROGRAM_MARKER not in page.decode():
            raise RuntimeError(f"GET /program/ gave {status} without the program:\n{page[:2000].decode()}")
        body = {**LOG_TEMPLATE, "program": data["program"]}
        check = json.dumps({**body, "idempotency_key": str(uuid.uuid4())}, separators=(",", ":"))
        status, answer = request(port, "POST", "/api/sessions", post_headers, check)
        if status != 201:
            raise RuntimeError(f"POST /api/sessions gave {status}, not 201: {answer.decode()[:2000]}")
        page_size, answer_size = len(page), len(answer)
        status, _ = request(port, "POST", f"/bench/bare/{answer_size}", post_headers, check)
        if status != 200:
            raise RuntimeError(f"the bare POST gave {status}, not 200")
        # The same body in the bare POST: it reads the same request, then answers as many bytes.
        script = post_script(directory, body)

        base = f"http://127.0.0.1:{port}"
        page_bare = (f"bare GET ({page_size} B)", f"{base}/bench/bare/{page_size}", headers)
        groups = [
            (
                load(wrk, *page_bare),
                load(wrk, "GET /program/", f"{base}/program/", headers),
                load(wrk, *page_bare),
            )
        ]
        post_bare = (f"bare POST ({answer_size} B)", f"{base}/bench/bare/{answer_size}", post_headers, script)
        before = load(wrk, *post_bare)
        url = f"{base}/api/sessions"
        warm_up(wrk, url, post_headers, script)
        stored_before = count_stored(env)
        target = load(wrk, "POST /api/sessions (new row each)", url, post_headers, script, warm=False)
        stored = count_stored(env) - stored_before
        groups.append((before, target, load(wrk, *post_bare)))
        report(groups, {"program page": page_size, "POST answer": answer_size}, (stored, target.requests))
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)  # the server's own process group: master and workers
            server.wait()
        if server.stderr is not None:
            server.stderr.close()


def count_stored(env: dict[str, str]) -> int:
    return int(run([sys.executable, __file__, "--count"], env).strip().splitlines()[-1])


def main() -> int:
    if sys.argv[1:] == ["--setup"]:
        print(json.dumps(setup_data()))
        return 0
    if sys.argv[1:] == ["--count"]:
        print(count_logs())
        return 0
    wrk = find_wrk()
    if wrk is None:
        return 0
    directory = Path(tempfile.mkdtemp(prefix="sciatrack-bench-"))
    try:
        benchmark(wrk, directory)
    except (RuntimeError, ValueError, OSError) as error:
        print(f"bench_program: could not measure: {error}", file=sys.stderr)
        log = directory / "server.log"
        if log.exists() and log.stat().st_size:
            print(f"server log:\n{log.read_text(errors='replace')[-3000:]}", file=sys.stderr)
        return 0
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
