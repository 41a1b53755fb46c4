from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    """The shared model layer: applications, evaluations, history, attachments, grants,
    determinations and their number series; the workflow table; who sees what."""

    name = "applications"
    verbose_name = _("Policy applications")
    default_auto_field = "django.db.models.BigAutoField"
