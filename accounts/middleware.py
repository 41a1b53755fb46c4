"""Signed-in sessions end after SESSION_IDLE_MINUTES without a request, and at the latest
SESSION_MAX_HOURS after signing in (等保 2.0: 登录超时退出). The sign-in page then says why."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages as notices
from django.contrib.auth import logout
from django.utils.translation import gettext as _

SIGNED_IN_AT = "_signed_in_at"
LAST_SEEN = "_last_seen"
# The last request is written to the session at most this often, not on every request.
TOUCH_EVERY_SECONDS = 60


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            reason = self._expired(request, time.time())
            if reason:
                logout(request)
                notices.info(request, reason)
        return self.get_response(request)

    def _expired(self, request, now: float) -> str | None:
        session = request.session
        if SIGNED_IN_AT not in session:  # signed in before these limits existed: count from now
            session[SIGNED_IN_AT] = session[LAST_SEEN] = now
        started, last = session[SIGNED_IN_AT], session[LAST_SEEN]
        if now - started > settings.SESSION_MAX_HOURS * 3600:
            return _("You were signed out: a session lasts at most %(hours)s hours. Please sign in again.") % {
                "hours": settings.SESSION_MAX_HOURS}
        if now - last > settings.SESSION_IDLE_MINUTES * 60:
            return _("You were signed out after %(minutes)s minutes without activity. Please sign in again.") % {
                "minutes": settings.SESSION_IDLE_MINUTES}
        if now - last >= TOUCH_EVERY_SECONDS:
            session[LAST_SEEN] = now
        return None
