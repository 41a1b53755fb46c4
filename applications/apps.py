from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    """The shared model layer: applications, evaluations, history, attachments, grants,
    determinations and their number series; the workflow table; who sees what."""

    name = "applications"
    verbose_name = "政策申请 Applications"
    default_auto_field = "django.db.models.BigAutoField"
