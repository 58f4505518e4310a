from django.apps import AppConfig


class NudgesConfig(AppConfig):
    """Reminders delivered: a person's choices, their push subscriptions and each reminder sent."""

    name = "sciatrack.nudges"
    label = "nudges"
    verbose_name = "Reminders delivered: e-mail and push"
