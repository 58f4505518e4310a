"""A person and their clinician are told the same thing: the dashboard's "needs attention" for leg pain is
the person's own progress signals (:func:`sciatrack.domain.outcomes.signals`), from the same checks and
diary, in a fixed number of queries.

Before, the dashboard compared the first check with the latest one and never read the diary: a person
whose diary showed clearly worse leg pain was told to see a clinician while their clinician saw nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from sciatrack.accounts.models import Clinic, Patient
from sciatrack.domain.outcomes import CLINICIAN_WORDS, SignalKind
from sciatrack.progress.history import progress_of
from web.test_clinic import PASSWORD, clinician
from web.test_progress import NOON, TODAY, check, diary

pytestmark = pytest.mark.django_db

WORSE, SPREADING, NOT_IMPROVING = (
    SignalKind.GETTING_WORSE,
    SignalKind.SPREADING,
    SignalKind.NOT_IMPROVING_6_WEEKS,
)


@dataclass(frozen=True)
class History:
    checks: tuple[tuple[int, int], ...]  # (days ago, leg pain); the first is the baseline
    diary: tuple[tuple[range, int, str], ...] = ()  # (days ago, leg pain, reach)


HISTORIES = {
    # The checks say the same (4, then 4 two days ago); the diary says 7 all week.
    "diary worse, checks not": (History(((21, 4), (2, 4)), ((range(5), 7, "thigh"),)), [WORSE]),
    # The old rule said worse (4, then 7 three weeks ago); this week's diary says 3.
    "checks worse weeks ago, diary better now": (
        History(((35, 4), (21, 7)), ((range(7), 3, "thigh"),)),
        [],
    ),
    "checks worse this week": (History(((21, 4), (2, 7))), [WORSE]),
    "diary spreading": (
        History(((28, 5),), ((range(21, 28), 5, "buttock"), (range(7), 5, "foot"))),
        [SPREADING],
    ),
    # Seven weeks on, with no follow-up check: the diary alone says not improving (the old rule needed two
    # checks six weeks apart).
    "diary not improving at 7 weeks": (History(((49, 6),), ((range(7), 5, "thigh"),)), [NOT_IMPROVING]),
    "checks not improving at 7 weeks": (History(((49, 6), (1, 5))), [NOT_IMPROVING]),
    "better": (History(((49, 6), (1, 3)), ((range(7), 3, "buttock"),)), []),
}


def patient_with(name: str, clinic: Clinic, history: History) -> Patient:
    record = Patient.objects.create(
        user=User.objects.create_user(name, password=PASSWORD), clinic=clinic, display_name=name.title()
    )
    for days_ago, leg in history.checks:
        check(record, TODAY - timedelta(days=days_ago), leg=leg, back=3, sbi=None)
    for days_ago, leg, reach in history.diary:
        diary(record, days_ago, leg=leg, reach=reach)
    return record


def signal_reasons(clinician_client: Client, patient: Patient) -> list[str]:
    """The dashboard's reasons for ``patient`` that are progress signals, in the order shown."""
    response = clinician_client.get("/clinic/")
    assert response.status_code == 200
    (row,) = [row for row in response.context["rows"] if row.patient.pk == patient.pk]
    return [reason for reason in row.reasons if reason in CLINICIAN_WORDS.values()]


@pytest.fixture
def riverside() -> Clinic:
    return Clinic.objects.create(name="Riverside", slug="riverside")


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize("name", list(HISTORIES))
def test_a_patient_and_their_clinician_are_told_the_same_thing(name: str, riverside: Clinic) -> None:
    history, expected = HISTORIES[name]
    alice = patient_with("alice", riverside, history)
    cleo = clinician("cleo", riverside)

    told_patient = progress_of(alice).signals
    assert [signal.kind for signal in told_patient] == expected
    page = Client()
    assert alice.user is not None
    page.force_login(alice.user)
    shown = page.get("/progress/").content.decode()
    assert all(escape(signal.message) in shown for signal in told_patient)

    assert signal_reasons(cleo, alice) == [signal.for_clinician for signal in told_patient]


@time_machine.travel(NOON, tick=False)
def test_the_dashboard_reads_the_diary_in_the_same_number_of_queries_for_more_patients(
    riverside: Clinic,
) -> None:
    cleo = clinician("cleo", riverside)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert cleo.get("/clinic/").status_code == 200
        return len(captured)

    for index in range(3):
        patient_with(f"p{index}", riverside, History(((10, 5),)))  # no diary
    few = queries()
    long_diary = History(((70, 5), (2, 5)), ((range(70), 6, "thigh"),))
    for index in range(3, 12):
        patient_with(f"p{index}", riverside, long_diary if index % 2 else HISTORIES["diary spreading"][0])
    assert queries() == few
    # Seventy days of diary, but only the first and the last week are fetched: all the signals read.
    rows = cleo.get("/clinic/").context["rows"]
    assert max(len(row.patient.signal_diary) for row in rows) == 14
