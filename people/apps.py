from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "Districts, teams and staff"

    def ready(self):
        from .mfa import connect_signals

        connect_signals()

        from .middleware import connect_signals as connect_session_limits  # Sign-in (issue 12)

        connect_session_limits()
