from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "sciatrack.care"
    label = "care"
    verbose_name = "Care: safety checks"
