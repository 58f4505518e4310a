from django.urls import path

from . import diary, handout_views, program_views, progress_report, progress_views, safety_views

urlpatterns = [
    path("program/", program_views.program_page, name="program"),
    path("program/handout/", handout_views.handout_page, name="program-handout"),
    path("program/handout.pdf", handout_views.handout_pdf, name="program-handout-pdf"),
    path("program/reminders.ics", handout_views.reminders_ics, name="program-reminders"),
    path("session/", program_views.session_page, name="session"),
    path("diary/", diary.diary_page, name="diary"),
    path("safety/", safety_views.danger_questions, name="safety"),
    path("safety/new-questions/", safety_views.new_questions_page, name="safety-new-questions"),
    path("safety/<uuid:update_uuid>/", safety_views.safety_update_page, name="safety-update"),
    path("progress/", progress_views.progress_page, name="progress"),
    path("progress/report.pdf", progress_report.report_pdf, name="progress-report"),
    path("progress/data.csv", progress_report.data_csv, name="progress-csv"),
]
