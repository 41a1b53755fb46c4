from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    """The web side of the rules: eligibility API, calculator, catalogue, `evaluate` command."""

    name = "eligibility"
    verbose_name = "政策计算 Eligibility"
