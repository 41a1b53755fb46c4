"""Who uses the service: enterprises and their users, reviewers of one jurisdiction, city admins,
and system admins (accounts only, in the Django admin; no application data)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts import identity

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
    FINANCE = "finance", _("Finance officer")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class AccountManager(UserManager):
    def get_by_natural_key(self, username):
        # Signing in looks the name up as it is stored: NFKC, case-folded (accounts.identity).
        return self.get(**{self.model.USERNAME_FIELD: identity.canonical(username or "")})

    def create_superuser(self, *args, **kwargs):
        raise NotImplementedError("No superusers: use manage.py create_account --role system_admin")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="users", verbose_name=_("enterprise"))
    # park or a county code, for reviewers only
    jurisdiction = models.CharField(_("jurisdiction"), max_length=10, blank=True)
    # Look-alike usernames collide here (accounts.identity.skeleton); set by accounts.services.
    # Contact for reviewers (a conflict of interest is checked on email and phone, review services).
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # NULL, not "", when unset (a look-alike kept from before this rule): NULLs never collide.
    username_skeleton = models.CharField(max_length=150, unique=True, null=True, editable=False)  # noqa: DJ001

    objects = AccountManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_role_fits",
                # Only system admins reach the Django admin (is_staff); nobody is a superuser.
                condition=Q(is_superuser=False) & (
                    Q(role=Role.ENTERPRISE, enterprise__isnull=False, jurisdiction="", is_staff=False)
                    | Q(role=Role.REVIEWER, enterprise__isnull=True, jurisdiction__in=JURISDICTIONS, is_staff=False)
                    | Q(role=Role.FINANCE, enterprise__isnull=True, jurisdiction__in=JURISDICTIONS, is_staff=False)
                    | Q(role=Role.CITY_ADMIN, enterprise__isnull=True, jurisdiction="", is_staff=False)
                    | Q(role=Role.SYSTEM_ADMIN, enterprise__isnull=True, jurisdiction="", is_staff=True)
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
    def is_finance(self) -> bool:
        return self.role == Role.FINANCE

    @property
    def is_city_admin(self) -> bool:
        return self.role == Role.CITY_ADMIN

    @property
    def is_system_admin(self) -> bool:
        return self.role == Role.SYSTEM_ADMIN

    @classmethod
    def normalize_username(cls, username):
        return identity.canonical(username)
