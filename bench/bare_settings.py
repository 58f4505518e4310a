"""Settings for the benchmarks: the project's own settings, with ``bare_urls`` as the URL configuration.

Everything else (middleware, database, security, static files) is exactly what ``sciatrack serve``
uses, so the bare view in ``bare_urls`` pays the same framework and server costs as the real pages.
Used only by ``bench/bench_*.py``, which put ``bench/`` on ``PYTHONPATH`` for the server they start.
"""

from sciatrack.settings import *  # noqa: F403

ROOT_URLCONF = "bare_urls"
