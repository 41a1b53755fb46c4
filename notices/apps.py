from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    """The public side of 公示: the notices page, its feed and API, and objections from anyone."""

    name = "notices"
    verbose_name = _("Public notices")
