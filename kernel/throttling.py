"""What every throttle shares: rates read per request (so settings overrides apply) and the client
address of `kernel.clients`, the same one the login lockout and the audit log use."""

from __future__ import annotations

from rest_framework.settings import api_settings

from kernel.clients import client_address


class CurrentRate:
    # DRF binds the rates table at import; read it per request so settings overrides apply.
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_ident(self, request):
        return client_address(request) or ""
