from django.apps import AppConfig


class CaseAuditsConfig(AppConfig):
    name = "case_audits"
    verbose_name = "Themed case audits"
