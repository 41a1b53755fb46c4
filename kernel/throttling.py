"""Throttle rates read per request, so settings overrides (tests, environment) apply."""

from __future__ import annotations

from rest_framework.settings import api_settings


class CurrentRate:
    # DRF binds the rates table at import; read it per request so settings overrides apply.
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
