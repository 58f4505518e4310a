from django.urls import path

from . import diary, report, views

urlpatterns = [
    path("diary/", diary.diary_page, name="diary"),
    path("progress/", views.progress_page, name="progress"),
    path("progress/report.pdf", report.report_pdf, name="progress-report"),
    path("progress/data.csv", report.data_csv, name="progress-csv"),
]
