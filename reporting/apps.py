from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"

    def ready(self):
        # Registers the SQLite month and age functions before the first connection opens.
        from .metrics import sql  # noqa: F401
