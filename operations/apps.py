from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the service: export/import, demo data."""

    name = "operations"
    verbose_name = "运维 Operations"
