from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "sciatrack.registry"
    label = "registry"
    verbose_name = "Outcome registry"
