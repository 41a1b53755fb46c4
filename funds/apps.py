from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    """Payments (拨付) of granted subsidies by the payer's finance officers, and the annual budgets
    per payer with the fund pool they are measured against (DESIGN §11)."""

    name = "funds"
    verbose_name = _("Funds")
