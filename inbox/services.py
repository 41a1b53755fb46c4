"""Writing messages: each is stored with the transaction that caused it and mailed after it commits."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Enterprise, User
from inbox import selectors, tasks
from inbox.models import Message
from jobs.queue import enqueue
from kernel.errors import NotFound


@transaction.atomic
def message_send(*, enterprise: Enterprise, kind: str, title: tuple[str, str], body: tuple[str, str],
                 link: str = "", key: str = "") -> Message | None:
    """The message (title and body in zh-hans and en), and its email once the transaction commits.
    With a `key` already sent to this enterprise: nothing (None)."""
    message = Message(enterprise=enterprise, kind=kind, title=title[0], title_en=title[1], body=body[0],
                      body_en=body[1], link=link, key=key)
    try:
        with transaction.atomic():
            sent = messages_send_many([message])
    except IntegrityError:  # the same key, sent meanwhile by another transaction
        return None
    return sent[0] if sent else None


def messages_send_many(messages: list[Message]) -> list[Message]:
    """Unsaved messages (one, or a screening's chunk): those whose key this enterprise was already
    sent are left out; the rest are stored together and mailed by one job after commit."""
    keyed = {(m.enterprise_id, m.key) for m in messages if m.key}
    taken = set(Message.objects.filter(enterprise_id__in={e for e, _k in keyed}, key__in={k for _e, k in keyed})
                .values_list("enterprise_id", "key")) if keyed else set()
    fresh, seen = [], set(taken)
    for message in messages:
        if message.key and (message.enterprise_id, message.key) in seen:
            continue
        seen.add((message.enterprise_id, message.key))
        fresh.append(message)
    created = Message.objects.bulk_create(fresh)
    if created:
        enqueue(tasks.mail_messages, [m.pk for m in created])
    return created


def _own(user: User, message_id: int) -> Message:
    message = selectors.messages_for(user).filter(pk=message_id).first()  # enterprise accounts only
    if message is None:
        raise NotFound(_("There is no such message."))
    return message


def message_mark_read(*, user: User, message_id: int) -> Message:
    """Read by one of the enterprise's users; another's message is not found (never says it exists)."""
    message = _own(user, message_id)
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    return message


def messages_mark_all_read(*, user: User) -> int:
    return selectors.messages_for(user).filter(read_at__isnull=True).update(read_at=timezone.now())
