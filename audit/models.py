"""The audit log: append-only, written by `audit.record`, never changed or deleted by the app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    TRANSITION = "transition", _("State change")
    DETERMINATION = "determination", _("Determination issued")
    ATTACHMENT = "attachment", _("Attachment added or replaced")
    ACCOUNT = "account", _("Account created or changed")
    LOGIN_FAILED = "login_failed", _("Failed login")
    REFUSED = "refused", _("Action refused")
    NOTICE = "notice", _("Public notice")
    OBJECTION = "objection", _("Objection")
    PAYMENT = "payment", _("Payment")
    BUDGET = "budget", _("Budget")
    CONSENT = "consent", _("Consent to screening")


class AuditEntry(models.Model):
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    actor_name = models.CharField(max_length=150, blank=True)  # also for failed logins of unknown names
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40, blank=True)
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="audit_entries")
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)  # free text typed by a person (a reviewer's return note)
    # A note written by the system: a code of `audit.messages.NOTES` and its parameters, shown in
    # the reader's language. Empty on entries written before notes had codes (their note is text).
    note_code = models.CharField(max_length=40, blank=True)
    note_params = models.JSONField(default=dict, blank=True)
    client_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            # System-wide log, newest first, filtered by action: WHERE action = ? ORDER BY at DESC
            models.Index(fields=["action", "-at"], name="audit_action_recent"),
            # One application's log: WHERE application_id = ? ORDER BY at
            models.Index(fields=["application", "at"], name="audit_application"),
        ]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"
