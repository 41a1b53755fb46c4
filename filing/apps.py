from django.apps import AppConfig


class FilingConfig(AppConfig):
    """Enterprises file applications: drafts, facts, attachments, submission (pages and API)."""

    name = "filing"
    verbose_name = "在线申报 Filing"
