"""The enterprise's profile, its consents to screening, and the latest screening of each project."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Enterprise


class Profile(models.Model):
    """The facts of DESIGN §4 about the enterprise and its projects: {"enterprise": {…}, "projects":
    [{…}, …], "circumstances": {…}}; the enterprise's identity always the account's."""

    enterprise = models.OneToOneField(Enterprise, on_delete=models.CASCADE, related_name="profile")
    facts = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    def __str__(self) -> str:
        return f"profile of {self.enterprise_id}"


class Consent(models.Model):
    """An opt-in to proactive screening and messages (意愿确认), with the text's version; withdrawn
    when `withdrawn_at` is set. An enterprise has at most one consent in force."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="consents")
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text_version = models.CharField(max_length=20)
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enterprise"], condition=Q(withdrawn_at__isnull=True),
                                    name="one_consent_in_force"),
        ]

    def __str__(self) -> str:
        return f"consent of {self.enterprise_id} ({self.text_version})"


class Screening(models.Model):
    """The latest screening of one project of a profile (`project` is its code; "" for the enterprise
    without a project): the measures it matches (eligible or referred) and #4's amount."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="screenings")
    project = models.CharField(max_length=24, blank=True)
    project_name = models.CharField(max_length=200, blank=True)
    matches = models.JSONField(default=dict)  # {"4": {"status": "eligible", "amount_cny": "1000000.00"}, …}
    rules_version = models.CharField(max_length=80)
    jurisdiction = models.CharField(max_length=10, blank=True)  # whose queue an application of it would join
    screened_on = models.DateField()
    screened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "project"], name="one_screening_per_project")]
        indexes = [
            # matching.batch.stale_profile_ids: the profiles screened with other rules
            models.Index(fields=["rules_version"], name="screening_rules_version"),
            # matching.selectors.figures: a reviewer's jurisdiction on the review queue page
            models.Index(fields=["jurisdiction"], name="screening_jurisdiction"),
        ]

    def __str__(self) -> str:
        return f"screening of {self.profile_id} {self.project or '-'}"
