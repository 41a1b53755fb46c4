"""The client address of the request being served, for audit entries written deeper down (services
do not take the request). Set by `audit.middleware.ClientAddressMiddleware`."""

from __future__ import annotations

from contextvars import ContextVar

client_address: ContextVar[str | None] = ContextVar("client_address", default=None)
