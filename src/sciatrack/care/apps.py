from django.apps import AppConfig
from django.core import checks


class CareConfig(AppConfig):
    name = "sciatrack.care"
    label = "care"
    verbose_name = "Care: safety checks"

    def ready(self) -> None:
        from .checks import emergency_number_problems, emergency_number_shown

        checks.register(emergency_number_problems)
        checks.register(emergency_number_shown, deploy=True)
