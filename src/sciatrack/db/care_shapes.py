"""What the generated care records say: a pool of check answers, each triaged once, and what follows.

:mod:`.care_records` writes many patients' records fast; most of the time a real check costs goes into
the triage and the program (about 3 ms each), so this module keeps a fixed pool of answer *shapes* per
leg pain rating (:data:`SHAPES_PER_RATING` of them) and runs the real triage, the real program builder
and the real scoring once per shape (then cached), not once per patient. Every stored check is therefore
one the app itself would have stored for those answers, and every session log's exercises are in the
``session_log_to_json`` shape that ``parse_session_log`` accepts.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sciatrack.domain.intake import parse_intake
from sciatrack.domain.outcomes import SymptomReach
from sciatrack.domain.programs import build_program, program_to_json
from sciatrack.domain.scoring import stored_score
from sciatrack.domain.session_log import (
    LoggedExercise,
    SessionLog,
    SymptomMovement,
    session_log_to_json,
)
from sciatrack.domain.triage import result_to_json, triage
from sciatrack.domain.vocabulary import RED_FLAG_KEYS, SCHEMA, SENSATIONS, SIDES, TRIGGERS

SHAPES_PER_RATING = 12
# One shape in this many carries a danger sign, so some generated patients are sent to a doctor.
RED_FLAG_EVERY = 12
# Danger signs a generated check may report (each alone): from "see a doctor soon" up to the emergency.
GENERATED_RED_FLAGS = (
    "night_pain_unrelenting",
    "history_of_cancer",
    "progressive_weakness",
    "unexplained_weight_loss",
    "saddle_numbness",
)
R = SymptomReach
# The body-map regions that go with how far down the leg the symptoms reach.
REGIONS_OF_REACH: dict[SymptomReach, tuple[str, ...]] = {
    R.NONE: ("low_back",),
    R.BACK: ("low_back",),
    R.BUTTOCK: ("low_back", "buttock"),
    R.THIGH: ("low_back", "buttock", "back_of_thigh"),
    R.BELOW_KNEE: ("low_back", "buttock", "back_of_thigh", "back_of_calf"),
    R.FOOT: ("low_back", "buttock", "back_of_thigh", "back_of_calf", "sole"),
}
# The sleep answers of the diary page (its form's keys); a worse night goes with more leg pain.
SLEEP = ("undisturbed", "woke_once", "woke_often")
ACTIVITIES = ("Sitting through a meal", "Walking the dog", "Putting on socks", "Driving to work")
SPREAD_REASON = "The pain spread down into my calf."
PLACEHOLDER_MOMENT = datetime(2000, 1, 1, tzinfo=UTC)


# The reaches from none to the foot, in the order of the enum (a generated clinic asks per diary day).
REACHES = tuple(R)


def reach_for(leg_pain: float) -> SymptomReach:
    """How far down the leg symptoms of this leg pain rating usually reach (further with more pain)."""
    return REACHES[max(0, min(5, round(leg_pain / 2)))]


@dataclass(frozen=True)
class CheckShape:
    """One set of check answers, triaged and given its program once."""

    answers: dict[str, Any]
    result: dict[str, Any]
    tier: str
    where: str
    program: dict[str, Any] | None  # program_to_json of the program built for the answers, or None
    # Each of a program's session variants: (exercises as session_log_to_json gives them, seconds, review).
    sessions: tuple[tuple[list[dict[str, Any]], int, bool], ...]
    # A clinician's change of the program, when it has more than one exercise: (after, summary).
    change: tuple[list[dict[str, Any]], str] | None


class ShapePool:
    """Answer shapes per leg pain rating (0 to 10), triaged on first use with ``emergency_number``."""

    def __init__(self, seed: int, emergency_number: str) -> None:
        self.seed = seed
        self.emergency_number = emergency_number
        self.cache: dict[tuple[int, int], CheckShape] = {}
        self.measures: dict[tuple[int, int, int], dict[str, Any]] = {}

    def shape(self, leg_pain: int, index: int) -> CheckShape:
        key = (leg_pain, index % SHAPES_PER_RATING)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = self._triaged(*key)
        return found

    def _triaged(self, leg_pain: int, index: int) -> CheckShape:
        rng = random.Random(f"{self.seed}:shape:{leg_pain}:{index}")  # noqa: S311 (seeded on purpose)
        reach = reach_for(leg_pain)
        flags = dict.fromkeys(RED_FLAG_KEYS, False)
        if index % RED_FLAG_EVERY == RED_FLAG_EVERY - 1:
            flags[rng.choice(GENERATED_RED_FLAGS)] = True
        sensations = sorted(rng.sample(SENSATIONS[:5], rng.randint(1, 2)), key=SENSATIONS.index)
        worse = sorted(rng.sample(TRIGGERS[:5], rng.randint(1, 3)), key=TRIGGERS.index)
        parsed = parse_intake(
            {
                "schema": SCHEMA,
                "age": rng.randint(22, 78),
                "onset_weeks": rng.choice((1, 2, 3, 4, 6, 8, 12, 20)),
                "pain": {"leg_now": leg_pain, "back_now": max(0, min(10, leg_pain + rng.randint(-3, 1)))},
                "regions": list(REGIONS_OF_REACH[reach]),
                "side": rng.choice(SIDES[:2]),
                "sensations": sensations,
                "worse_with": worse,
                "better_with": [t for t in ("walking", "lying") if t not in worse][:1],
                "red_flags": flags,
            }
        )
        outcome = triage(parsed, emergency_number=self.emergency_number)
        result = result_to_json(outcome)
        program = program_to_json(build_program(parsed, outcome))
        exercises: list[dict[str, Any]] = program["exercises"] if program else []
        return CheckShape(
            answers=parsed.to_json(),
            result=result,
            tier=str(result["tier"]),
            where=str(result["where"]),
            program=program,
            sessions=session_variants(exercises, rng) if exercises else (),
            change=removed_first(exercises),
        )

    def measures_for(self, leg_pain: int, back_pain: int, variant: int) -> dict[str, Any]:
        """Baseline measures (NPRS, SBI, PEG, PSFS) that fit these pain ratings, scored as the check
        stores them; one of a few variants per rating."""
        key = (leg_pain, back_pain, variant)
        found = self.measures.get(key)
        if found is None:
            found = self.measures[key] = scored_measures(
                leg_pain,
                back_pain,
                random.Random(str(key)),  # noqa: S311 (seeded on purpose)
            )
        return found


def scored_measures(leg: int, back: int, rng: random.Random) -> dict[str, Any]:
    def near(value: float, top: int) -> int:
        return max(0, min(top, round(value + rng.choice((-1, 0, 0, 1)))))

    sbi = {item: near(leg * 0.6, 6) for item in ("leg_pain", "numbness_tingling", "weakness", "sitting_pain")}
    peg = {item: near(leg, 10) for item in ("pain", "enjoyment", "activity")}
    activities = [{"activity": name, "score": near(10 - leg, 10)} for name in rng.sample(ACTIVITIES, 3)]
    return {
        "nprs": {"leg_now": leg, "back_now": back},
        "sbi": stored_score("sbi", sbi),
        "peg": stored_score("peg", peg),
        "psfs": {**stored_score("psfs", activities), "activities": activities},
    }


def session_variants(
    exercises: list[dict[str, Any]], rng: random.Random
) -> tuple[tuple[list[dict[str, Any]], int, bool], ...]:
    """Three sessions of a program: symptoms the same throughout, some moving up toward the back, and
    one exercise stopped because the pain spread down the leg (which needs a clinician's review)."""
    variants = []
    spread_at = rng.randrange(len(exercises))
    for kind in ("same", "moved_up", "spread"):
        logged = tuple(
            LoggedExercise.as_dosed(
                item,
                SymptomMovement.SPREAD_DOWN
                if kind == "spread" and index == spread_at
                else SymptomMovement.MOVED_UP
                if kind == "moved_up" and index % 2 == 0
                else SymptomMovement.SAME,
                SPREAD_REASON if kind == "spread" and index == spread_at else "",
            )
            for index, item in enumerate(exercises)
        )
        # Only the exercises of this log are kept: each stored log has its own key, times and pain.
        log = SessionLog(uuid.UUID(int=0), PLACEHOLDER_MOMENT, PLACEHOLDER_MOMENT, 5, 5, logged, False, "")
        variants.append(
            (session_log_to_json(log)["exercises"], sum(item.seconds for item in logged), kind == "spread")
        )
    return tuple(variants)


def removed_first(exercises: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], str] | None:
    """A clinician's change that takes the first exercise out (as the program editor summarises it)."""
    if len(exercises) < 2:
        return None
    return exercises[1:], f"removed {exercises[0]['name']}"


def sleep_for(leg_pain: int, rng: random.Random) -> str:
    return SLEEP[0] if leg_pain <= 3 else SLEEP[1] if leg_pain <= 6 else rng.choice(SLEEP[1:])
