from django.apps import AppConfig


class ProgramConfig(AppConfig):
    """No models of its own (the records are the care app's); an app so Django finds its template tags
    and admin pages."""

    name = "sciatrack.program"
    label = "program"
    verbose_name = "Program: home exercises and sessions"
