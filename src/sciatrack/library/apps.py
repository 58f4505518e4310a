from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "sciatrack.library"
    label = "library"
    verbose_name = "Exercise library"
