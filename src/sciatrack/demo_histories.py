"""Twelve weeks of made-up care for the demo patients, so every page has something real to show.

Each :class:`Persona` describes a story: the baseline check and follow-ups (leg pain 7 -> 5 -> 3 -> 1 for
the responder), how far down the leg the symptoms reach over time, how often the person fills in the
diary and does a guided session, and the days an exercise was stopped because symptoms spread down the
leg. :func:`add_history` turns a persona into records through the app's own code paths: the checks are
triaged and scored (``parse_intake``, ``triage``, ``score``) and stored by ``Intake.objects.record``,
each check gets its program (``create_program``), and every session log is built as a domain
``SessionLog`` and stored in the ``session_log_to_json`` shape, so ``parse_session_log`` accepts each one.

- Random noise comes from ``random.Random`` seeded with :data:`SEED` and the username: the same persona
  gets the same history on every load, whoever else exists.
- Dates count back from today (``timezone.localdate()``): the history ends today, so the pages look
  current whenever the demo is loaded. Nothing is dated after the current moment: today's sessions that
  would finish later are left out, and they are the only part of the history the hour changes.
- Each history runs :data:`DAYS_INTO_THE_WEEK` days past its last whole week, so today is never the
  first day of a week counted from the baseline: the week in progress always holds whole days already
  over, and how much of today has passed cannot leave it empty. (A history of exactly 12 weeks made
  the current week today alone, with no session in it before about 8 in the morning.)
- A patient who already has a check keeps their history untouched: loading the demo twice adds nothing.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sciatrack.accounts.models import Patient
from sciatrack.care.models import DiaryEntry, Intake, Program, SessionLog
from sciatrack.check.questionnaires import score_all
from sciatrack.domain.intake import RED_FLAG_KEYS, SCHEMA, parse_intake
from sciatrack.domain.outcomes import SymptomReach
from sciatrack.domain.session_log import (
    LoggedExercise,
    SymptomMovement,
)
from sciatrack.domain.session_log import SessionLog as LogRecord
from sciatrack.domain.triage import result_to_json, triage
from sciatrack.program.programs import create_program

SEED = 20240507
DAYS_INTO_THE_WEEK = 3

R = SymptomReach


@dataclass(frozen=True)
class Persona:
    """One demo patient's story; every ``(day, value)`` plan counts days from the baseline check (day 0).

    ``pain`` holds ``(day, leg, back)`` points the diary follows (straight lines between them); a check
    on day ``d`` in ``checks`` records the pain of that day exactly. Plans of ``reach``, ``diary`` (the
    chance of a diary entry that day) and ``sessions`` (guided sessions expected that day) hold from
    their day until the next entry's day. On each day of ``spreads`` one session stops an exercise
    because the symptoms spread down the leg.
    """

    username: str
    first_name: str
    last_name: str
    story: str
    days: int  # the baseline was this many days ago (whole weeks + DAYS_INTO_THE_WEEK); it runs up to today
    checks: tuple[int, ...]
    pain: tuple[tuple[int, int, int], ...]
    reach: tuple[tuple[int, SymptomReach], ...]
    diary: tuple[tuple[int, float], ...]
    sessions: tuple[tuple[int, float], ...]
    spreads: tuple[int, ...] = field(default=())

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


PERSONAS = (
    Persona(
        "patient", "Pat", "Lee", "responder", 84 + DAYS_INTO_THE_WEEK, (0, 14, 42, 84),
        pain=((0, 7, 5), (14, 5, 4), (42, 3, 3), (84, 1, 1)),
        reach=((0, R.BELOW_KNEE), (21, R.THIGH), (42, R.BUTTOCK), (63, R.BACK)),
        diary=((0, 0.95),), sessions=((0, 2.4),), spreads=(4,),
    ),
    Persona(
        "sam", "Sam", "Okafor", "slow responder", 84 + DAYS_INTO_THE_WEEK, (0, 14, 42, 84),
        pain=((0, 6, 4), (14, 6, 4), (42, 6, 4), (63, 5, 3), (84, 3, 2)),
        reach=((0, R.BELOW_KNEE), (56, R.THIGH), (70, R.BUTTOCK)),
        diary=((0, 0.85),), sessions=((0, 1.8),), spreads=(10,),
    ),
    Persona(
        "wes", "Wes", "Hartley", "worsening, flagged for review", 56 + DAYS_INTO_THE_WEEK, (0, 14, 42),
        pain=((0, 5, 4), (14, 6, 4), (42, 8, 5), (56, 8, 6)),
        reach=((0, R.THIGH), (21, R.BELOW_KNEE), (42, R.FOOT)),
        diary=((0, 0.9),), sessions=((0, 1.6), (42, 1.0)), spreads=(30, 37, 43, 46, 50, 53),
    ),
    Persona(
        "nora", "Nora", "Lindqvist", "stopped adherence", 84 + DAYS_INTO_THE_WEEK, (0, 14),
        pain=((0, 6, 5), (14, 4, 3), (21, 3, 3), (84, 4, 3)),
        reach=((0, R.THIGH), (14, R.BUTTOCK), (35, R.THIGH)),
        diary=((0, 0.95), (21, 0.4), (42, 0.12)), sessions=((0, 2.7), (21, 0.0)),
    ),
)  # fmt: skip

REGIONS: dict[SymptomReach, list[str]] = {
    R.NONE: ["low_back"],
    R.BACK: ["low_back"],
    R.BUTTOCK: ["low_back", "buttock"],
    R.THIGH: ["low_back", "buttock", "back_of_thigh"],
    R.BELOW_KNEE: ["low_back", "buttock", "back_of_thigh", "back_of_calf"],
    R.FOOT: ["low_back", "buttock", "back_of_thigh", "back_of_calf", "sole"],
}
ACTIVITIES = ("Sitting through a meal", "Walking the dog", "Putting on socks")
SESSION_HOURS = ((7, 40), (12, 50), (19, 20))
SLEEP = ("undisturbed", "woke_once", "woke_often")
NOTES = {
    R.BACK: "Only an ache in the low back today.",
    R.BUTTOCK: "Pain stays in the buttock now.",
    R.FOOT: "Tingling right down into my foot.",
}
SPREAD_REASON = "The pain spread down into my calf."


def _phase(plan: tuple[tuple[int, Any], ...], day: int) -> Any:
    """The value of the last plan entry that starts on or before ``day``."""
    return [value for start, value in plan if start <= day][-1]


def _pain(persona: Persona, day: int) -> tuple[float, float]:
    """Leg and back pain on ``day`` on the straight line between the persona's pain points."""
    points = persona.pain
    for (d0, leg0, back0), (d1, leg1, back1) in pairwise(points):
        if d0 <= day <= d1:
            share = (day - d0) / (d1 - d0)
            return leg0 + (leg1 - leg0) * share, back0 + (back1 - back0) * share
    return float(points[-1][1]), float(points[-1][2])


def _rating(value: float) -> int:
    return max(0, min(10, round(value)))


def _at(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def check_answers(persona: Persona, day: int) -> dict[str, Any]:
    """The answers (in the current intake schema) of the persona's check on ``day``: no danger signs."""
    leg, back = _pain(persona, day)
    return {
        "schema": SCHEMA,
        "age": 38 + len(persona.username),
        "onset_weeks": 3 + day // 7,
        "pain": {"leg_now": round(leg), "back_now": round(back)},
        "regions": REGIONS[_phase(persona.reach, day)],
        "side": "left",
        "sensations": ["dull_ache", "tingling"],
        "worse_with": ["sitting", "morning", "sit_to_stand"],
        "better_with": ["walking"],
        "red_flags": dict.fromkeys(RED_FLAG_KEYS, False),
    }


def check_questionnaires(leg: int, rng: random.Random) -> dict[str, dict[str, Any]]:
    """SBI, PEG and PSFS answers that fit a leg pain of ``leg``, as the check's steps keep them."""

    def near(value: float, top: int) -> int:
        return max(0, min(top, round(value + rng.choice((-1, 0, 0, 1)))))

    sbi = {item: near(leg * 0.6, 6) for item in ("leg_pain", "numbness_tingling", "weakness", "sitting_pain")}
    peg = {item: near(leg, 10) for item in ("pain", "enjoyment", "activity")}
    psfs = [{"activity": name, "score": near(10 - leg, 10)} for name in ACTIVITIES]
    return {
        "bothersome": {"responses": sbi},
        "daily-life": {"responses": peg},
        "activities": {"activities": psfs},
    }


def _store_check(patient: Patient, persona: Persona, day: int, when: datetime, rng: random.Random) -> Intake:
    answers = check_answers(persona, day)
    parsed = parse_intake(answers)
    result = result_to_json(triage(parsed, emergency_number=settings.SCIATRACK_EMERGENCY_NUMBER))
    intake = Intake.objects.record(
        patient,
        parsed.to_json(),
        result,
        measures=score_all(check_questionnaires(answers["pain"]["leg_now"], rng), answers),
    )
    Intake.objects.filter(pk=intake.pk).update(created=when)
    program = create_program(intake)
    if program is not None:
        Program.objects.filter(pk=program.pk).update(created=when, updated=when)
    return intake


def build_session(
    exercises: list[dict[str, Any]], start: datetime, leg: int, spread: bool, rng: random.Random
) -> LogRecord:
    """A guided session of ``exercises`` (a program's stored list) starting at ``start``.

    Symptoms mostly stay the same or move up toward the back; when ``spread`` is true one exercise
    spreads them down the leg and is stopped (and the session then needs a clinician's review).
    """
    stopped = rng.randrange(len(exercises)) if spread else -1
    logged = []
    for index, item in enumerate(exercises):
        if index == stopped:
            logged.append(LoggedExercise.as_dosed(item, SymptomMovement.SPREAD_DOWN, SPREAD_REASON))
        else:
            moved = SymptomMovement.MOVED_UP if rng.random() < 0.35 else SymptomMovement.SAME
            logged.append(LoggedExercise.as_dosed(item, moved))
    finished = start + timedelta(seconds=sum(item.seconds for item in logged) + 60 * rng.randint(4, 9))
    after = leg + 1 if spread else max(0, leg - rng.choice((0, 0, 1)))
    key = uuid.UUID(int=rng.getrandbits(128), version=4)
    return LogRecord(key, start, finished, leg, min(after, 10), tuple(logged), False, "")


def _diary_entry(
    persona: Persona, patient: Patient, day: date, offset: int, rng: random.Random
) -> DiaryEntry:
    leg, back = _pain(persona, offset)
    reach = _phase(persona.reach, offset)
    if rng.random() < 0.12 and reach is not R.FOOT:
        reach = list(R)[reach.depth + 1]  # a bad day: symptoms a step further down
    leg_rating = _rating(leg + rng.choice((-1, 0, 0, 0, 1)))
    sleep = SLEEP[0] if leg_rating <= 3 else SLEEP[1] if leg_rating <= 6 else rng.choice(SLEEP[1:])
    note = NOTES.get(reach, "") if rng.random() < 0.15 else ""
    return DiaryEntry(
        patient=patient,
        day=day,
        leg_pain=leg_rating,
        back_pain=_rating(back + rng.choice((-1, 0, 0, 1))),
        reach=reach.value,
        sleep=sleep,
        note=note,
    )


def _session_count(persona: Persona, offset: int, rng: random.Random) -> int:
    expected = float(_phase(persona.sessions, offset))
    return int(expected) + (rng.random() < expected - int(expected))


def add_history(patient: Patient, persona: Persona, today: date | None = None) -> bool:
    """Give ``patient`` the persona's checks, programs, diary and session logs, ending ``today``.

    Returns False, changing nothing, when the patient already has a check.
    """
    if patient.intakes.exists():
        return False
    today = today or timezone.localdate()
    now = timezone.now()
    rng = random.Random(f"{SEED}:{persona.username}")
    start = today - timedelta(days=persona.days)
    diary: list[DiaryEntry] = []
    logs: list[SessionLog] = []
    with transaction.atomic():
        programs: dict[int, Program | None] = {}
        for offset in persona.checks:
            when = min(_at(start + timedelta(days=offset), 8, 5), now - timedelta(minutes=5))
            programs[offset] = _store_check(patient, persona, offset, when, rng).programs.first()
        for offset in range(persona.days + 1):
            day = start + timedelta(days=offset)
            if rng.random() < float(_phase(persona.diary, offset)) or offset in persona.checks:
                diary.append(_diary_entry(persona, patient, day, offset, rng))
            program = programs[max(d for d in persona.checks if d <= offset)]
            count = _session_count(persona, offset, rng)
            for slot, (hour, minute) in enumerate(SESSION_HOURS[:count]):
                begin = _at(day, hour, minute + rng.randint(0, 9))
                if program is None:
                    continue
                spread = offset in persona.spreads and slot == 0
                leg = _rating(_pain(persona, offset)[0] + rng.choice((-1, 0, 0, 1)))
                log = build_session(program.exercises, begin, leg, spread, rng)
                if log.finished_at <= now:
                    logs.append(SessionLog.from_domain(patient, log, program))
        DiaryEntry.objects.bulk_create(diary)
        SessionLog.objects.bulk_create(logs)
    return True


def describe(persona: Persona, created: bool) -> str:
    """The line ``sciatrack demo`` prints for a persona's history."""
    return f"{'created' if created else 'kept'} history: {persona.username} ({persona.story})"
