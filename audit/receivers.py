"""Authentication events into the audit log (infrastructure, not business logic)."""

from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from audit.context import client_address
from audit.models import Action, AuditEntry
from kernel.clients import client_address as address_of


@receiver(user_login_failed)
def login_failed(sender, credentials, request=None, **kwargs):
    address = (address_of(request) if request is not None else None) or client_address.get()
    AuditEntry.objects.create(action=Action.LOGIN_FAILED, actor=None,
                              actor_name=str(credentials.get("username", ""))[:150], object_type="accounts.user",
                              client_address=address or None)
