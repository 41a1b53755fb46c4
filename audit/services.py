"""`record`: the one way entries are written (inside the caller's transaction, so an undone action
leaves no entry). A note the system writes is a code of `audit.messages.NOTES` with its parameters
(`note_code`, `note_params`), shown in the reader's language; `note` is for text a person typed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from audit.context import client_address
from audit.messages import NOTES
from audit.models import Action, AuditEntry


def record(*, action: str, obj: Any = None, actor: Any = None, application: Any = None, from_state: str = "",
           to_state: str = "", note: str = "", actor_name: str = "", object_type: str = "",
           object_id: str = "", note_code: str = "", note_params: Mapping[str, Any] | None = None) -> AuditEntry:
    if note_code and note_code not in NOTES:
        raise ValueError(f"unknown audit note code {note_code!r}: add it to audit.messages.NOTES")
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        action=Action(action), actor=user, actor_name=actor_name or (user.get_username() if user else ""),
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=object_id or (str(obj.pk) if obj is not None else ""),
        application=application, from_state=from_state, to_state=to_state, note=note,
        note_code=note_code, note_params=dict(note_params or {}), client_address=client_address.get(),
    )
