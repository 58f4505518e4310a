"""``sciatrack reminders send`` and the reminder clock of ``sciatrack serve``."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from sciatrack.cli.parser import build_parser, main
from sciatrack.cli.serve import reminders_by_default
from sciatrack.nudges import clock
from web.test_nudges_sending import person

pytestmark = pytest.mark.django_db


def test_reminders_send_sends_what_is_due_now_once(capsys: pytest.CaptureFixture[str]) -> None:
    started = (timezone.now().astimezone(ZoneInfo("Europe/Berlin")) - timedelta(minutes=5)).time()
    person("alice", time_zone="Europe/Berlin", first_time=started.replace(second=0, microsecond=0))
    assert main(["reminders", "send"]) == 0
    assert "Reminders: 1 sent" in capsys.readouterr().out
    assert main(["reminders", "send", "--quiet"]) == 0
    assert capsys.readouterr().out == ""
    assert len(mail.outbox) == 1


def test_the_calendar_still_needs_its_three_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reminders", "--out", "x.ics"]) == 2
    assert "required: --answers, --first" in capsys.readouterr().err


def test_serve_sends_reminders_unless_told_not_to(monkeypatch: pytest.MonkeyPatch) -> None:
    assert build_parser().parse_args(["serve"]).reminders is True
    assert build_parser().parse_args(["serve", "--no-reminders"]).reminders is False
    monkeypatch.setenv("SCIATRACK_SEND_REMINDERS", "false")
    assert reminders_by_default() is False


def test_a_process_has_one_reminder_clock() -> None:
    first = clock.start_clock()
    try:
        assert clock.start_clock() is first and first.is_alive() and first.daemon
    finally:
        first.stopping.set()
        first.join(timeout=5)
    assert not first.is_alive()
    assert clock.seconds_to_next_minute(120.0) == 60.0 and clock.seconds_to_next_minute(125.5) == 54.5
