from django.urls import path

from . import program_views

urlpatterns = [
    path("program/", program_views.program_page, name="program"),
    path("session/", program_views.session_page, name="session"),
]
