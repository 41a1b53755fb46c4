from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EligibilityConfig(AppConfig):
    """The web side of the rules: eligibility API, calculator, catalogue, `evaluate` command."""

    name = "eligibility"
    verbose_name = _("Eligibility")
