"""Mailing messages: retried with backoff while the mail server fails, each done once however often
its job is delivered (a message already mailed is not mailed again)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from jobs.queue import job


def mail_one(message_id: int) -> bool:
    """Mail one message to its enterprise's addresses, once; whether a mail went."""
    from inbox.models import Message

    with transaction.atomic():
        message = Message.objects.select_for_update().select_related("enterprise").filter(pk=message_id).first()
        if message is None or message.mailed_at is not None:
            return False
        enterprise = message.enterprise
        recipients = sorted({enterprise.email, *enterprise.users.exclude(email="").values_list("email", flat=True)}
                            - {""})
        if recipients:
            link = f"\n{settings.SITE_URL}{message.link}" if message.link else ""
            send_mail(f"{message.title} / {message.title_en}",
                      f"{enterprise.name}：\n\n{message.body}{link}\n\n{message.body_en}{link}\n",
                      settings.DEFAULT_FROM_EMAIL, recipients)
        message.mailed_at = timezone.now()
        message.save(update_fields=["mailed_at"])
    return bool(recipients)


@job(retry_on=(OSError,))  # smtplib's errors are OSErrors
def mail_messages(message_ids: list[int]) -> int:
    """The messages written together (one, or a screening's chunk); after a failure, a retry skips
    those already mailed."""
    return sum(mail_one(pk) for pk in message_ids)


@job(retry_on=(OSError,))
def mail_unsent() -> int:
    """The messages still not mailed a while after they were written (their job failed for good, or
    ran where no broker was configured): mailed now, oldest first (every 10 minutes under beat)."""
    import datetime as dt

    from inbox.models import Message

    stale = timezone.now() - dt.timedelta(minutes=10)
    ids = list(Message.objects.filter(mailed_at__isnull=True, created_at__lt=stale).order_by("pk")
               .values_list("pk", flat=True)[:1000])
    return sum(mail_one(pk) for pk in ids)
