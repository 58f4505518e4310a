from django.apps import AppConfig


class ProgressConfig(AppConfig):
    """No models of its own (the records are the care app's); an app so Django finds its template tags
    and admin pages."""

    name = "sciatrack.progress"
    label = "progress"
    verbose_name = "Progress: diary, follow-ups and reports"
