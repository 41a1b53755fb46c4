from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the service: export/import, demo data, deployment checks."""

    name = "operations"
    verbose_name = "运维 Operations"

    def ready(self) -> None:
        from operations import checks  # noqa: F401 - registers the deployment checks
