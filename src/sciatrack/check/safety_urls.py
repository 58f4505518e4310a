"""The danger-sign questions asked again after the check, under ``/safety/``."""

from django.urls import path

from . import safety_views

urlpatterns = [
    path("", safety_views.danger_questions, name="safety"),
    path("new-questions/", safety_views.new_questions_page, name="safety-new-questions"),
    path("<uuid:update_uuid>/", safety_views.safety_update_page, name="safety-update"),
]
