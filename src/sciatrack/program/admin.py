"""The site admin's program page: a clinician changes a program's exercises or dosages here.

Registered from the program app (not care, where the record lives) because a change goes through
:func:`sciatrack.program.changes.change_program`, and the records' app imports none of the pages.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.models import User
from django.http import HttpRequest

from sciatrack.care.models import Program

from .changes import change_program
from .programs import exercise_problems


class ProgramForm(forms.ModelForm[Any]):
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
class ProgramAdmin(admin.ModelAdmin[Any]):
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
