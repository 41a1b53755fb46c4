"""Who uses the service: enterprises and their users, reviewers of one jurisdiction, city admins."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

JURISDICTIONS = ("park", "630202", "630203", "630222", "630223", "630224", "630225")
CITY = "city"  # applications without a project whose enterprise is registered at city level (DESIGN §9)


class Enterprise(models.Model):
    name = models.CharField(_("enterprise name"), max_length=200)
    # One account per enterprise across the system (validated against GB 32100-2015 on the way in).
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    registered_region = models.CharField(_("registered region code"), max_length=6)
    contact_person = models.CharField(_("contact person"), max_length=100)
    phone = models.CharField(_("phone"), max_length=30)
    email = models.EmailField(_("email"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return f"{self.name} ({self.credit_code})"


class Role(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise user")
    REVIEWER = "reviewer", _("Reviewer")
    CITY_ADMIN = "city_admin", _("City administrator")


class AccountManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.CITY_ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="users", verbose_name=_("enterprise"))
    # park or a county code, for reviewers only
    jurisdiction = models.CharField(_("jurisdiction"), max_length=10, blank=True)

    objects = AccountManager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="user_role_fits",
                condition=(
                    Q(role=Role.ENTERPRISE, enterprise__isnull=False, jurisdiction="")
                    | Q(role=Role.REVIEWER, enterprise__isnull=True, jurisdiction__in=JURISDICTIONS)
                    | Q(role=Role.CITY_ADMIN, enterprise__isnull=True, jurisdiction="")
                ),
            ),
        ]

    @property
    def is_enterprise(self) -> bool:
        return self.role == Role.ENTERPRISE

    @property
    def is_reviewer(self) -> bool:
        return self.role == Role.REVIEWER

    @property
    def is_city_admin(self) -> bool:
        return self.role == Role.CITY_ADMIN
