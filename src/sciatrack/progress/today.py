"""The today screen: what a signed-in patient has to do today, and how they are doing, on one page.

Nothing here decides anything of its own; each part asks the one place that knows:

- whether exercise is on hold after a danger sign: :func:`sciatrack.check.safety.exercise_block`, asked
  only when there is no program (a program follows the newest check only when that check allows
  exercise); then the page shows that advice and no session;
- the program and how long its sessions take: :func:`sciatrack.program.programs.current` and
  :func:`sciatrack.domain.sessions.session_minutes` (as the session page says);
- the sessions and diary days, this week's count against the program's aim, the next follow-up, the
  leg pain readings and the signals that say "see a clinician": :func:`.history.progress_of` (the
  progress page's source, so the two pages always agree);
- the line of encouragement: :func:`sciatrack.domain.encouragement.encouragement`.

This page runs on every signed-in visit, so it reads everything in a fixed, small number of queries
(a test holds it to a bound). :func:`welcome` also saves, once, the check a visitor finished before
signing up (the sign-up view cannot: it may not import the check's room).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import HttpRequest

from sciatrack.accounts.models import Patient
from sciatrack.accounts.views import JUST_SIGNED_UP
from sciatrack.check import checking, steps
from sciatrack.check.safety import ExerciseBlock, exercise_block
from sciatrack.domain.encouragement import encouragement
from sciatrack.domain.follow_ups import FollowUpDue, FollowUpStatus
from sciatrack.domain.intake import IntakeError
from sciatrack.domain.outcomes import Signal, WeekAdherence
from sciatrack.domain.programs import Program
from sciatrack.domain.session_log import SessionKind
from sciatrack.domain.sessions import session_minutes
from sciatrack.program import programs

from .history import Progress, progress_of


@dataclass(frozen=True)
class SessionToday:
    """Today's guided session: how many are done today and how long one takes."""

    done: int  # sessions started today
    minutes: int  # a full session, about
    short_minutes: int  # the short session for a bad day, about


@dataclass(frozen=True)
class WeekCount:
    """This week's sessions against the program's aim for the week (weeks count from the first check)."""

    since: date  # the first day of this week
    done: int
    aim: int

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.aim)) if self.aim else 0


@dataclass(frozen=True)
class Today:
    day: date
    has_check: bool
    block: ExerciseBlock | None  # the advice that puts exercise on hold; then no session is offered
    session: SessionToday | None  # None: no session to offer (on hold, no program, or nothing in it)
    has_program: bool
    diary_done: bool
    next_follow_up: FollowUpDue | None
    follow_up_open: bool  # it can be taken now (due, or late but still counted)
    week: WeekCount | None
    signals: tuple[Signal, ...]  # "needs attention": shown instead of the encouragement
    encouragement: str


def session_today(program: Program | None, progress: Progress) -> SessionToday | None:
    """Today's session of ``program`` as the session page would play it; None without one."""
    if program is None or not program.exercises:  # none kept after a stop: the program page says why
        return None
    minutes = session_minutes(program)  # what the session page says too
    done = progress.session_days.count(progress.today)
    return SessionToday(done, minutes[SessionKind.FULL.value], minutes[SessionKind.SHORT.value])


def week_count(progress: Progress) -> WeekCount | None:
    """This week's count from the progress page's adherence, against the aim of a whole week."""
    if not progress.adherence or not progress.sessions_per_week:
        return None
    week: WeekAdherence = progress.adherence[-1]
    return WeekCount(week.week_start, week.done, progress.sessions_per_week)


def today_of(request: HttpRequest, patient: Patient) -> Today:
    """Everything the today screen shows for ``patient``."""
    found = programs.current(request)
    # No program: the newest check may put exercise on hold (or there is no check yet). With a program,
    # it does not (a program follows the newest check only when that check allows exercise).
    block = None if found.has_program else exercise_block(request)
    progress = progress_of(patient)
    day = progress.today
    # A program only from a check kept in the browser session (never saved) is not offered here.
    session = session_today(found.program, progress) if block is None and progress.has_data else None
    week = week_count(progress) if session is not None else None
    first, latest = progress.first_leg_pain, progress.latest_leg_pain
    line = encouragement(
        first.value if first is not None else None,
        latest.value if latest is not None and latest != first else None,
        week.done if week is not None else 0,
        week.aim if week is not None else 0,
    )
    next_due = progress.next_due
    return Today(
        day=day,
        has_check=progress.has_data,
        block=block,
        session=session,
        has_program=found.has_program and block is None and progress.has_data,
        diary_done=bool(progress.diary) and progress.diary[-1].day == day,
        next_follow_up=next_due,
        follow_up_open=next_due is not None
        and next_due.status in (FollowUpStatus.DUE, FollowUpStatus.OVERDUE),
        week=week,
        signals=progress.signals if block is None else (),
        encouragement=line,
    )


def welcome(request: HttpRequest, patient: Patient) -> str | None:
    """Right after sign-up (once): save the check the person finished as a visitor, and greet them.

    The check is saved as the result page's Save button saves it (:func:`.checking.save`), under its
    submission key, so however often this runs, the check is stored once. None on any other visit.
    """
    if not request.session.pop(JUST_SIGNED_UP, False):
        return None
    hello = f"Welcome, {patient.display_name}!"
    state = checking.load(request)
    if not steps.answered(state) or steps.first_unanswered(state) is not None:
        return f"{hello} This is your page for each day."
    try:
        outcome = checking.evaluate(state)
    except (IntakeError, ValueError):
        return f"{hello} This is your page for each day."
    checking.save(request, state, outcome, patient)
    return f"{hello} Your check is saved. This is your page for each day."


def page_context(request: HttpRequest, patient: Patient) -> dict[str, Any]:
    """The today page's context. The advice on hold is handed to the menu too, so it is read once."""
    greeting = welcome(request, patient)  # first: a check saved now shows on the page
    today = today_of(request, patient)
    hold = today.block or False
    return {
        "today": today,
        "welcome": greeting,
        "name": patient.display_name,
        "exercise_block": hold,
        "hide_exercises": hold,
    }
