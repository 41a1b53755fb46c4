"""`record`: the one way entries are written (inside the caller's transaction, so an undone action
leaves no entry)."""

from __future__ import annotations

from typing import Any

from audit.context import client_address
from audit.models import Action, AuditEntry


def record(*, action: str, obj: Any = None, actor: Any = None, application: Any = None, from_state: str = "",
           to_state: str = "", note: str = "", actor_name: str = "", object_type: str = "",
           object_id: str = "") -> AuditEntry:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        action=Action(action), actor=user, actor_name=actor_name or (user.get_username() if user else ""),
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=object_id or (str(obj.pk) if obj is not None else ""),
        application=application, from_state=from_state, to_state=to_state, note=note,
        client_address=client_address.get(),
    )
