"""Payments of a granted subsidy and the annual budget of each payer. Written only by
`funds.services`; no logic in save()."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from applications.models import Application


class Payment(models.Model):
    """One transfer (拨付) of a determination's amount; the sum per application never exceeds it."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="payments")
    amount_cny = models.DecimalField(max_digits=15, decimal_places=2)
    paid_on = models.DateField()
    reference = models.CharField(max_length=100)  # the voucher (凭证) or bank reference
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["paid_on", "pk"]
        indexes = [
            # Fund pool and monthly chart: WHERE paid_on BETWEEN ? AND ? (per year)
            models.Index(fields=["paid_on"], name="payment_paid_on"),
        ]

    def __str__(self) -> str:
        return f"payment {self.amount_cny} to #{self.application_id} on {self.paid_on}"


class Budget(models.Model):
    """The annual budget of one payer (park committee or a county) for these measures: a planning
    figure set by city admins, never a limit on an entitlement (DESIGN §11)."""

    payer = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    amount_cny = models.DecimalField(max_digits=15, decimal_places=2)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["payer", "year"], name="one_budget_per_payer_year")]

    def __str__(self) -> str:
        return f"budget {self.payer} {self.year}: {self.amount_cny}"
