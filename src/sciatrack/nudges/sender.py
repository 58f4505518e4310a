"""``sciatrack reminders send``: every reminder due now, each slot on each channel at most once.

Safe to run every minute and twice at once. For each person who wants reminders, the slots due now on
their wall clock (:mod:`.slots`) give the reminders wanted: today's exercises (only while their program
allows exercise, asked of the check as every page asks it, and not once a session was logged that day),
the diary (not once that day's entry is in) and, at the first time of the day, a follow-up that is due
(once per follow-up). Each is inserted as a delivery under its unique constraint before it is sent;
a runner whose insert fails skips it. A failed try is retried later with back-off (``managers.backoff``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from sciatrack.care.models import DiaryEntry, Intake, SessionLog
from sciatrack.domain.follow_ups import FollowUpStatus
from sciatrack.progress.history import progress_of

from .models import Channel, Delivery, Kind, PushSubscription, ReminderPreference
from .outbound import Outcome, send_email, send_push
from .slots import slots_due, zone_or_none
from .vapid import vapid_keys

# A follow-up's reminder is keyed by its due date and this time, so changing one's times never sends a
# second reminder for the same follow-up.
FOLLOW_UP_SLOT = time(0, 0)
WAITING = (FollowUpStatus.DUE, FollowUpStatus.OVERDUE)


@dataclass
class SendReport:
    sent: int = 0
    retry_later: int = 0  # failed this time; tried again after a wait, or given up after the last try
    dropped: int = 0  # nothing to send it to, or no longer wanted (the program was paused meanwhile)
    skipped: int = 0  # another runner has it

    def count(self, outcome: Outcome) -> None:
        if outcome.status == "sent":
            self.sent += 1
        elif outcome.status == "pending":
            self.retry_later += 1
        else:
            self.dropped += 1


def exercise_allowed(patient_id: int) -> bool:
    """Whether the person has a program with exercises that their newest check lets them do now."""
    intake, program = Intake.objects.newest_with_program(patient_id)
    return intake is not None and program is not None and bool(program.exercises) and intake.allows_exercise


def _local_day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)


def wanted(choice: ReminderPreference, day: date, at: time, zone: ZoneInfo) -> list[tuple[str, date, time]]:
    """The reminders (kind, local date, slot time) one due slot asks for."""
    patient_id = choice.patient_id
    kinds: list[tuple[str, date, time]] = []
    if choice.for_session and exercise_allowed(patient_id):
        start, end = _local_day_bounds(day, zone)
        if not SessionLog.objects.filter(
            patient_id=patient_id, started_at__gte=start, started_at__lt=end
        ).exists():
            kinds.append((Kind.SESSION, day, at))
    if choice.for_diary and not DiaryEntry.objects.filter(patient_id=patient_id, day=day).exists():
        kinds.append((Kind.DIARY, day, at))
    if at == choice.first_time:
        follow_up = progress_of(choice.patient, today=day).next_due
        if follow_up is not None and follow_up.status in WAITING:
            kinds.append((Kind.FOLLOW_UP, follow_up.due_date, FOLLOW_UP_SLOT))
    return kinds


def channels(choice: ReminderPreference) -> list[str]:
    found: list[str] = []
    if choice.by_email and choice.email_confirmed:
        found.append(Channel.EMAIL)
    if (
        choice.by_push
        and vapid_keys() is not None
        and PushSubscription.objects.filter(patient_id=choice.patient_id).exists()
    ):
        found.append(Channel.PUSH)
    return found


def attempt(delivery: Delivery, now: datetime, report: SendReport) -> None:
    """One try of ``delivery``, unless another runner took this try first."""
    if not Delivery.objects.claim_attempt(delivery, now):
        report.skipped += 1
        return
    choice = ReminderPreference.objects.filter(patient_id=delivery.patient_id).first()
    if choice is None:
        outcome = Outcome("dropped", "reminders were turned off")
    elif delivery.kind == Kind.SESSION and not exercise_allowed(delivery.patient_id):
        outcome = Outcome("dropped", "the program is paused")
    elif delivery.channel == Channel.EMAIL:
        outcome = send_email(choice, delivery.kind)
    elif choice.by_push:
        outcome = send_push(delivery.patient_id, delivery.kind)
    else:
        outcome = Outcome("dropped", "push was turned off")
    Delivery.objects.finish(delivery, outcome.status, now, outcome.error)
    report.count(outcome)


def send_due(now: datetime | None = None) -> SendReport:
    """Send every reminder due at ``now`` (default: this moment) and every retry whose wait is over."""
    now = now or timezone.now()
    report = SendReport()
    for choice in ReminderPreference.objects.wanting_reminders():
        zone = zone_or_none(choice.time_zone)
        ways = channels(choice)
        if zone is None or not ways:
            continue
        times = [at for at in (choice.first_time, choice.second_time) if at is not None]
        for day, at in slots_due(times, zone, choice.quiet_weekdays, now):
            if Delivery.objects.filter(patient_id=choice.patient_id, local_date=day, slot_time=at).exists():
                continue  # handled by an earlier run (a quick look; the unique insert is the guarantee)
            for kind, local_date, slot in wanted(choice, day, at, zone):
                for channel in ways:
                    delivery = Delivery.objects.claim_slot(
                        choice.patient_id, kind, channel, local_date, slot, now
                    )
                    if delivery is None:
                        report.skipped += 1
                        continue
                    attempt(delivery, now, report)
    for delivery in Delivery.objects.retries_due(now):
        attempt(delivery, now, report)
    return report
