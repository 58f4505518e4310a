"""Progress over time: change from baseline, responders, recovery, centralization, adherence and the
signals that tell a person to see a clinician (pure logic, no Django; when follow-ups are due is in
:mod:`.follow_ups`).

- A measure is one of the baseline scores: leg and back pain (the two NPRS items), the Sciatica
  Bothersomeness Index, PEG and PSFS. Lower is better for all but PSFS; the direction and the minimal
  important change come from ``content/questionnaires/`` through :func:`.scoring.important_change`.
- A *responder* on a measure has improved by at least its minimal important change (for leg pain: down by
  2 points, or by 30% of a first rating above 3; either is enough), and :func:`responder_words` says by
  which rule. PSFS is compared by its mean, which assumes the person rates the same activities each time.
- *Recovered* means leg pain at or below the ``recovered`` score of ``nprs.yaml`` (0 or 1), the same
  number the outcome registry counts with.
- The centralization trend compares how far down the leg symptoms reached in the first week of diary
  entries with the last week (:func:`centralization_trend`).
- Adherence counts guided sessions against the program's prescription (:func:`prescribed_sessions_per_week`).
- Signals (:func:`signals`): *getting worse* (leg pain up by at least the NPRS point threshold over the
  baseline), *spreading* (symptoms reaching further down the leg) and *not improving after 6 weeks*. They
  are the one rule for "needs attention": the person's progress page and the clinician's dashboard both
  show them, each in their own words (:mod:`.signal_words`); a signal keeps the numbers that fired it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from statistics import mean, median_low
from typing import Literal

from sciatrack.content.rules_loader import get_questionnaire
from sciatrack.content.rules_schema import ImportantChange
from sciatrack.content.schema import Frequency

from .programs import Program
from .scoring import ChangeRule, Score, important_change
from .signal_words import (
    CLINICIAN_WORDS,
    GETTING_WORSE,
    NOT_IMPROVING,
    NOT_IMPROVING_WEEKS,
    SPREADING,
    SignalKind,
)

RECENT_DAYS = 7  # "the last week": the days, up to and including today, that current pain is averaged over
MIN_RECENT_RATINGS = 3  # fewer diary ratings than this in the last week: fall back to a recent follow-up
TREND_DAYS = 7  # the first and the last week of diary entries are compared
MIN_TREND_ENTRIES = 3  # each of those weeks needs this many entries with a reach for a trend


class Measure(StrEnum):
    LEG_PAIN = "leg_pain"
    BACK_PAIN = "back_pain"
    SBI = "sbi"
    PEG = "peg"
    PSFS = "psfs"


QUESTIONNAIRE: dict[Measure, str] = {
    Measure.LEG_PAIN: "nprs",
    Measure.BACK_PAIN: "nprs",
    Measure.SBI: "sbi",
    Measure.PEG: "peg",
    Measure.PSFS: "psfs",
}
NPRS_ITEM = {"leg_now": Measure.LEG_PAIN, "back_now": Measure.BACK_PAIN}
LABEL: dict[Measure, str] = {
    Measure.LEG_PAIN: "Leg pain",
    Measure.BACK_PAIN: "Back pain",
    Measure.SBI: "Sciatica bother score",
    Measure.PEG: "Pain and daily-life score (PEG)",
    Measure.PSFS: "Activity score",
}


class Direction(StrEnum):
    BETTER = "better"
    WORSE = "worse"
    SAME = "same"
    UNKNOWN = "unknown"  # no baseline or no follow-up for this measure


class SymptomReach(StrEnum):
    """How far from the spine the symptoms reach today, from none to the foot (in this order)."""

    NONE = "none"
    BACK = "back"
    BUTTOCK = "buttock"
    THIGH = "thigh"
    BELOW_KNEE = "below_knee"
    FOOT = "foot"

    @property
    def depth(self) -> int:
        """0 for none up to 5 for the foot: bigger is further down the leg."""
        return list(SymptomReach).index(self)


class Trend(StrEnum):
    CENTRALIZING = "centralizing"  # symptoms retreating toward the spine: a good sign
    STABLE = "stable"
    PERIPHERALIZING = "peripheralizing"  # spreading further down the leg
    UNKNOWN = "unknown"  # too few entries to tell


@dataclass(frozen=True)
class Assessment:
    """The measures answered on one day (the baseline or a follow-up); a measure not answered is None."""

    day: date
    leg_pain: float | None = None
    back_pain: float | None = None
    sbi: float | None = None
    peg: float | None = None
    psfs: float | None = None

    def value(self, measure: Measure) -> float | None:
        value: float | None = getattr(self, measure.value)
        return value

    @classmethod
    def from_scores(cls, day: date, scores: Iterable[Score]) -> Assessment:
        """An assessment from :func:`.scoring.score` results (NPRS gives leg and back pain)."""
        values: dict[str, float | None] = {}
        for result in scores:
            if result.questionnaire_id == "nprs":
                for item, rating in result.items:
                    if item in NPRS_ITEM:
                        values[NPRS_ITEM[item].value] = float(rating)
            elif result.questionnaire_id in {m.value for m in Measure}:
                values[result.questionnaire_id] = result.value
        return cls(day, **values)


@dataclass(frozen=True)
class MeasureChange:
    measure: Measure
    baseline: float | None
    latest: float | None  # from the most recent follow-up that answered this measure
    baseline_day: date | None
    latest_day: date | None
    change: float | None  # latest - baseline: negative when the score went down
    percent_change: float | None  # change as a percentage of the baseline; None when that is 0
    responder: bool | None  # improved by at least the minimal important change; None when unknown
    worsened: bool | None  # worse by at least the minimal important change; None when unknown
    direction: Direction
    by: tuple[ChangeRule, ...] = ()  # the rules that made the change important (points first), if any

    @property
    def responder_text(self) -> str:
        """:func:`responder_words` of this change, for the clinician's pages."""
        return responder_words(self)


@dataclass(frozen=True)
class DiaryEntry:
    day: date
    leg_pain: int | None = None  # 0 to 10
    back_pain: int | None = None  # 0 to 10
    reach: SymptomReach | None = None


@dataclass(frozen=True)
class WeekAdherence:
    week_start: date
    days: int  # days of this week counted so far (7 except in the current week)
    done: int  # sessions done, at most the day's prescription counted per day
    prescribed: int  # sessions prescribed for those days
    ratio: float | None  # done / prescribed; None when nothing was prescribed


@dataclass(frozen=True)
class LegPainNow:
    """Leg pain now and where it comes from: the diary's average of ``ratings`` ratings over the ``days``
    up to ``day`` (today), or one check taken on ``day``."""

    value: float
    source: Literal["diary", "check"]
    day: date
    ratings: int = 1
    days: int = RECENT_DAYS


@dataclass(frozen=True)
class ReachChange:
    """How far down the leg the symptoms reached: the middle value of the diary's first week (from
    ``first_from``) and of its last week (up to ``last_to``)."""

    first: SymptomReach
    first_from: date
    last: SymptomReach
    last_to: date


@dataclass(frozen=True)
class Signal:
    kind: SignalKind
    message: str  # to the person
    see_clinician: bool
    first: float | None = None  # the numbers that fired it: leg pain at the first check, and its day
    first_day: date | None = None
    now: LegPainNow | None = None  # leg pain now, as the signal read it
    reach: ReachChange | None = None  # spreading: the first week's reach and the last week's

    @property
    def for_clinician(self) -> str:
        """The signal as a short line on the clinician's dashboard."""
        return CLINICIAN_WORDS[self.kind]


def measure_change(
    measure: Measure, baseline: Assessment | None, follow_ups: Sequence[Assessment]
) -> MeasureChange:
    """How ``measure`` moved from ``baseline`` to the latest follow-up that answered it (follow-ups on or
    before the baseline day are ignored). Unknown (None fields) without a baseline value or follow-up."""
    start = baseline.value(measure) if baseline is not None else None
    later = [
        a for a in follow_ups if a.value(measure) is not None and (baseline is None or a.day > baseline.day)
    ]
    last = max(later, key=lambda a: a.day, default=None)
    latest = last.value(measure) if last is not None else None
    baseline_day = baseline.day if baseline is not None and start is not None else None
    latest_day = last.day if last is not None else None
    if start is None or latest is None:
        return MeasureChange(
            measure, start, latest, baseline_day, latest_day, None, None, None, None, Direction.UNKNOWN
        )
    judged = important_change(QUESTIONNAIRE[measure], start, latest)
    change = latest - start
    direction = (
        Direction.BETTER
        if judged.improvement > 0
        else Direction.WORSE
        if judged.improvement < 0
        else Direction.SAME
    )
    return MeasureChange(
        measure,
        start,
        latest,
        baseline_day,
        latest_day,
        change,
        None if start == 0 else change / start * 100,
        judged.verdict == "important_improvement",
        judged.verdict == "important_worsening",
        direction,
        judged.by,
    )


def measure_changes(baseline: Assessment | None, follow_ups: Sequence[Assessment]) -> list[MeasureChange]:
    """:func:`measure_change` for every measure, in the order of :class:`Measure`."""
    return [measure_change(measure, baseline, follow_ups) for measure in Measure]


def recovered(leg_pain: float) -> bool:
    """Whether a leg pain rating (0 to 10) counts as recovered: at or below the ``recovered`` score of
    ``nprs.yaml`` (0 or 1)."""
    if isinstance(leg_pain, bool) or not 0 <= leg_pain <= 10:
        raise ValueError("leg pain must be a rating from 0 to 10")
    threshold = get_questionnaire(QUESTIONNAIRE[Measure.LEG_PAIN]).recovered
    if threshold is None:
        raise LookupError("nprs.yaml gives no recovered score")
    return leg_pain <= threshold.at_most


def reach_change(entries: Iterable[DiaryEntry]) -> ReachChange | None:
    """The reach of the symptoms in the first ``TREND_DAYS`` days of entries and in the last, or None.

    Only entries with a reach count. The two weeks must not overlap (at least 14 days from the first
    entry to the last) and each needs ``MIN_TREND_ENTRIES`` entries, else there is none. Each week is
    summed up by its median depth (the lower middle one for an even count), so one bad day does not
    make a trend."""
    reached = sorted((e for e in entries if e.reach is not None), key=lambda e: e.day)
    if not reached:
        return None
    first, last = reached[0].day, reached[-1].day
    if (last - first).days < 2 * TREND_DAYS - 1:
        return None
    early = [e.reach.depth for e in reached if e.reach and (e.day - first).days < TREND_DAYS]
    recent = [e.reach.depth for e in reached if e.reach and (last - e.day).days < TREND_DAYS]
    if len(early) < MIN_TREND_ENTRIES or len(recent) < MIN_TREND_ENTRIES:
        return None
    depths = list(SymptomReach)
    return ReachChange(depths[median_low(early)], first, depths[median_low(recent)], last)


def centralization_trend(entries: Iterable[DiaryEntry]) -> Trend:
    """Compare the reach of the symptoms in the first week of entries with the last (:func:`reach_change`):
    a smaller reach in the last week is centralizing, a bigger one peripheralizing; unknown without both."""
    found = reach_change(entries)
    if found is None:
        return Trend.UNKNOWN
    before, now = found.first.depth, found.last.depth
    if now < before:
        return Trend.CENTRALIZING
    if now > before:
        return Trend.PERIPHERALIZING
    return Trend.STABLE


def prescribed_sessions_per_week(program: Program | None) -> int:
    """Guided sessions a week that the program asks for: 7 times the most ``times_per_day`` of any of its
    exercises (one guided session runs every exercise once, so the exercise asked for most often sets the
    count). Exercises done every waking hour add none: they are done on their own between sessions, which
    the app does not count. A program of only such exercises asks for one session a day; no program, none."""
    if program is None or not program.exercises:
        return 0
    per_day = [
        e.dosage.times_per_day or 1
        for e in program.exercises
        if e.dosage.frequency is Frequency.TIMES_PER_DAY
    ]
    return 7 * max(per_day, default=1)


def weekly_adherence(
    session_days: Iterable[date], prescribed_per_week: int, start: date, today: date
) -> list[WeekAdherence]:
    """Sessions done against prescribed, week by week from ``start`` (the program's first day) to
    ``today`` inclusive; ``session_days`` holds one date per session done (repeat a date for more).

    A day counts at most its share of the prescription (``prescribed_per_week / 7``, rounded up), so
    catching up five sessions in one evening does not make up for missed days; the current week is
    prescribed only for its days so far. Sessions before ``start`` or after ``today`` are ignored."""
    if prescribed_per_week < 0:
        raise ValueError("prescribed_per_week cannot be negative")
    per_day = -(-prescribed_per_week // 7)
    counts: dict[date, int] = {}
    for day in session_days:
        if start <= day <= today:
            counts[day] = counts.get(day, 0) + 1
    weeks = []
    week_start = start
    while week_start <= today:
        days = min(7, (today - week_start).days + 1)
        prescribed = round(prescribed_per_week * days / 7)
        done = sum(min(counts.get(week_start + timedelta(days=i), 0), per_day) for i in range(days))
        done = min(done, prescribed)
        weeks.append(
            WeekAdherence(week_start, days, done, prescribed, done / prescribed if prescribed else None)
        )
        week_start += timedelta(days=7)
    return weeks


def leg_pain_now(
    diary: Iterable[DiaryEntry], follow_ups: Sequence[Assessment], today: date
) -> LegPainNow | None:
    """Leg pain now, with its source: the average diary rating of the last ``RECENT_DAYS`` days up to
    ``today`` when there are at least ``MIN_RECENT_RATINGS``, else the leg pain of the latest follow-up
    taken in those days; None without either."""
    since = today - timedelta(days=RECENT_DAYS - 1)
    ratings = [e.leg_pain for e in diary if e.leg_pain is not None and since <= e.day <= today]
    if len(ratings) >= MIN_RECENT_RATINGS:
        return LegPainNow(round(mean(ratings), 2), "diary", today, len(ratings))
    recent = [a for a in follow_ups if a.leg_pain is not None and since <= a.day <= today]
    last = max(recent, key=lambda a: a.day, default=None)
    return (
        LegPainNow(last.leg_pain, "check", last.day)
        if last is not None and last.leg_pain is not None
        else None
    )


def current_leg_pain(
    diary: Iterable[DiaryEntry], follow_ups: Sequence[Assessment], today: date
) -> float | None:
    """The value of :func:`leg_pain_now`."""
    return found.value if (found := leg_pain_now(diary, follow_ups, today)) is not None else None


def signal_diary_days(first: date, last: date) -> tuple[tuple[date, date], tuple[date, date]]:
    """The diary days :func:`signals` reads, as two (from, to) spans, both days included, given the days
    of the first and the last entry up to the day the signals are for (on a diary whose entries all have a
    reach, as stored ones do): the first ``TREND_DAYS`` of entries and the last (the trend). "Leg pain now"
    reads the last ``RECENT_DAYS`` up to that day, which hold no entry after ``last``, so they are inside
    the last span or hold none. Entries outside the spans never change the signals, so a page of many
    people fetches only these (the clinician's dashboard does)."""
    return (
        (first, first + timedelta(days=TREND_DAYS - 1)),
        (last - timedelta(days=max(TREND_DAYS, RECENT_DAYS) - 1), last),
    )


def signals(
    baseline: Assessment | None,
    follow_ups: Sequence[Assessment],
    diary: Sequence[DiaryEntry],
    today: date,
) -> list[Signal]:
    """The reasons, on ``today``, to see a clinician, each with a plain message; empty when there are none.

    - getting worse: leg pain now (:func:`leg_pain_now`) is up on the baseline by at least the
      NPRS point threshold (2). Only points count here: a percentage of a low first rating is a tiny
      change (1 to 2 is 100%);
    - spreading: the diary's centralization trend up to ``today`` is peripheralizing (no baseline needed);
    - not improving: at least 6 weeks after the baseline, leg pain now (or, without a recent one, the
      latest follow-up taken since the week-6 window opened) is not an important improvement. Getting
      worse already says more, so both are never given together.
    Each keeps the numbers it read, for the clinician (:func:`.signal_words.clinician_sentence`).
    """
    found: list[Signal] = []
    start = baseline.leg_pain if baseline is not None else None
    start_day = baseline.day if baseline is not None else None
    now = leg_pain_now(diary, follow_ups, today)
    points = get_questionnaire("nprs").minimal_important_change.points
    worse = start is not None and now is not None and points is not None and now.value - start >= points
    if worse:
        found.append(Signal(SignalKind.GETTING_WORSE, GETTING_WORSE, True, start, start_day, now))
    reach = reach_change(e for e in diary if e.day <= today)
    if reach is not None and reach.last.depth > reach.first.depth:  # centralization_trend: peripheralizing
        found.append(Signal(SignalKind.SPREADING, SPREADING, True, reach=reach))
    if baseline is None or start is None or worse:
        return found
    six_weeks = baseline.day + timedelta(weeks=NOT_IMPROVING_WEEKS)
    if today < six_weeks:
        return found
    if now is None:
        late = [
            a
            for a in follow_ups
            if a.leg_pain is not None and six_weeks - timedelta(days=7) <= a.day <= today
        ]
        last = max(late, key=lambda a: a.day) if late else None
        now = LegPainNow(last.leg_pain, "check", last.day) if last and last.leg_pain is not None else None
    if now is not None and important_change("nprs", start, now.value).verdict != "important_improvement":
        weeks = (today - baseline.day).days // 7
        message = NOT_IMPROVING.format(weeks=weeks)
        found.append(Signal(SignalKind.NOT_IMPROVING_6_WEEKS, message, True, start, start_day, now))
    return found


def _day(day: date, year: int) -> str:
    return f"{day.day} {day:%B}" + ("" if day.year == year else f" {day.year}")


def summary_sentence(change: MeasureChange, today: date) -> str:
    """One plain sentence, e.g. "Leg pain down from 7 to 3 since 12 May." (the year is given only when
    it is not ``today``'s)."""
    label = LABEL[change.measure]
    if change.baseline is None or change.baseline_day is None:
        return f"{label}: no starting score yet."
    since = _day(change.baseline_day, today.year)
    if change.latest is None:
        return f"{label} was {change.baseline:g} on {since}; no check-in since then yet."
    if change.change == 0:
        return f"{label} unchanged at {change.latest:g} since {since}."
    way = "down" if change.latest < change.baseline else "up"
    return f"{label} {way} from {change.baseline:g} to {change.latest:g} since {since}."


def _threshold(measure: Measure) -> tuple[ImportantChange, str, str]:
    """The measure's minimal important change, and its words for better and for worse."""
    questionnaire = get_questionnaire(QUESTIONNAIRE[measure])
    better, worse = ("higher", "lower") if questionnaire.higher_is == "better" else ("lower", "higher")
    return questionnaire.minimal_important_change, better, worse


def _at_least(threshold: ImportantChange, rule: ChangeRule, way: str) -> str:
    if rule == "points":
        points = threshold.points or 0
        return f"at least {points:g} {'point' if points == 1 else 'points'} {way}"
    return f"at least {threshold.percent or 0:g}% {way}"


def responder_words(change: MeasureChange) -> str:
    """Whether the change made a responder, and by which rule, in the clinician's words: "yes: at least 2
    points lower", "yes: at least 30% lower" (both rules joined by "and" when both are met), "no, worse:
    at least 2 points higher", "no", or "unknown" without a baseline or follow-up."""
    if change.responder is None:
        return "unknown"
    threshold, better, worse = _threshold(change.measure)
    if change.responder:
        return "yes: " + " and ".join(_at_least(threshold, rule, better) for rule in change.by)
    if change.worsened:
        return "no, worse: " + " and ".join(_at_least(threshold, rule, worse) for rule in change.by)
    return "no"


def rule_words(measure: Measure) -> str:
    """The responder rule of ``measure`` in words, from its questionnaire, e.g. "at least 2 points lower,
    or at least 30% lower when the first score was above 3"."""
    threshold, better, _ = _threshold(measure)
    rules: list[str] = []
    if threshold.points is not None:
        rules.append(_at_least(threshold, "points", better))
    if threshold.percent is not None:
        floor = threshold.percent_when_first_above
        above = "" if floor is None else f" when the first score was above {floor:g}"
        rules.append(_at_least(threshold, "percent", better) + above)
    return ", or ".join(rules)
