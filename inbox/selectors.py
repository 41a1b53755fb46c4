"""Reading an enterprise's messages."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from inbox.models import Message
from kernel.errors import NotAllowed


def messages_for(user: User) -> QuerySet[Message]:
    """The user's enterprise's messages, newest first; a message is only ever its enterprise's."""
    if not user.is_enterprise:
        raise NotAllowed(_("Messages are for enterprise accounts."))
    return Message.objects.filter(enterprise_id=user.enterprise_id)


def unread_count(user: User) -> int:
    if not (user.is_authenticated and user.is_enterprise):
        return 0
    return Message.objects.filter(enterprise_id=user.enterprise_id, read_at__isnull=True).count()


def message_dict(message: Message, lang: str) -> dict:
    """DESIGN §13's message, in `lang`."""
    return {"id": message.pk, "kind": message.kind, "title": message.title_in(lang), "body": message.body_in(lang),
            "created_at": message.created_at.isoformat(), "read": message.read_at is not None,
            "link": message.link}
