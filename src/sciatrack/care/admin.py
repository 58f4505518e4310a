import json
from datetime import UTC, datetime
from typing import Any

from django.contrib import admin
from django.db.models import Case, DateTimeField, F, QuerySet, TextField, When
from django.db.models.functions import Cast
from django.http import HttpRequest

from .models import Clearance, DiaryEntry, Intake, ResumeClearance, SafetyUpdate, SessionLog
from .quarantine import quarantined, shown

# Moments Python's datetime holds in any time zone. PostgreSQL keeps times outside (year 0, year 10000
# in UTC), which a quarantined session log may have: those are shown as the database writes them.
READABLE_MOMENTS = (datetime(2, 1, 1, tzinfo=UTC), datetime(9998, 12, 31, tzinfo=UTC))


class QuarantineFilter(admin.SimpleListFilter):
    """Rows stored before today's input rules that those rules refuse (see sciatrack.care.quarantine)."""

    title = "quarantine"
    parameter_name = "quarantined"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Quarantined: kept, left out of pages"), ("no", "Shown on pages")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "yes":
            return quarantined(queryset)
        if self.value() == "no":
            return shown(queryset)
        return queryset


class SeesQuarantined(admin.ModelAdmin[Any]):
    """Lists every row, quarantined ones too: the pages leave them out, so the site admin is where they
    are found (the default manager hides them; ``all_objects`` does not)."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset: QuerySet[Any] = self.model.all_objects.get_queryset()
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset


@admin.register(Intake)
class IntakeAdmin(SeesQuarantined):
    list_display = (
        "created",
        "patient",
        "current_tier",
        "where",
        "advice_raised",
        "content_version",
        "quarantine_reason",
    )
    list_filter = (QuarantineFilter, "current_tier", "where", "advice_raised")
    search_fields = ("patient__display_name", "uuid")
    readonly_fields = (
        "uuid",
        "patient",
        "answers",
        "result",
        "tier",
        "current_result",
        "current_tier",
        "where",
        "advice_raised",
        "measures",
        "content_version",
        "created",
        "quarantine_reason",
    )
    date_hierarchy = "created"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Intakes come from the check itself; a hand-made one would have no real triage behind it.
        return False


# The times of a log, shown through the methods below rather than read as fields: they may not load.
MOMENTS = ("started_at", "finished_at")
SHOWN_INSTEAD = {"started_at": "started", "finished_at": "finished", "exercises": "exercises_as_stored"}


@admin.register(SessionLog)
class SessionLogAdmin(SeesQuarantined):
    """Session logs as the guide reported them; the review filter finds stopped exercises and red flags,
    the quarantine filter the logs kept out of pages."""

    list_display = (
        "started",
        "patient",
        "pain_before",
        "pain_after",
        "ended_early",
        "needs_review",
        "quarantine_reason",
    )
    # By period rather than by a date hierarchy, which would read the earliest and latest times stored,
    # and a quarantined log's may not load.
    list_filter = (QuarantineFilter, ("started_at", admin.DateFieldListFilter), "needs_review", "ended_early")
    search_fields = ("patient__display_name", "uuid")
    readonly_fields = [SHOWN_INSTEAD.get(field.name, field.name) for field in SessionLog._meta.fields]
    fields = tuple(readonly_fields)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        """Every log, its times left unloaded: each comes as a time when Python can hold it (else null),
        and as the database's own text of it."""
        times: dict[str, Any] = {}
        for name in MOMENTS:
            readable = When(**{f"{name}__range": READABLE_MOMENTS}, then=F(name))
            times[f"{name}_readable"] = Case(readable, default=None, output_field=DateTimeField())
            times[f"{name}_as_stored"] = Cast(name, TextField())
        queryset = SessionLog.all_objects.defer(*MOMENTS).annotate(**times)
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    @admin.display(description="started at", ordering="started_at")
    def started(self, log: Any) -> Any:
        return log.started_at_readable or log.started_at_as_stored

    @admin.display(description="finished at", ordering="finished_at")
    def finished(self, log: Any) -> Any:
        return log.finished_at_readable or log.finished_at_as_stored

    @admin.display(description="exercises")
    def exercises_as_stored(self, log: SessionLog) -> str:
        # Escaped as JSON writes it: a quarantined log may hold characters no page can encode.
        return json.dumps(log.exercises, indent=1)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A log records what happened; nobody edits it after the fact.
        return False


@admin.register(DiaryEntry)
class DiaryEntryAdmin(SeesQuarantined):
    list_display = ("day", "patient", "leg_pain", "back_pain", "reach", "sleep", "quarantine_reason")
    list_filter = (QuarantineFilter, "reach")
    search_fields = ("patient__display_name",)
    readonly_fields = [field.name for field in DiaryEntry._meta.fields]
    date_hierarchy = "day"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The diary is the person's own account of their days.
        return False


class RecordOnlyAdmin(admin.ModelAdmin[Any]):
    """Safety records are made by the person or their clinician in the app, never by hand: read only."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SafetyUpdate)
class SafetyUpdateAdmin(RecordOnlyAdmin):
    list_display = ("created", "patient", "source", "tier", "where")
    list_filter = ("source", "tier", "where")
    search_fields = ("patient__display_name", "uuid")
    date_hierarchy = "created"


@admin.register(Clearance)
class ClearanceAdmin(RecordOnlyAdmin):
    list_display = ("created", "intake", "by", "by_name", "where", "seen_on")
    list_filter = ("by", "where")
    date_hierarchy = "created"


@admin.register(ResumeClearance)
class ResumeClearanceAdmin(RecordOnlyAdmin):
    list_display = ("created", "patient", "exercise_id", "by_name", "stopped_at")
    date_hierarchy = "created"
