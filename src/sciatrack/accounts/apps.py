from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sciatrack.accounts"
    label = "accounts"
    verbose_name = "People and clinics"
