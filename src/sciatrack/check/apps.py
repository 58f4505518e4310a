from django.apps import AppConfig


class CheckConfig(AppConfig):
    """No models of its own (the records are the care app's); an app so Django finds its template tags
    and admin pages."""

    name = "sciatrack.check"
    label = "check"
    verbose_name = "Check: the safety check and its danger signs"
