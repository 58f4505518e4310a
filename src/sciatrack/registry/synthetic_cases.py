"""The synthetic registry's cases, drawn from a seed: who enrols, when, with what, and how they fare.

This module decides what the generated data looks like and nothing about storing it (that is
:mod:`.generate`): :func:`make_plan` fixes everything shared (clinic sizes, enrolment days, age bands,
programs) and :func:`generate_chunk` turns one chunk of ``CHUNK`` cases into rows for the case, follow-up,
week and summary tables, as a pure function of the plan and the chunk's number, so the same seed gives the
same rows. The summary rows come from the same function the incremental refresh uses
(:func:`.summary.outcome_rows`), so the cases are stored fresh. What the data looks like, so that the reports
have something plausible to show:

- enrolment dates run over two years from ``--start``, more of them later on (the network grows); case
  ids follow the enrolment date, as they would in a registry filled as people enrol;
- age bands peak at 40 to 59; the flexion-biased (stenosis-like) pattern is commoner with age;
- triage tiers are mostly self-care and routine, which get a program: every exercise of the library,
  the McKenzie extension only for the extension-biased pattern, now and then one left out by a
  clinician; the prescribed sessions a week follow the exercises' dosage as in the care app. Soon and
  urgent cases get no program (mask 0, no sessions prescribed);
- baseline leg pain 3 to 10, back pain and the Sciatica Bothersomeness Index correlated with it;
- each case has its own adherence, fading week by week, and drops out at a time that comes sooner for
  those who do fewer sessions; weekly rows stop at the dropout (at most 26 weeks), and follow-ups stop
  a few weeks after it, so later follow-ups are missing more often, and some cases have none;
- pain follows an improvement curve whose depth depends on the pattern and on adherence, with noise
  from case to case and from visit to visit, so some people get worse;
- nothing is recorded after the end of the two years, so recent cases lack their later follow-ups.
"""

from __future__ import annotations

import math
import random
import time
from bisect import bisect
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sciatrack.content.loader import load_exercises
from sciatrack.content.registry_schema import RegistryContent
from sciatrack.content.schema import Frequency
from sciatrack.domain.registry_outcomes import FollowUp, program_mask
from sciatrack.domain.vocabulary import EXERCISE_TIERS, Pattern, Tier

from .summary import outcome_rows

DEFAULT_START = date(2024, 1, 1)
SPAN_DAYS = 730  # two years of enrolment; nothing is recorded after the last of them
CHUNK = 10_000  # cases generated (and written) at a time; each chunk has its own random stream
MAX_WEEKS = 26
NETWORK_GROWTH = 1.0  # enrolments a day at the end of the two years over those at the start, minus one

# Relative frequency of each age band (by id); a band added to the content later gets 10.
AGE_WEIGHTS = {"16-29": 8, "30-39": 18, "40-49": 26, "50-59": 24, "60-69": 15, "70+": 9}
TIER_WEIGHTS = ((Tier.SELF_CARE, 60), (Tier.ROUTINE, 31), (Tier.SOON, 7), (Tier.URGENT, 2))
PROGRAM_TIERS = frozenset(EXERCISE_TIERS)  # only a tier that allows exercise gets a program
MCKENZIE = "mckenzie-extension"
# How deep the improvement goes, as a share of the baseline, by pattern (with a program, before
# adherence scales it) and by tier (without one: those are seen by a clinician instead).
PATTERN_RESPONSE = {
    Pattern.EXTENSION_BIASED.value: 0.55,
    Pattern.UNCLEAR.value: 0.42,
    Pattern.FLEXION_BIASED.value: 0.30,
}
TIER_RESPONSE = {Tier.SOON.value: 0.36, Tier.URGENT.value: 0.30}
# Follow-ups: target day, spread of the actual day (standard deviation, days), chance of answering.
FOLLOW_UP_PLAN = ((42, 6.0, 0.92), (84, 9.0, 0.88), (182, 14.0, 0.84))
ANSWERS_AFTER_STOPPING = 35  # days after the last active week a follow-up may still be answered


@dataclass(frozen=True)
class Plan:
    """Everything a chunk needs to generate its cases; chunks depend on nothing else."""

    seed: int
    patients: int
    first_id: int
    clinic_ids: tuple[int, ...]
    clinic_cum_weights: tuple[float, ...]
    days: tuple[str, ...]  # ISO date of each day of the span
    age_bands: tuple[str, ...]
    age_cum_weights: tuple[float, ...]
    # Per pattern: the exercise ids of its full program.
    programs: dict[str, tuple[str, ...]]
    program_bits: dict[str, int]
    times_per_day: dict[str, int]  # exercises done a number of times a day (others: every waking hour)


@dataclass
class Chunk:
    cases: list[tuple[Any, ...]] = field(default_factory=list)
    follow_ups: list[tuple[Any, ...]] = field(default_factory=list)
    weeks: list[tuple[Any, ...]] = field(default_factory=list)
    outcomes: list[tuple[Any, ...]] = field(default_factory=list)
    base_seconds: float = 0.0
    summary_seconds: float = 0.0


def default_clinics(patients: int) -> int:
    """How many clinics a registry of ``patients`` cases spreads over by default (200 for a million)."""
    return max(2, min(500, round(math.sqrt(patients) / 5)))


def cumulative(weights: list[float]) -> tuple[float, ...]:
    total = 0.0
    out = []
    for weight in weights:
        total += weight
        out.append(total)
    return tuple(out)


def enrolment_day(index: int, patients: int) -> int:
    """The day (0 = ``--start``) case ``index`` of ``patients`` enrolled on: evenly through the
    enrolments, with a density rising linearly over the span (by ``NETWORK_GROWTH``), in case order."""
    share = (index + 0.5) / patients
    growth = NETWORK_GROWTH
    position = (math.sqrt(1 + 2 * growth * share * (1 + growth / 2)) - 1) / growth
    return min(SPAN_DAYS - 1, int(position * SPAN_DAYS))


def sessions_per_week(exercise_ids: tuple[str, ...], times_per_day: dict[str, int]) -> int:
    """As the care app prescribes: 7 times the most times a day of any exercise, at least once a day."""
    if not exercise_ids:
        return 0
    return 7 * max((times_per_day.get(exercise_id, 1) for exercise_id in exercise_ids), default=1)


def make_plan(
    content: RegistryContent, seed: int, patients: int, first_id: int, clinic_ids: list[int], start: date
) -> Plan:
    weights_rng = random.Random(f"sciatrack-registry:{seed}:clinics")
    # Clinic sizes vary several-fold, as in a real network.
    clinic_weights = [weights_rng.lognormvariate(0, 0.6) for _ in clinic_ids]
    exercises = load_exercises()
    times_per_day = {
        exercise_id: exercise.dosage.times_per_day or 1
        for exercise_id, exercise in exercises.items()
        if exercise.dosage.frequency is Frequency.TIMES_PER_DAY
    }
    every = tuple(exercise_id for exercise_id in content.program_bits if exercise_id != MCKENZIE)
    programs = {pattern.value: every for pattern in Pattern}
    programs[Pattern.EXTENSION_BIASED.value] = (MCKENZIE, *every)
    return Plan(
        seed=seed,
        patients=patients,
        first_id=first_id,
        clinic_ids=tuple(clinic_ids),
        clinic_cum_weights=cumulative(clinic_weights),
        days=tuple((start + timedelta(days=offset)).isoformat() for offset in range(SPAN_DAYS)),
        age_bands=tuple(band.id for band in content.age_bands),
        age_cum_weights=cumulative([AGE_WEIGHTS.get(band.id, 10) for band in content.age_bands]),
        programs=programs,
        program_bits=dict(content.program_bits),
        times_per_day=times_per_day,
    )


# One loop draws a case and its rows in a fixed order: splitting it would change nothing but the reading.
def generate_chunk(plan: Plan, content: RegistryContent, number: int) -> Chunk:
    """The rows of chunk ``number`` (cases ``number * CHUNK`` onwards): a pure function of the plan."""
    clock = time.perf_counter
    began = clock()
    rng = random.Random(f"sciatrack-registry:{plan.seed}:chunk:{number}")
    rnd, gauss = rng.random, rng.gauss
    exp, log = math.exp, math.log
    chunk = Chunk()
    cases, follow_ups, weeks_out, outcomes = chunk.cases, chunk.follow_ups, chunk.weeks, chunk.outcomes
    summary_seconds = 0.0

    clinic_ids, clinic_cum = plan.clinic_ids, plan.clinic_cum_weights
    clinic_total = clinic_cum[-1]
    age_bands, age_cum = plan.age_bands, plan.age_cum_weights
    age_total = age_cum[-1]
    oldest = len(age_bands) - 1
    tiers = tuple(tier.value for tier, _ in TIER_WEIGHTS)
    tier_cum = cumulative([weight for _, weight in TIER_WEIGHTS])
    extension, flexion, unclear = (
        Pattern.EXTENSION_BIASED.value,
        Pattern.FLEXION_BIASED.value,
        Pattern.UNCLEAR.value,
    )
    programs: dict[tuple[str, ...], tuple[int, int]] = {}

    def program_of(exercise_ids: tuple[str, ...]) -> tuple[int, int]:
        known = programs.get(exercise_ids)
        if known is None:
            known = (
                program_mask(plan.program_bits, exercise_ids),
                sessions_per_week(exercise_ids, plan.times_per_day),
            )
            programs[exercise_ids] = known
        return known

    first = number * CHUNK
    for index in range(first, min(first + CHUNK, plan.patients)):
        case_id = plan.first_id + index
        day = enrolment_day(index, plan.patients)
        clinic_id = clinic_ids[min(bisect(clinic_cum, rnd() * clinic_total), len(clinic_ids) - 1)]
        age_index = min(bisect(age_cum, rnd() * age_total), oldest)
        tier = tiers[min(bisect(tier_cum, rnd() * tier_cum[-1]), len(tiers) - 1)]
        # Older people more often have the stenosis-like (flexion-biased) pattern.
        age_share = age_index / oldest if oldest else 0.0
        draw = rnd()
        flexion_share = 0.05 + 0.27 * age_share
        extension_share = 0.63 - 0.25 * age_share
        if draw < extension_share:
            pattern = extension
        elif draw < extension_share + flexion_share:
            pattern = flexion
        else:
            pattern = unclear

        mask, per_week = 0, 0
        if tier in PROGRAM_TIERS:
            exercise_ids = plan.programs[pattern]
            if pattern == extension and rnd() < 0.12:
                # Bending backward makes their pain worse: the press-up is left out.
                exercise_ids = exercise_ids[1:]
            if rnd() < 0.15:
                # A clinician left one exercise out.
                left_out = int(rnd() * len(exercise_ids))
                exercise_ids = exercise_ids[:left_out] + exercise_ids[left_out + 1 :]
            mask, per_week = program_of(exercise_ids)

        urgent_shift = 0.0 if mask else 0.8
        leg0 = min(10, max(3, round(gauss(6.0 + urgent_shift, 1.7))))
        back0 = None if rnd() < 0.01 else min(10, max(0, round(0.45 * leg0 + gauss(1.8, 1.9))))
        back_or_typical = back0 if back0 is not None else 3
        sbi0 = (
            None
            if rnd() < 0.02
            else min(24, max(0, round(1.6 * leg0 + 0.3 * back_or_typical + gauss(1, 2.6))))
        )

        # Adherence: a share of the prescribed sessions at the start, fading week by week.
        if per_week:
            adherence = min(1.0, max(0.0, rnd() ** 0.6 + 0.02 * (age_index - 2)))
            fade = rnd() * 0.06
            diary = 0.5 * adherence + 0.5 * (0.25 + 0.75 * rnd())
            scale = 10 + 45 * adherence  # weeks: those doing more stay longer
        else:
            adherence, fade = 0.0, 0.0
            diary = 0.25 + 0.75 * rnd()
            scale = 18.0
        # The last active week; -1: never used the app after the first check. Otherwise Weibull with
        # shape 1.6, so the chance of dropping out grows with time.
        never = rnd() < 0.04
        last_week = -1 if never else min(MAX_WEEKS - 1, int(scale * (-log(1.0 - rnd())) ** 0.625))
        days_left = SPAN_DAYS - day  # days from enrolment to the end of the registry
        last_week = min(last_week, days_left // 7 - 1)

        effective = adherence * exp(-fade * max(last_week, 0) / 2)
        if mask:
            response = PATTERN_RESPONSE[pattern] * (0.5 + 0.7 * effective)
        else:
            response = TIER_RESPONSE.get(tier, 0.33)
        response = min(0.98, response + gauss(0, 0.3))  # some get worse
        back_response = min(0.98, 0.75 * response + gauss(0, 0.15))
        sbi_response = min(0.98, 0.9 * response + gauss(0, 0.12))
        pace = 2.5 + 7 * rnd()  # weeks to about two thirds of the improvement
        back_base = back0 if back0 is not None else round(0.45 * leg0 + 1.8)
        sbi_base = sbi0 if sbi0 is not None else round(1.6 * leg0 + 1.8)

        case_follow_ups = []
        answered_until = (last_week + 1) * 7 + ANSWERS_AFTER_STOPPING if last_week >= 0 else 0
        for target, spread, answers in FOLLOW_UP_PLAN:
            follow_day = max(1, round(target + gauss(0, spread)))
            if follow_day > answered_until or follow_day >= days_left or rnd() > answers:
                continue
            reached = 1 - exp(-follow_day / 7 / pace)
            leg = min(10, max(0, round(leg0 * (1 - response * reached) + gauss(0, 0.9))))
            back = min(10, max(0, round(back_base * (1 - back_response * reached) + gauss(0, 0.9))))
            sbi = (
                None
                if rnd() < 0.03
                else min(24, max(0, round(sbi_base * (1 - sbi_response * reached) + gauss(0, 1.6))))
            )
            follow_ups.append((case_id, follow_day, leg, back, sbi))
            case_follow_ups.append(FollowUp(follow_day, leg, back, sbi))

        case_weeks = []
        step = exp(-1 / pace)
        remaining = exp(-0.5 / pace)  # share of the improvement still to come, mid-week
        kept = 1.0  # share of the starting adherence kept this week
        keep = exp(-fade)
        for week in range(last_week + 1):
            if per_week:
                done = min(per_week, max(0, round((adherence * kept + gauss(0, 0.08)) * per_week)))
                kept *= keep
            else:
                done = 0
            diary_days = min(7, max(0, round(7 * diary * exp(-0.03 * week) + gauss(0, 0.9))))
            mean_leg = (
                round(min(10.0, max(0.0, leg0 * (1 - response * (1 - remaining)) + gauss(0, 0.5))), 1)
                if diary_days
                else None
            )
            remaining *= step
            weeks_out.append((case_id, week, done, diary_days, mean_leg))
            case_weeks.append((week, done))

        enrolled_on = plan.days[day]
        cases.append(
            (case_id, clinic_id, enrolled_on, age_bands[age_index], tier, pattern, mask, per_week,
             leg0, back0, sbi0, False)
        )  # fmt: skip
        summary_began = clock()
        case = {
            "id": case_id, "clinic_id": clinic_id, "enrolled_on": enrolled_on,
            "age_band": age_bands[age_index], "triage_tier": tier, "pattern": pattern, "program_mask": mask,
            "sessions_per_week": per_week, "baseline_leg_pain": leg0, "baseline_back_pain": back0,
            "baseline_sbi": sbi0,
        }  # fmt: skip
        outcomes.extend(outcome_rows(content, case, case_follow_ups, case_weeks))
        summary_seconds += clock() - summary_began

    chunk.summary_seconds = summary_seconds
    chunk.base_seconds = clock() - began - summary_seconds
    return chunk
