"""A message to an enterprise (消息中心), in both languages, read by any of its users."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Enterprise


class Kind(models.TextChoices):
    MATCH = "match", _("Match")
    STATUS = "status", _("Application status")
    OBJECTION = "objection", _("Objection")
    EXPIRY = "expiry", _("Policy expiry")


class Message(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    body = models.TextField()
    body_en = models.TextField()
    link = models.CharField(max_length=300, blank=True)  # a path of this site
    # What the message is about, for sending it once however often its cause is seen again
    # ("expiry:2029-06-30:90", "match:7:2406-…:4:eligible:1000000.00"); blank: always sent.
    key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "key"], condition=~Q(key=""), name="message_sent_once"),
        ]
        indexes = [
            # inbox.selectors.messages_for: an enterprise's messages, newest first
            models.Index(fields=["enterprise", "-created_at", "-id"], name="message_list"),
            # inbox.selectors.unread_count (the header's badge, on every page an enterprise sees)
            models.Index(fields=["enterprise"], condition=Q(read_at__isnull=True), name="message_unread"),
            # inbox.tasks.mail_unsent: the messages not mailed yet
            models.Index(fields=["created_at"], condition=Q(mailed_at__isnull=True), name="message_unsent"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.kind} {self.title}"

    def title_in(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title

    def body_in(self, lang: str) -> str:
        return self.body_en if lang == "en" else self.body
