from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "sciatrack.registry"
    label = "registry"
    verbose_name = "Outcome registry"

    def ready(self) -> None:
        # The registry mirrors clinic patients as their care records change (see .signals).
        from . import signals

        signals.connect()
