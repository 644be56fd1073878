from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit of access to children's records and of sign-ins"

    def ready(self):
        from . import signals

        signals.connect()
