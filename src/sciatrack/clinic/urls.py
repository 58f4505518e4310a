from django.urls import path

from . import clearance_views, invitations, program_edit, views

urlpatterns = [
    path("", views.dashboard_page, name="clinic-dashboard"),
    path("audit/", views.audit_page, name="clinic-audit"),
    path("invite/", invitations.invite_page, name="clinic-invite"),
    path("patients/<uuid:patient_uuid>/", views.patient_page, name="clinic-patient"),
    path("patients/<uuid:patient_uuid>/report.pdf", views.patient_report, name="clinic-patient-report"),
    path("patients/<uuid:patient_uuid>/program/", program_edit.edit_program, name="clinic-patient-program"),
    path("patients/<uuid:patient_uuid>/clear/", clearance_views.clear_check, name="clinic-patient-clear"),
    path(
        "patients/<uuid:patient_uuid>/resume/<slug:exercise_id>/",
        clearance_views.resume_exercise,
        name="clinic-patient-resume",
    ),
]
