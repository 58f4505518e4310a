from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "sciatrack.clinic"
    label = "clinic"
    verbose_name = "Clinic"
