from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeterminationsConfig(AppConfig):
    """Determinations (决定书): numbering, the PDF, public verification (page and API)."""

    name = "determinations"
    verbose_name = _("Determinations")

    def ready(self) -> None:
        from determinations import checks  # noqa: F401 - registers the system checks
