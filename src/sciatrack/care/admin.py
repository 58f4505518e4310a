from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Intake


@admin.register(Intake)
class IntakeAdmin(admin.ModelAdmin):
    list_display = ("created", "patient", "tier", "content_version")
    list_filter = ("tier",)
    search_fields = ("patient__display_name", "uuid")
    readonly_fields = (
        "uuid",
        "patient",
        "answers",
        "result",
        "tier",
        "measures",
        "content_version",
        "created",
    )
    date_hierarchy = "created"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Intakes come from the check itself; a hand-made one would have no real triage behind it.
        return False
