from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.models import User
from django.http import HttpRequest

from .models import Clearance, DiaryEntry, Intake, Program, ResumeClearance, SafetyUpdate, SessionLog
from .program_changes import change_program
from .programs import exercise_problems


@admin.register(Intake)
class IntakeAdmin(admin.ModelAdmin):
    list_display = ("created", "patient", "current_tier", "where", "advice_raised", "content_version")
    list_filter = ("current_tier", "where", "advice_raised")
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
    )
    date_hierarchy = "created"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Intakes come from the check itself; a hand-made one would have no real triage behind it.
        return False


class ProgramForm(forms.ModelForm):
    """The exercises JSON must stay playable: library ids and dosages the content schema accepts."""

    class Meta:
        model = Program
        fields = ("exercises",)

    def clean_exercises(self) -> Any:
        exercises = self.cleaned_data["exercises"]
        problems = exercise_problems(exercises)
        if problems:
            raise forms.ValidationError(problems)
        return exercises


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    """Clinicians change a program's exercises or dosages here; the patient's pages use the change."""

    form = ProgramForm
    list_display = ("created", "patient", "pattern", "updated")
    search_fields = ("patient__display_name", "uuid")
    readonly_fields = (
        "uuid",
        "patient",
        "intake",
        "left_out",
        "pattern",
        "content_version",
        "created",
        "updated",
    )
    date_hierarchy = "created"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A program starts from a safety check; clinicians adjust it rather than invent one.
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Changes go through change_program, so the admin's are kept with who made them too."""
        if change and "exercises" in form.changed_data:
            user = request.user if isinstance(request.user, User) else None
            change_program(Program.objects.get(pk=obj.pk), form.cleaned_data["exercises"], user)
        else:
            super().save_model(request, obj, form, change)


@admin.register(SessionLog)
class SessionLogAdmin(admin.ModelAdmin):
    """Session logs as the guide reported them; the review filter finds stopped exercises and red flags."""

    list_display = ("started_at", "patient", "pain_before", "pain_after", "ended_early", "needs_review")
    list_filter = ("needs_review", "ended_early")
    search_fields = ("patient__display_name", "uuid")
    readonly_fields = [field.name for field in SessionLog._meta.fields]
    date_hierarchy = "started_at"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A log records what happened; nobody edits it after the fact.
        return False


@admin.register(DiaryEntry)
class DiaryEntryAdmin(admin.ModelAdmin):
    list_display = ("day", "patient", "leg_pain", "back_pain", "reach", "sleep")
    list_filter = ("reach",)
    search_fields = ("patient__display_name",)
    readonly_fields = [field.name for field in DiaryEntry._meta.fields]
    date_hierarchy = "day"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The diary is the person's own account of their days.
        return False


class RecordOnlyAdmin(admin.ModelAdmin):
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
