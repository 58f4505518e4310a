"""``sciatrack session``: play a guided exercise session in the terminal and log it.

The session is the same :func:`~sciatrack.domain.sessions.plan_session` the browser plays, step by step,
with a countdown on a live screen (rich), optional spoken cues (``espeak-ng``) and the symptom question
after each exercise. The log is the one the browser posts to ``/api/sessions``, checked with
:func:`~sciatrack.domain.session_log.parse_session_log` before it is written.

:func:`run_plan` is the step runner; it takes the plan, the symptom question and a sleep function, so it
runs without a terminal or a clock in tests.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sciatrack.cli.common import (
    ANSWERS_HELP,
    EXIT_FAILED,
    EXIT_INVALID,
    EXIT_OK,
    add_command,
    add_emergency_number,
    read_intake,
)
from sciatrack.domain.session_log import (
    SYMPTOM_CHOICES,
    Action,
    ExerciseStatus,
    SessionLogError,
    SymptomMovement,
    parse_session_log,
    respond,
    session_log_to_json,
)
from sciatrack.domain.sessions import SessionPlan, Step, StepKind

if TYPE_CHECKING:
    from sciatrack.cli.common import Commands

SPEED_RANGE = (1.0, 1000.0)
STOPPED_BY_PERSON = "stopped by the person"
TIMED_KINDS = (StepKind.TIMED, StepKind.REPOSITION)
CHOICES = tuple(SYMPTOM_CHOICES)  # numbered 1 to 4 in this order


class Screen:
    """What the runner shows and says; this base class is silent, for tests and scripts."""

    def show(self, step: Step, seconds_left: int, elapsed: int) -> None:
        """Draw ``step`` with ``seconds_left`` on its countdown and ``elapsed`` timed seconds so far."""

    def tell(self, text: str) -> None:
        """Print a message the person must read (it stays on screen)."""

    def cue(self, text: str) -> None:
        """Speak a step's cue, when voice is on."""


@dataclass
class Tally:
    """What was done of one exercise; ``status`` stays None until its question is answered."""

    exercise_id: str
    started: bool = False
    reps_done: int = 0
    holds_done: int = 0
    seconds: int = 0
    status: ExerciseStatus | None = None
    symptoms: SymptomMovement | None = None
    stop_reason: str = ""

    def finish(self, reason: str) -> None:
        """Close an exercise the session left unanswered: stopped if it was begun, else skipped."""
        if self.status is None:
            self.status = ExerciseStatus.STOPPED if self.started else ExerciseStatus.SKIPPED
            self.stop_reason = reason if self.started else ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.exercise_id,
            "status": (self.status or ExerciseStatus.SKIPPED).value,
            "reps_done": self.reps_done,
            "holds_done": self.holds_done,
            "seconds": self.seconds,
            "symptoms": self.symptoms.value if self.symptoms else None,
            "stop_reason": self.stop_reason,
        }


@dataclass
class Outcome:
    tallies: dict[str, Tally]
    ended_early: bool = False
    end_reason: str = ""
    red_flag: bool = False


def _count(tally: Tally, step: Step) -> None:
    """Credit a completed MOVE as a rep and a completed HOLD as a hold."""
    if step.kind is StepKind.MOVE:
        tally.reps_done += 1
    elif step.kind is StepKind.HOLD:
        tally.holds_done += 1


def _answer(tally: Tally, answer: SymptomMovement, outcome: Outcome, screen: Screen) -> bool:
    """Apply :func:`respond` to the answer; True when the whole session must end now."""
    response = respond(answer)
    tally.symptoms = answer
    if response.action is Action.CONTINUE:
        tally.status = ExerciseStatus.DONE
        return False
    screen.tell(response.message)
    tally.status = ExerciseStatus.STOPPED
    tally.stop_reason = response.message
    if response.action is Action.STOP_EXERCISE:
        return False
    outcome.ended_early, outcome.end_reason, outcome.red_flag = True, response.message, True
    return True


def run_plan(
    plan: SessionPlan,
    ask: Callable[[Step], SymptomMovement],
    sleep: Callable[[float], None],
    screen: Screen | None = None,
) -> Outcome:
    """Play every step in order: one ``sleep(1)`` per second of countdown, ``ask`` at each CHECK.

    Ctrl-C (KeyboardInterrupt) anywhere ends the session early with the reason "stopped by the person";
    a red-flag answer ends it at once. Exercises the session never reached are logged as skipped.
    """
    screen = screen or Screen()
    outcome = Outcome({exercise_id: Tally(exercise_id) for exercise_id in plan.exercise_ids})
    elapsed = 0
    try:
        for step in plan.steps:
            tally = outcome.tallies.get(step.exercise_id or "")
            screen.cue(step.cue)
            if tally is not None:
                tally.started = True
            if step.kind is StepKind.CHECK and tally is not None:
                screen.show(step, 0, elapsed)
                if _answer(tally, ask(step), outcome, screen):
                    break
                continue
            for left in range(step.seconds, 0, -1):
                screen.show(step, left, elapsed)
                sleep(1)
                elapsed += 1
                if tally is not None and step.kind in TIMED_KINDS:
                    tally.seconds += 1
            if tally is not None:
                _count(tally, step)
            screen.show(step, 0, elapsed)
    except (KeyboardInterrupt, EOFError):  # Ctrl-C, or Ctrl-D at the question
        outcome.ended_early, outcome.end_reason = True, STOPPED_BY_PERSON
    for tally in outcome.tallies.values():
        tally.finish(outcome.end_reason)
    return outcome


def ask_number(
    read: Callable[[str], str], tell: Callable[[str], None], question: str, low: int, high: int
) -> int:
    """Ask until the answer is a whole number from ``low`` to ``high``, saying what is allowed each time."""
    while True:
        text = read(f"{question} ({low}-{high}): ").strip()
        if text.isdigit() and low <= int(text) <= high:
            return int(text)
        tell(f"Please type a whole number from {low} to {high}.")


def ask_symptoms(read: Callable[[str], str], tell: Callable[[str], None]) -> SymptomMovement:
    """The symptom question with the four choices of SYMPTOM_CHOICES, numbered 1 to 4."""
    tell("How did your leg feel during that exercise?")
    for number, choice in enumerate(CHOICES, start=1):
        tell(f"  {number}. {SYMPTOM_CHOICES[choice]}")
    return CHOICES[ask_number(read, tell, "Your choice", 1, len(CHOICES)) - 1]


def red_flag_advice(emergency_number: str) -> str:
    """The emergency department's advice, with the number to call, for a danger sign during a session."""
    from sciatrack.domain.triage import Where, place_advice

    advice = place_advice(Where.EMERGENCY_DEPARTMENT_NOW, emergency_number)
    lines = [f"  - {line}" for line in advice.what_to_do_now]
    return "\n".join(["Stop exercising now.", f"{advice.headline}.", *lines])


def build_log(
    outcome: Outcome, started: datetime, finished: datetime, pain_before: int, pain_after: int | None
) -> dict[str, Any]:
    """The session log in the shape ``parse_session_log`` reads, with a new idempotency key."""
    return {
        "idempotency_key": str(uuid.uuid4()),
        "started_at": started.isoformat(),
        "finished_at": finished.isoformat(),
        "pain_before": pain_before,
        "pain_after": pain_after,
        "ended_early": outcome.ended_early,
        "end_reason": outcome.end_reason,
        "exercises": [tally.to_json() for tally in outcome.tallies.values()],
    }


def parse_speed(text: str) -> float | None:
    """``--speed`` as a number from 1 to 1000, or None when it is not one."""
    try:
        speed = float(text)
    except ValueError:
        return None
    return speed if SPEED_RANGE[0] <= speed <= SPEED_RANGE[1] else None


class RichScreen(Screen):
    """A live rich display: big title, countdown, exercise, rep, side and overall progress."""

    def __init__(self, plan: SessionPlan, names: dict[str, str], voice: bool) -> None:
        from rich.console import Console

        self.console = Console(highlight=False)
        self.plan, self.names = plan, names
        self.live: Any = None
        self.speaker: subprocess.Popen[bytes] | None = None
        self.voice = bool(voice and shutil.which("espeak-ng"))
        if voice and not self.voice:
            self.tell("Voice cues are unavailable (espeak-ng was not found); carrying on without sound.")

    def _frame(self, step: Step, left: int, elapsed: int) -> Any:
        from rich.console import Group
        from rich.panel import Panel
        from rich.progress_bar import ProgressBar
        from rich.text import Text

        total = max(self.plan.total_seconds, 1)
        lines: list[Any] = [Text(step.title.upper(), style="bold reverse", justify="center")]
        if step.seconds:
            lines.append(Text(f"{left} s left", style="bold", justify="center"))
        if step.exercise_id:
            lines.append(Text(f"Exercise: {self.names.get(step.exercise_id, step.exercise_id)}"))
        if step.rep is not None:
            lines.append(Text(f"rep {step.rep} of {step.reps}"))
        if step.side:
            lines.append(Text(f"Side: {step.side}"))
        lines += [ProgressBar(total=total, completed=elapsed), Text(f"Overall: {elapsed * 100 // total}%")]
        return Panel(Group(*lines), title="Sciatrack session")

    def show(self, step: Step, seconds_left: int, elapsed: int) -> None:
        from rich.live import Live

        frame = self._frame(step, seconds_left, elapsed)
        if self.live is None:
            self.live = Live(frame, console=self.console, refresh_per_second=8)
            self.live.start()
        else:
            self.live.update(frame)

    def pause(self) -> None:
        """Stop the live display (before a prompt, or at the end); the next show starts a new one."""
        if self.live is not None:
            self.live.stop()
            self.live = None

    def tell(self, text: str) -> None:
        self.console.print(text, markup=False)

    def read(self, prompt: str) -> str:
        self.pause()
        return self.console.input(prompt)

    def cue(self, text: str) -> None:
        if not self.voice:
            return
        if self.speaker is not None and self.speaker.poll() is None:
            self.speaker.terminate()
        self.speaker = subprocess.Popen(
            ["espeak-ng", text], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )


def _summary(outcome: Outcome, pain_before: int, pain_after: int | None) -> str:
    """One line: exercises done, stopped and skipped, and the pain before and after."""
    statuses = [tally.status for tally in outcome.tallies.values()]
    counts = ", ".join(f"{statuses.count(status)} {status.value}" for status in ExerciseStatus)
    after = "not given" if pain_after is None else str(pain_after)
    early = f"; ended early: {outcome.end_reason}" if outcome.ended_early else ""
    return f"Session: {counts}; pain {pain_before} before, {after} after{early} (use --log FILE to save it)"


def run(args: argparse.Namespace) -> int:
    """Play a guided exercise session in the terminal and log it (the log the browser sends).

    It triages first, then plays and logs today's session; exit 2 on bad input.
    """
    from sciatrack.domain.programs import build_program
    from sciatrack.domain.sessions import plan_session
    from sciatrack.domain.triage import triage
    from sciatrack.outputs.triage_text import WIDTH, format_danger_signs, format_triage

    speed = parse_speed(args.speed)
    if speed is None:
        low, high = SPEED_RANGE
        print(f"sciatrack session: --speed must be a number from {low:g} to {high:g}", file=sys.stderr)
        return EXIT_INVALID
    if not args.emergency_number.strip():
        print("sciatrack session: --emergency-number must not be blank", file=sys.stderr)
        return EXIT_INVALID
    answers = read_intake(args.answers, "session")
    if answers is None:
        return EXIT_INVALID
    result = triage(answers, emergency_number=args.emergency_number)
    program = build_program(answers, result)
    if program is None:
        print("No exercise session today: the triage does not allow exercise.\n")
        print(format_triage(result))
        return EXIT_OK
    plan = plan_session(program)
    screen = RichScreen(plan, {item.id: item.name for item in program.exercises}, args.voice)
    # As on the web, the danger signs come before the first exercise; the symptom question names them.
    for line in format_danger_signs(min(WIDTH, screen.console.width)):
        screen.tell(line)
    try:
        pain_before = ask_number(screen.read, screen.tell, "Pain before the session, 0 to 10", 0, 10)
    except (KeyboardInterrupt, EOFError):
        screen.tell("\nSession cancelled before it started; nothing was logged.")
        return EXIT_OK
    started = datetime.now(UTC)
    try:
        outcome = run_plan(
            plan,
            lambda _step: ask_symptoms(screen.read, screen.tell),
            lambda s: time.sleep(s / speed),
            screen,
        )
    finally:
        screen.pause()
    pain_after = None
    if outcome.red_flag:
        screen.tell(red_flag_advice(result.emergency_number))
    elif outcome.ended_early:
        screen.tell(f"Session ended early: {outcome.end_reason}.")
    else:
        try:
            pain_after = ask_number(screen.read, screen.tell, "Pain after the session, 0 to 10", 0, 10)
        except (KeyboardInterrupt, EOFError):
            pain_after = None
    return write_log(args.log, outcome, started, pain_before, pain_after)


def write_log(
    path: str | None, outcome: Outcome, started: datetime, pain_before: int, pain_after: int | None
) -> int:
    """Check the log with parse_session_log, then write it to ``path`` or print a one-line summary."""
    data = build_log(outcome, started, datetime.now(UTC), pain_before, pain_after)
    try:
        document = session_log_to_json(parse_session_log(data))
    except SessionLogError as error:  # a bug here, not the person's doing
        print(f"sciatrack session: the session log is not valid: {error}", file=sys.stderr)
        return EXIT_FAILED
    if path is None:
        print(_summary(outcome, pain_before, pain_after))
        return EXIT_OK
    try:
        Path(path).write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as error:
        print(f"sciatrack session: --log: cannot write {path!r}: {error.strerror}", file=sys.stderr)
        return EXIT_FAILED
    print(f"Session log written to {path}")
    return EXIT_OK


def add_to(commands: Commands) -> None:
    session = add_command(commands, "session", run)
    session.add_argument("--answers", required=True, metavar="FILE", help=ANSWERS_HELP)
    session.add_argument("--voice", action="store_true", help="speak each step with espeak-ng, if installed")
    session.add_argument("--log", metavar="FILE", help="write the session log (JSON) to FILE")
    session.add_argument(
        "--speed", default="1", metavar="N", help="run N times faster, 1 to 1000 (default 1)"
    )
    add_emergency_number(session)
