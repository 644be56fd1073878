from django.apps import AppConfig


class CensusConfig(AppConfig):
    """Data in and out: the DfE Children in Need census XML (export and import) and Ofsted's
    Annex A lists 5 and 7."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "census"
    verbose_name = "CIN census and Annex A"
