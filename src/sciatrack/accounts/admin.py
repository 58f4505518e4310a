from typing import Any

from django.contrib import admin

from .models import Clinic, Clinician, Patient


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin[Any]):
    list_display = ["name", "slug", "fhir_export_names", "created"]
    list_filter = ["fhir_export_names"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Clinician)
class ClinicianAdmin(admin.ModelAdmin[Any]):
    list_display = ["user", "clinic", "role", "profession"]
    list_filter = ["clinic", "role", "profession"]
    search_fields = ["user__username", "user__email", "user__last_name"]
    list_select_related = ["user", "clinic"]
    raw_id_fields = ["user"]


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin[Any]):
    list_display = ["display_name", "clinic", "user", "created"]
    list_filter = ["clinic"]
    search_fields = ["display_name", "user__username", "user__email"]
    list_select_related = ["user", "clinic"]
    raw_id_fields = ["user"]
    filter_horizontal = ["clinicians"]
