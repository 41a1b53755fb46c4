from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingConfig(AppConfig):
    """Enterprises file applications: drafts, facts, attachments, submission (pages and API)."""

    name = "filing"
    verbose_name = _("Filing")
