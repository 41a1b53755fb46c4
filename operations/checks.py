"""Deployment checks (`manage.py check --deploy`): what production must not run with."""

from django.conf import settings
from django.core.checks import Error, Tags, register

CONSOLE = "django.core.mail.backends.console.EmailBackend"


@register(Tags.security, deploy=True)
def mail_backend(app_configs=None, **kwargs):
    """With DEBUG off, mail written to the console lands in the request log: password-reset links
    (an account takeover) and enterprises' notes. Production names its mail explicitly."""
    if settings.DEBUG or settings.EMAIL_BACKEND != CONSOLE or settings.EMAIL_BACKEND_EXPLICIT:
        return []
    return [Error("Mail would be written to the console, which is the request log in production.",
                  hint="Set EMAIL_HOST (SMTP), or EMAIL_BACKEND explicitly (README, Production).",
                  id="operations.E001")]
