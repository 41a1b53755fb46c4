"""Sign-in events (infrastructure, not business logic): a successful sign-in clears the failures
of that username only. django-axes would clear every failure from the client's address too
(AXES_RESET_ON_SUCCESS), which lets one valid account hide password spraying from that address."""

import time

from axes.models import AccessAttempt
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.middleware import LAST_SEEN, SIGNED_IN_AT


@receiver(user_logged_in)
def clear_own_failures(sender, request, user, **kwargs):
    AccessAttempt.objects.filter(username=user.get_username()).delete()


@receiver(user_logged_in)
def note_sign_in_time(sender, request, user, **kwargs):
    # For the session's absolute limit (accounts.middleware); API token requests keep no session.
    session = getattr(request, "session", None)
    if session is not None and not request.path.startswith("/api/"):
        session[SIGNED_IN_AT] = session[LAST_SEEN] = time.time()
