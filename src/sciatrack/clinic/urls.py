from django.urls import path

from . import invitations, views

urlpatterns = [
    path("", views.dashboard_page, name="clinic-dashboard"),
    path("audit/", views.audit_page, name="clinic-audit"),
    path("invite/", invitations.invite_page, name="clinic-invite"),
    path("patients/<uuid:patient_uuid>/", views.patient_page, name="clinic-patient"),
    path("patients/<uuid:patient_uuid>/report.pdf", views.patient_report, name="clinic-patient-report"),
]
