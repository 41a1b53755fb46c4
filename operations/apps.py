from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running the service: export/import, demo data, deployment checks."""

    name = "operations"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from operations import checks  # noqa: F401 - registers the deployment checks
