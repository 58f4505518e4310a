"""The ``sciatrack`` command: one entry point for running, loading and checking Sciatrack.

One module per sub-command (``serve``, ``migrate``, ``demo``, ``content``, ``registry``, ``triage``,
``program``, ``session``, ``handout``, ``report``, ``reminders``, ``manage``); what they share (the exit
codes, setting up Django, reading an intake, writing a file whole) is in :mod:`sciatrack.cli.common`, and
:mod:`sciatrack.cli.parser` puts them together.
"""

from __future__ import annotations

from sciatrack.cli.parser import build_parser, main

__all__ = ["build_parser", "main"]
