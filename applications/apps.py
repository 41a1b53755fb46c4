from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "政策申请 Applications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from applications import checks  # noqa: F401 - registers the system checks
