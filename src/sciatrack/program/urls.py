from django.urls import path

from . import handout_views, views

urlpatterns = [
    path("program/", views.program_page, name="program"),
    path("program/handout/", handout_views.handout_page, name="program-handout"),
    path("program/handout.pdf", handout_views.handout_pdf, name="program-handout-pdf"),
    path("program/reminders.ics", handout_views.reminders_ics, name="program-reminders"),
    path("session/", views.session_page, name="session"),
]
