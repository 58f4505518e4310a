"""Progress over time: the follow-up schedule (with time travel across due dates and clock changes),
change from baseline, responders, recovery, centralization, adherence, signals and the summary sentence."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from sciatrack.content.loader import load_exercises
from sciatrack.content.schema import Dosage, DosageSource, Frequency
from sciatrack.domain.follow_ups import (
    FOLLOW_UP_WEEKS,
    FollowUpStatus,
    follow_up_schedule,
    follow_up_week_for,
    local_today,
    next_follow_up,
)
from sciatrack.domain.outcomes import (
    Assessment,
    DiaryEntry,
    Direction,
    Measure,
    SignalKind,
    SymptomReach,
    Trend,
    centralization_trend,
    current_leg_pain,
    measure_change,
    measure_changes,
    prescribed_sessions_per_week,
    recovered,
    responder_words,
    rule_words,
    signals,
    summary_sentence,
    weekly_adherence,
)
from sciatrack.domain.programs import Program, program_exercise
from sciatrack.domain.scoring import score
from sciatrack.domain.vocabulary import Pattern

BASE = date(2025, 5, 12)  # a Monday
LONDON = ZoneInfo("Europe/London")


def day(n: int) -> date:
    return BASE + timedelta(days=n)


def statuses(today: date, completed: tuple[date, ...] = ()) -> list[str]:
    return [f.status.value for f in follow_up_schedule(BASE, today, completed)]


def diary(reaches: list[SymptomReach], leg: int | None = None, start: int = 0) -> list[DiaryEntry]:
    return [DiaryEntry(day(start + i), leg_pain=leg, reach=reach) for i, reach in enumerate(reaches)]


# --- follow-up schedule -------------------------------------------------------------------------------


def test_it_puts_follow_ups_at_2_6_and_12_weeks_with_a_week_either_side() -> None:
    schedule = follow_up_schedule(BASE, BASE)
    assert [f.week for f in schedule] == list(FOLLOW_UP_WEEKS) == [2, 6, 12]
    assert [f.due_date for f in schedule] == [date(2025, 5, 26), date(2025, 6, 23), date(2025, 8, 4)]
    assert (schedule[0].window_start, schedule[0].window_end) == (date(2025, 5, 19), date(2025, 6, 2))
    assert [f.late_until for f in schedule] == [day(34), day(76), day(84 + 28)]
    assert statuses(BASE) == ["upcoming"] * 3


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (6, ["upcoming", "upcoming", "upcoming"]),
        (7, ["due", "upcoming", "upcoming"]),
        (21, ["due", "upcoming", "upcoming"]),
        (22, ["overdue", "upcoming", "upcoming"]),
        (34, ["overdue", "upcoming", "upcoming"]),
        (35, ["missed", "due", "upcoming"]),
        (50, ["missed", "overdue", "upcoming"]),
        (77, ["missed", "missed", "due"]),
        (92, ["missed", "missed", "overdue"]),
        (113, ["missed", "missed", "missed"]),
    ],
)
def test_it_moves_each_follow_up_through_its_statuses_at_the_window_edges(
    n: int, expected: list[str]
) -> None:
    assert statuses(day(n)) == expected


def test_it_matches_answers_to_their_follow_up_and_ignores_ones_outside_every_window() -> None:
    completed = (day(3), day(16), day(18), day(30), day(120))
    schedule = follow_up_schedule(BASE, day(40), completed)
    assert [f.status for f in schedule] == [FollowUpStatus.DONE, FollowUpStatus.DUE, FollowUpStatus.UPCOMING]
    assert schedule[0].done_on == day(16)  # the first answer in the window counts, not the later ones
    assert follow_up_week_for(BASE, day(3)) is None
    assert follow_up_week_for(BASE, day(30)) == 2  # late, but before the week-6 window opens
    assert follow_up_week_for(BASE, day(120)) is None


def test_it_counts_a_late_answer_and_does_not_count_answers_from_the_future() -> None:
    assert statuses(day(40), (day(28),)) == ["done", "due", "upcoming"]
    assert statuses(day(10), (day(14),)) == ["due", "upcoming", "upcoming"]


def test_it_offers_the_oldest_waiting_follow_up_next_and_none_when_all_are_settled() -> None:
    follow_up = next_follow_up(follow_up_schedule(BASE, day(30)))
    assert follow_up is not None and follow_up.week == 2
    follow_up = next_follow_up(follow_up_schedule(BASE, day(40), (day(14),)))
    assert follow_up is not None and follow_up.week == 6
    follow_up = next_follow_up(follow_up_schedule(BASE, day(1)))
    assert follow_up is not None and follow_up.week == 2
    assert next_follow_up(follow_up_schedule(BASE, day(200), (day(14),))) is None


def test_it_travels_in_time_across_the_due_dates() -> None:
    with time_machine.travel(datetime(2025, 5, 18, 23, 30, tzinfo=LONDON), tick=False) as traveller:
        assert statuses(local_today(LONDON)) == ["upcoming", "upcoming", "upcoming"]
        traveller.move_to(datetime(2025, 5, 19, 0, 30, tzinfo=LONDON))
        assert statuses(local_today(LONDON)) == ["due", "upcoming", "upcoming"]
        traveller.shift(timedelta(days=15))  # day 22: the week-2 window has closed
        assert statuses(local_today(LONDON)) == ["overdue", "upcoming", "upcoming"]
        traveller.shift(timedelta(days=13))  # day 35: the week-6 window opens
        assert statuses(local_today(LONDON)) == ["missed", "due", "upcoming"]


def test_it_keeps_due_dates_on_the_calendar_across_the_spring_clock_change() -> None:
    baseline = date(2025, 3, 16)  # the clocks go forward in London on 30 March 2025, the 2-week due date
    [week_2, *_] = follow_up_schedule(baseline, baseline)
    assert week_2.due_date == date(2025, 3, 30)
    # 23:30 UTC on 30 March is already 00:30 on 31 March in London (summer time).
    with time_machine.travel(datetime(2025, 3, 30, 23, 30, tzinfo=UTC), tick=False):
        assert local_today("Europe/London") == date(2025, 3, 31)
        assert datetime.now(UTC).date() == date(2025, 3, 30)
    # A baseline taken just after midnight in winter time, plus two weeks of datetime arithmetic, would
    # land at 01:30 summer time; the date does not move.
    started = datetime(2025, 3, 16, 0, 30, tzinfo=LONDON)
    assert (started + timedelta(weeks=2)).date() == week_2.due_date


def test_it_keeps_due_dates_on_the_calendar_across_the_autumn_clock_change() -> None:
    baseline = date(2025, 10, 12)  # the clocks go back on 26 October 2025, the 2-week due date
    with time_machine.travel(datetime(2025, 10, 25, 23, 30, tzinfo=UTC), tick=False) as traveller:
        # 23:30 UTC on the 25th is 00:30 summer time on the 26th in London.
        today = local_today("Europe/London")
        assert today == date(2025, 10, 26)
        assert follow_up_schedule(baseline, today)[0].due_date == today
        traveller.shift(timedelta(hours=24))  # 23:30 UTC on the 26th is 23:30 winter time, still the 26th
        assert local_today("Europe/London") == date(2025, 10, 26)


def test_it_reads_a_naive_now_as_utc() -> None:
    assert local_today("Europe/London", datetime(2025, 7, 1, 23, 30)) == date(2025, 7, 2)
    assert local_today("Europe/London", datetime(2025, 1, 1, 23, 30)) == date(2025, 1, 1)


# --- change from baseline and responders --------------------------------------------------------------


def test_it_reports_a_leg_pain_responder_by_points_or_by_percent() -> None:
    baseline = Assessment(BASE, leg_pain=7, back_pain=4)
    change = measure_change(Measure.LEG_PAIN, baseline, [Assessment(day(14), leg_pain=5)])
    assert (change.baseline, change.latest, change.change) == (7, 5, -2)
    assert change.percent_change == pytest.approx(-28.57, abs=0.01)
    assert change.responder is True and change.direction is Direction.BETTER
    assert change.by == ("points",)  # 29%: not by percent
    by_both = measure_change(
        Measure.LEG_PAIN, Assessment(BASE, leg_pain=10), [Assessment(day(14), leg_pain=7)]
    )
    assert by_both.responder is True and by_both.by == ("points", "percent")  # 3 points, 30%
    small = measure_change(Measure.LEG_PAIN, Assessment(BASE, leg_pain=8), [Assessment(day(14), leg_pain=7)])
    assert small.responder is False and small.worsened is False and small.direction is Direction.BETTER


@pytest.mark.parametrize(
    ("first", "latest", "by"),
    [
        (3, 1, ("points",)),  # 67%, but a first rating of 3 or less counts by points only
        (3, 2, ()),  # 33%, 1 point
        (2, 1, ()),  # 50%, 1 point
        (1, 0, ()),  # 100%, 1 point
        (2, 0, ("points",)),
        (4, 2, ("points", "percent")),  # above 3, percent counts again
    ],
)
def test_a_first_leg_pain_of_3_or_less_needs_2_points(first: int, latest: int, by: tuple[str, ...]) -> None:
    change = measure_change(
        Measure.LEG_PAIN, Assessment(BASE, leg_pain=first), [Assessment(day(14), leg_pain=latest)]
    )
    assert (change.responder, change.by) == (bool(by), by)


@pytest.mark.parametrize(
    ("measure", "first", "latest", "words"),
    [
        (Measure.LEG_PAIN, 7, 5, "yes: at least 2 points lower"),
        (Measure.LEG_PAIN, 10, 7, "yes: at least 2 points lower and at least 30% lower"),
        (Measure.LEG_PAIN, 3, 1, "yes: at least 2 points lower"),
        (Measure.LEG_PAIN, 2, 1, "no"),
        (Measure.LEG_PAIN, 4, 7, "no, worse: at least 2 points higher and at least 30% higher"),
        (Measure.SBI, 20, 14, "yes: at least 30% lower"),
        (Measure.PEG, 5, 4, "yes: at least 1 point lower"),
        (Measure.PSFS, 4, 6.3, "yes: at least 2.3 points higher"),  # higher is better
    ],
)
def test_it_says_which_rule_made_each_responder(
    measure: Measure, first: float, latest: float, words: str
) -> None:
    change = measure_change(
        measure, Assessment(BASE, **{measure.value: first}), [Assessment(day(14), **{measure.value: latest})]
    )
    assert responder_words(change) == change.responder_text == words


def test_it_says_unknown_without_a_follow_up() -> None:
    assert responder_words(measure_change(Measure.LEG_PAIN, Assessment(BASE, leg_pain=6), [])) == "unknown"


def test_it_puts_each_responder_rule_in_words_from_the_content() -> None:
    assert rule_words(Measure.LEG_PAIN) == (
        "at least 2 points lower, or at least 30% lower when the first score was above 3"
    )
    assert rule_words(Measure.SBI) == "at least 30% lower"
    assert rule_words(Measure.PSFS) == "at least 2.3 points higher"


def test_it_uses_the_latest_follow_up_that_answered_each_measure() -> None:
    baseline = Assessment(BASE, leg_pain=6, sbi=14, peg=6, psfs=3)
    follow_ups = [
        Assessment(day(84), leg_pain=1),  # out of order on purpose; only leg pain answered
        Assessment(day(14), leg_pain=5, sbi=12, peg=5.33, psfs=4),
        Assessment(day(42), leg_pain=3, sbi=9, psfs=6),
    ]
    changes = {c.measure: c for c in measure_changes(baseline, follow_ups)}
    assert (changes[Measure.LEG_PAIN].latest, changes[Measure.LEG_PAIN].latest_day) == (1, day(84))
    assert (changes[Measure.SBI].latest, changes[Measure.SBI].responder) == (9, True)  # 36% down
    assert changes[Measure.PEG].latest == 5.33 and changes[Measure.PEG].responder is False  # 0.67 points
    psfs = changes[Measure.PSFS]
    assert psfs.change == 3 and psfs.responder is True and psfs.direction is Direction.BETTER  # up is better
    assert changes[Measure.BACK_PAIN].direction is Direction.UNKNOWN  # no baseline value


def test_it_judges_psfs_going_down_as_worse() -> None:
    change = measure_change(Measure.PSFS, Assessment(BASE, psfs=6), [Assessment(day(14), psfs=3)])
    assert change.direction is Direction.WORSE and change.worsened is True and change.responder is False


def test_it_cannot_judge_change_without_a_baseline_or_a_follow_up() -> None:
    no_baseline = measure_change(Measure.LEG_PAIN, None, [Assessment(day(14), leg_pain=2)])
    assert no_baseline.responder is None and no_baseline.change is None
    assert no_baseline.direction is Direction.UNKNOWN and no_baseline.latest == 2
    missing = measure_change(Measure.LEG_PAIN, Assessment(BASE, leg_pain=6), [])
    assert (missing.responder, missing.worsened, missing.latest, missing.percent_change) == (
        None,
        None,
        None,
        None,
    )
    before = measure_change(Measure.LEG_PAIN, Assessment(BASE, leg_pain=6), [Assessment(BASE, leg_pain=1)])
    assert before.latest is None  # a "follow-up" on the baseline day is not one


def test_it_gives_no_percent_from_a_baseline_of_zero() -> None:
    change = measure_change(Measure.LEG_PAIN, Assessment(BASE, leg_pain=0), [Assessment(day(14), leg_pain=3)])
    assert change.percent_change is None and change.worsened is True


def test_it_builds_an_assessment_from_questionnaire_scores() -> None:
    scores = [
        score("nprs", {"leg_now": 7, "back_now": 3}),
        score("sbi", {"leg_pain": 5, "numbness_tingling": 3, "weakness": 1, "sitting_pain": 4}),
        score("peg", {"pain": 6, "enjoyment": 5, "activity": 5}),
        score("psfs", [{"activity": "walking", "score": 4}, {"activity": "sitting", "score": 3}]),
    ]
    assert Assessment.from_scores(BASE, scores) == Assessment(
        BASE, leg_pain=7, back_pain=3, sbi=13, peg=5.33, psfs=3.5
    )


@given(
    baseline=st.integers(0, 10),
    better=st.integers(0, 10),
    worse=st.integers(0, 10),
)
def test_it_never_calls_a_lower_leg_pain_less_of_a_response_than_a_higher_one(
    baseline: int, better: int, worse: int
) -> None:
    low, high = sorted((better, worse))

    def responds(latest: int) -> bool | None:
        return measure_change(
            Measure.LEG_PAIN, Assessment(BASE, leg_pain=baseline), [Assessment(day(14), leg_pain=latest)]
        ).responder

    assert responds(high) is not None
    if responds(high):
        assert responds(low)
    if low >= baseline:
        assert responds(low) is False


# --- recovery -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("leg", "expected"), [(0, True), (1, True), (1.5, False), (2, False), (10, False)])
def test_it_counts_leg_pain_of_0_or_1_as_recovered(leg: float, expected: bool) -> None:
    assert recovered(leg) is expected


@pytest.mark.parametrize("leg", [-1, 11, True])
def test_it_refuses_a_leg_pain_outside_the_scale(leg: float) -> None:
    with pytest.raises(ValueError, match="0 to 10"):
        recovered(leg)


# --- centralization -----------------------------------------------------------------------------------

R = SymptomReach


def test_it_orders_the_reach_from_none_to_the_foot() -> None:
    assert [r.depth for r in (R.NONE, R.BACK, R.BUTTOCK, R.THIGH, R.BELOW_KNEE, R.FOOT)] == [0, 1, 2, 3, 4, 5]


def test_it_sees_symptoms_retreating_toward_the_spine_as_centralizing() -> None:
    entries = diary([R.FOOT] * 7 + [R.BELOW_KNEE] * 3 + [R.THIGH] * 2 + [R.BUTTOCK] * 2)
    assert centralization_trend(entries) is Trend.CENTRALIZING


def test_it_sees_symptoms_spreading_down_the_leg_as_peripheralizing() -> None:
    entries = diary([R.BUTTOCK] * 7 + [R.THIGH] * 7)
    assert (
        centralization_trend(reversed(entries)) is Trend.PERIPHERALIZING
    )  # order of entries does not matter


def test_it_does_not_let_one_bad_day_make_a_trend() -> None:
    entries = diary([R.THIGH] * 7 + [R.THIGH] * 6 + [R.FOOT])
    assert centralization_trend(entries) is Trend.STABLE


def test_it_needs_two_separate_weeks_with_enough_entries_for_a_trend() -> None:
    assert centralization_trend([]) is Trend.UNKNOWN
    assert centralization_trend(diary([R.FOOT] * 7 + [R.BACK] * 6)) is Trend.UNKNOWN  # 13 days
    sparse = [
        DiaryEntry(day(0), reach=R.FOOT),
        DiaryEntry(day(1), reach=R.FOOT),
        *diary([R.BACK] * 7, start=7),
    ]
    assert centralization_trend(sparse) is Trend.UNKNOWN  # only 2 entries in the first week
    no_reach = diary([R.FOOT] * 7, start=0) + [DiaryEntry(day(7 + i), leg_pain=2) for i in range(7)]
    assert centralization_trend(no_reach) is Trend.UNKNOWN


# --- adherence ----------------------------------------------------------------------------------------


def program_of(*dosages: Dosage) -> Program:
    exercise = load_exercises()["glute-activation"]
    return Program(tuple(program_exercise(exercise, d) for d in dosages), (), Pattern.EXTENSION_BIASED)


def dosage(frequency: Frequency, times: int | None = None) -> Dosage:
    return Dosage(reps=10, frequency=frequency, times_per_day=times, dosage_source=DosageSource.PROJECT)


def test_it_prescribes_sessions_by_the_exercise_asked_for_most_often() -> None:
    twice, three = dosage(Frequency.TIMES_PER_DAY, 2), dosage(Frequency.TIMES_PER_DAY, 3)
    hourly = dosage(Frequency.EVERY_WAKING_HOUR)
    assert prescribed_sessions_per_week(program_of(twice, three, hourly)) == 21
    assert prescribed_sessions_per_week(program_of(hourly)) == 7
    assert prescribed_sessions_per_week(program_of()) == 0
    assert prescribed_sessions_per_week(None) == 0


def test_it_counts_sessions_week_by_week_and_caps_each_day() -> None:
    sessions = [day(0), day(0), day(0), day(1), day(3), day(7), day(8), day(-1), day(30)]
    weeks = weekly_adherence(sessions, 7, BASE, day(9))
    assert [(w.week_start, w.days, w.done, w.prescribed) for w in weeks] == [
        (day(0), 7, 3, 7),
        (day(7), 3, 2, 3),
    ]
    assert weeks[0].ratio == pytest.approx(3 / 7)
    assert weeks[1].ratio == pytest.approx(2 / 3)


def test_it_allows_several_sessions_a_day_when_prescribed() -> None:
    weeks = weekly_adherence([day(0)] * 3 + [day(1)] * 2, 14, BASE, day(6))
    assert (weeks[0].done, weeks[0].prescribed) == (4, 14)  # day 0 counts 2 of its 3


def test_it_has_no_weeks_before_the_start_and_no_ratio_without_a_prescription() -> None:
    assert weekly_adherence([day(0)], 7, BASE, day(-1)) == []
    [week] = weekly_adherence([day(0)], 0, BASE, day(2))
    assert (week.done, week.prescribed, week.ratio) == (0, 0, None)
    with pytest.raises(ValueError, match="negative"):
        weekly_adherence([], -1, BASE, day(2))


# --- signals ------------------------------------------------------------------------------------------


def kinds(found: list) -> list[SignalKind]:
    return [s.kind for s in found]


def test_it_says_getting_worse_when_last_weeks_leg_pain_is_up_by_2_points() -> None:
    baseline = Assessment(BASE, leg_pain=4)
    worse = [DiaryEntry(day(20 + i), leg_pain=p) for i, p in enumerate([6, 6, 6])]  # exactly 2 up
    found = signals(baseline, [], worse, day(22))
    assert kinds(found) == [SignalKind.GETTING_WORSE]
    assert found[0].see_clinician and "clinician" in found[0].message
    slightly = [DiaryEntry(day(20 + i), leg_pain=p) for i, p in enumerate([5, 6, 6])]  # up 1.67
    assert signals(baseline, [], slightly, day(22)) == []


def test_it_does_not_call_a_low_baseline_worse_on_percent_alone() -> None:
    ratings = [DiaryEntry(day(20 + i), leg_pain=2) for i in range(3)]  # 1 -> 2 is 100%, but only 1 point
    assert signals(Assessment(BASE, leg_pain=1), [], ratings, day(22)) == []


def test_it_falls_back_to_a_recent_follow_up_when_the_diary_is_thin() -> None:
    follow_ups = [Assessment(day(14), leg_pain=7)]
    assert current_leg_pain([DiaryEntry(day(14), leg_pain=1)], follow_ups, day(16)) == 7
    assert current_leg_pain([], follow_ups, day(21)) is None  # 8 days old: too old to be "now"
    assert kinds(signals(Assessment(BASE, leg_pain=4), follow_ups, [], day(16))) == [SignalKind.GETTING_WORSE]


def test_it_says_spreading_from_the_diary_even_without_a_baseline() -> None:
    entries = diary([R.BUTTOCK] * 7 + [R.BELOW_KNEE] * 7)
    assert kinds(signals(None, [], entries, day(13))) == [SignalKind.SPREADING]
    assert signals(None, [], entries, day(12)) == []  # the last day is not in yet


def test_it_says_not_improving_only_from_6_weeks_on() -> None:
    baseline = Assessment(BASE, leg_pain=6)
    follow_ups = [Assessment(day(40), leg_pain=5)]
    assert signals(baseline, follow_ups, [], day(41)) == []
    with time_machine.travel(datetime(2025, 6, 23, 9, 0, tzinfo=LONDON), tick=False):
        today = local_today(LONDON)
        assert today == day(42)
        found = signals(baseline, follow_ups, [], today)
    assert kinds(found) == [SignalKind.NOT_IMPROVING_6_WEEKS]
    assert "6 weeks" in found[0].message and found[0].see_clinician


def test_it_does_not_say_not_improving_to_a_responder_or_without_a_recent_score() -> None:
    baseline = Assessment(BASE, leg_pain=6)
    assert signals(baseline, [Assessment(day(42), leg_pain=4)], [], day(45)) == []
    assert signals(baseline, [Assessment(day(14), leg_pain=6)], [], day(45)) == []  # missing 6-week answer
    assert signals(None, [Assessment(day(42), leg_pain=6)], [], day(45)) == []  # no baseline


def test_it_gives_getting_worse_instead_of_not_improving() -> None:
    found = signals(Assessment(BASE, leg_pain=4), [Assessment(day(44), leg_pain=7)], [], day(45))
    assert kinds(found) == [SignalKind.GETTING_WORSE]


# --- summary ------------------------------------------------------------------------------------------


def test_it_sums_up_a_change_in_one_plain_sentence() -> None:
    baseline = Assessment(BASE, leg_pain=7, back_pain=3, psfs=4)
    follow_ups = [Assessment(day(42), leg_pain=3, back_pain=3, psfs=6.5)]
    changes = {c.measure: c for c in measure_changes(baseline, follow_ups)}
    today = day(45)
    assert summary_sentence(changes[Measure.LEG_PAIN], today) == "Leg pain down from 7 to 3 since 12 May."
    assert summary_sentence(changes[Measure.BACK_PAIN], today) == "Back pain unchanged at 3 since 12 May."
    assert summary_sentence(changes[Measure.PSFS], today) == "Activity score up from 4 to 6.5 since 12 May."
    assert summary_sentence(changes[Measure.SBI], today) == "Sciatica bother score: no starting score yet."
    assert summary_sentence(changes[Measure.LEG_PAIN], date(2026, 1, 5)).endswith("since 12 May 2025.")


def test_it_says_when_there_is_no_check_in_yet() -> None:
    change = measure_change(Measure.LEG_PAIN, Assessment(BASE, leg_pain=7), [])
    assert summary_sentence(change, day(3)) == "Leg pain was 7 on 12 May; no check-in since then yet."
