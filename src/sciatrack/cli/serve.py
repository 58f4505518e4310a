"""``sciatrack serve``: run the app with gunicorn."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from sciatrack.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    add_command,
    ensure_var_dir,
    setup_django,
    system_checks_pass,
)

if TYPE_CHECKING:
    from sciatrack.cli.common import Commands


def run(args: argparse.Namespace) -> int:
    """Serve the app with gunicorn on ``--host``:``--port`` (one request at a time per worker process).

    Single-threaded ("sync") workers by default: each request has a CPU of its own instead of sharing
    one process's GIL with the other threads, so answers come sooner and more evenly, and SQLite writers
    in one process no longer wait on each other. They do not keep connections alive and a slow client
    holds a worker, so they belong behind a buffering proxy (nginx, Caddy), as a production server is
    anyway for TLS. ``--threads`` above 1 gives gunicorn's threaded workers instead.

    Django's system checks run first, as ``runserver`` runs them: any error (such as no emergency number
    with ``DEBUG`` off) stops it before gunicorn starts. It then collects the static files when they
    changed (:mod:`sciatrack.static_files`), with ``DEBUG`` on too (``make run``): every page names them
    by their hashed names, and browsers keep them for good. ``SCIATRACK_STATIC_COLLECTED=false`` serves
    them straight from the package instead, uncached, for editing them with ``DEBUG`` on.
    """
    os.environ.setdefault("SCIATRACK_STATIC_COLLECTED", "true")  # settings.STATIC_COLLECTED
    setup_django()
    from django.conf import settings

    if not system_checks_pass("serve"):
        return EXIT_INVALID
    ensure_var_dir()
    if settings.STATIC_COLLECTED:
        from sciatrack.static_files import collect_static_files

        collect_static_files()  # before the app loads: WhiteNoise reads the folder then
    from gunicorn.app.base import BaseApplication

    from sciatrack.wsgi import application

    class Server(BaseApplication):  # type: ignore[misc]  # gunicorn ships no type hints
        def load_config(self) -> None:
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", args.workers)
            self.cfg.set("threads", args.threads)
            # gunicorn itself switches to threaded ("gthread") workers when threads > 1.
            self.cfg.set("worker_class", "sync")
            self.cfg.set("accesslog", "-" if args.access_log else None)

        def load(self) -> object:
            return application

    print(f"Sciatrack is serving on http://{args.host}:{args.port}/ (Ctrl+C to stop)", flush=True)
    print(f"The emergency advice tells people to call {settings.SCIATRACK_EMERGENCY_NUMBER}.", flush=True)
    if args.reminders:
        # In gunicorn's master process, so one per server whatever the number of workers.
        from sciatrack.nudges.clock import start_clock

        start_clock()
        print("Reminders are sent every minute (--no-reminders to leave that to cron).", flush=True)
    Server().run()
    return EXIT_OK


def default_workers() -> int:
    """Two worker processes per CPU and one more (gunicorn's advice), at most 12.

    The cap keeps the database connections (one per worker) well inside PostgreSQL's default limit.
    """
    return min(2 * (os.cpu_count() or 1) + 1, 12)


def listening_port(text: str) -> int:
    """A TCP port from ``--port`` or ``$PORT``: ASCII digits, 0 (any free port) to 65535."""
    from sciatrack.domain.plain_input import whole_number

    port = whole_number(text, 0, 65535)
    if port is None:
        raise argparse.ArgumentTypeError(
            f"the port (--port or $PORT) must be a whole number from 0 to 65535, not {text!r}"
        )
    return port


def add_to(commands: Commands) -> None:
    serve = add_command(commands, "serve", run)
    serve.add_argument(
        "--host",
        default=os.environ.get("HOST") or "127.0.0.1",
        help="address to listen on (default: $HOST or 127.0.0.1)",
    )
    serve.add_argument(
        "--port",
        type=listening_port,
        # argparse passes a text default through ``type`` too, so a bad $PORT is named like a bad --port.
        default=os.environ.get("PORT") or "8000",
        help="port to listen on (default: $PORT or 8000)",
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=default_workers(),
        help="worker processes (default: 2 per CPU plus 1, at most 12)",
    )
    serve.add_argument(
        "--threads",
        type=int,
        default=1,
        help="threads per worker (default 1; more gives threaded workers, for use without a proxy)",
    )
    serve.add_argument("--access-log", action="store_true", help="log every request to stdout")
    serve.add_argument(
        "--no-reminders",
        dest="reminders",
        action="store_false",
        default=reminders_by_default(),
        help="send no reminders every minute (default: send them, unless $SCIATRACK_SEND_REMINDERS=false)",
    )


def reminders_by_default() -> bool:
    """Whether ``serve`` sends reminders itself: yes unless ``SCIATRACK_SEND_REMINDERS`` says no."""
    return os.environ.get("SCIATRACK_SEND_REMINDERS", "true").strip().lower() not in (
        "0",
        "false",
        "no",
        "off",
    )
