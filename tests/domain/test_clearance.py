"""The two version-2 rules of the program contract (section 3) that let the exercises come back:

- clearance: who may clear which result, and what a clearance covers;
- the stop that sticks: an exercise stopped because the pain spread stays out until a clinician clears it
  to resume, or a new full check at least 7 days later allows it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from sciatrack.domain import stops
from sciatrack.domain.clearance import (
    Clearance,
    ClearedBy,
    allows_exercise,
    covers,
    places_cleared_by,
    seen_on_problem,
    who_may_clear,
)
from sciatrack.domain.intake import parse_intake
from sciatrack.domain.programs import build_program
from sciatrack.domain.session_log import ExerciseStatus, SymptomMovement
from sciatrack.domain.triage import triage
from sciatrack.domain.vocabulary import Where
from vignettes import vignette_answers

# Clearance -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "who"),
    [
        (Where.EMERGENCY_DEPARTMENT_NOW, set()),
        (Where.EMERGENCY_DEPARTMENT_TODAY, set()),
        (Where.DOCTOR_TODAY, {ClearedBy.CLINICIAN}),
        (Where.DOCTOR_WITHIN_DAYS, {ClearedBy.CLINICIAN, ClearedBy.PERSON}),
        (Where.CLINICIAN_REVIEW, set()),  # exercise is allowed already: nothing to clear
        (Where.HOME_PROGRAM, set()),
    ],
)
def test_who_may_clear_each_place_is_the_contracts_list(where: Where, who: set[ClearedBy]) -> None:
    assert who_may_clear(where) == who


def test_the_places_each_may_clear_follow_the_same_rule() -> None:
    assert places_cleared_by(ClearedBy.CLINICIAN) == (Where.DOCTOR_TODAY, Where.DOCTOR_WITHIN_DAYS)
    assert places_cleared_by(ClearedBy.PERSON) == (Where.DOCTOR_WITHIN_DAYS,)


def result_of(name: str) -> tuple[Where, frozenset[str]]:
    result = triage(parse_intake(vignette_answers(name)))
    return result.where, frozenset(rule.id for rule in result.matched)


def test_a_clearance_covers_only_the_rules_matched_when_it_was_given() -> None:
    where, rules = result_of("fever-alone")
    assert where is Where.DOCTOR_TODAY
    given = Clearance(ClearedBy.CLINICIAN, where, rules)
    assert covers(given, where, rules)
    assert allows_exercise(where, rules, given)
    # A new rule since (a leg getting weaker, say) is not covered.
    assert not covers(given, where, rules | {"urgent.progressive-weakness"})
    assert not allows_exercise(where, rules | {"urgent.progressive-weakness"}, given)
    # Nor is a place nobody may clear, even with the same rules.
    assert not covers(given, Where.EMERGENCY_DEPARTMENT_TODAY, rules)
    assert not allows_exercise(where, rules, None)


def test_a_persons_own_clearance_never_covers_a_result_for_a_doctor_today() -> None:
    where, rules = result_of("cancer-history")
    assert where is Where.DOCTOR_TODAY
    own = Clearance(ClearedBy.PERSON, where, rules)
    assert not covers(own, where, rules)
    soon_where, soon_rules = result_of("recent-spinal-injection-soon")
    assert soon_where is Where.DOCTOR_WITHIN_DAYS
    assert covers(Clearance(ClearedBy.PERSON, soon_where, soon_rules), soon_where, soon_rules)


@pytest.mark.parametrize("name", ["cauda-equina-bladder", "major-trauma-emergency-department-today"])
def test_no_clearance_ever_covers_an_emergency_department_result(name: str) -> None:
    where, rules = result_of(name)
    for by in ClearedBy:
        assert not covers(Clearance(by, where, rules), where, rules)


def test_a_cleared_result_gets_the_program_its_answers_give_and_only_then() -> None:
    answers = parse_intake(vignette_answers("recent-spinal-injection-soon"))
    assert build_program(answers) is None  # the default is unchanged: a held result has no program
    where, rules = result_of("recent-spinal-injection-soon")
    program = build_program(answers, clearance=Clearance(ClearedBy.PERSON, where, rules))
    assert program is not None and program.exercises
    # A clearance that does not cover the result (another check's rules) builds nothing.
    other = Clearance(ClearedBy.PERSON, where, frozenset({"soon.anticoagulants"}))
    assert build_program(answers, clearance=other) is None
    emergency = parse_intake(vignette_answers("cauda-equina-bladder"))
    e_where, e_rules = result_of("cauda-equina-bladder")
    assert build_program(emergency, clearance=Clearance(ClearedBy.CLINICIAN, e_where, e_rules)) is None


def test_the_day_seen_is_not_before_the_check_nor_after_today() -> None:
    check, today = date(2026, 5, 4), date(2026, 5, 10)
    assert seen_on_problem(check, check, today) is None
    assert seen_on_problem(today, check, today) is None
    before = seen_on_problem(check - timedelta(days=1), check, today)
    assert before is not None and "4 May 2026" in before
    future = seen_on_problem(today + timedelta(days=1), check, today)
    assert future is not None and "not after today" in future


# The stop that sticks ------------------------------------------------------------------------------

MONDAY = datetime(2026, 5, 4, 18, 30, tzinfo=UTC)


def spread(exercise: str = "lift-off", at: datetime = MONDAY) -> stops.Stop:
    return stops.Stop(exercise, at, ExerciseStatus.STOPPED, SymptomMovement.SPREAD_DOWN)


def test_only_a_stop_because_the_pain_spread_sticks() -> None:
    danger = stops.Stop("lift-off", MONDAY, ExerciseStatus.STOPPED, SymptomMovement.RED_FLAG)
    by_hand = stops.Stop("lift-off", MONDAY, ExerciseStatus.STOPPED, None)  # Ctrl-C in the terminal
    done = stops.Stop("lift-off", MONDAY, ExerciseStatus.DONE, SymptomMovement.SPREAD_DOWN)
    assert stops.kept_out([danger, by_hand, done], [], []) == {}
    assert set(stops.kept_out([spread()], [], [])) == {"lift-off"}


def test_a_stop_stays_past_midnight_and_until_a_check_7_days_later() -> None:
    assert stops.RECHECK_AFTER_DAYS == 7
    kept = stops.kept_out([spread()], [], [])["lift-off"]
    assert kept.recheck_from == date(2026, 5, 11)
    # A check on the same day, the next day or 6 days later does not bring it back.
    for days in (0, 1, 6):
        assert "lift-off" in stops.kept_out([spread()], [], [MONDAY.date() + timedelta(days=days)])
    # A full check 7 days later (or more) does.
    assert stops.kept_out([spread()], [], [date(2026, 5, 11)]) == {}
    assert stops.kept_out([spread()], [], [date(2026, 6, 1)]) == {}


def test_a_clinicians_clear_to_resume_releases_only_the_stops_before_it() -> None:
    cleared = stops.ResumeClearance("lift-off", MONDAY + timedelta(hours=20))
    assert stops.kept_out([spread()], [cleared], []) == {}
    # Another exercise is not released by it.
    assert set(stops.kept_out([spread(), spread("hip-holds")], [cleared], [])) == {"hip-holds"}
    # A new stop after the clearance sticks again, from its own day.
    again = spread(at=MONDAY + timedelta(days=2))
    kept = stops.kept_out([spread(), again], [cleared], [])
    assert kept["lift-off"].stopped_on == date(2026, 5, 6)
    assert kept["lift-off"].recheck_from == date(2026, 5, 13)


def test_the_latest_stop_counts_for_the_7_days() -> None:
    later = spread(at=MONDAY + timedelta(days=5))
    assert "lift-off" in stops.kept_out([spread(), later], [], [date(2026, 5, 11)])
    assert stops.kept_out([spread(), later], [], [date(2026, 5, 16)]) == {}


def test_the_person_is_told_exactly_the_rule_with_its_dates() -> None:
    kept = stops.kept_out([spread()], [], [])["lift-off"]
    assert "4 May 2026" in kept.reason
    assert "until a clinician says you can start it again" in kept.reason
    assert "new full check on or after 11 May 2026" in kept.reason
    assert "Book a review" in kept.reason
    assert "4 May 2026" in kept.for_clinician
