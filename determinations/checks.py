"""Start-up checks: what determinations need from the system."""

from django.core.checks import Warning, register


@register()
def pdf_requirements(app_configs=None, **kwargs):
    from determinations.pdf import missing_pdf_requirements

    return [
        Warning(f"Determination PDFs need {what}.", hint="make run / make test install it as root; or "
                "apt-get install fonts-noto-cjk fonts-dejavu-core", id="applications.W001")
        for what in missing_pdf_requirements()
    ]


@register(deploy=True)
def signing_certificates(app_configs=None, **kwargs):
    """In production every issuing authority signs with its own certificate (README "Signing")."""
    from django.conf import settings
    from django.core.checks import Error

    from determinations.signing import p12_path

    errors = [Error(f"No signing certificate for {authority}: {p12_path(authority)}.",
                    hint=f"Set SIGNING_P12_{authority.upper()} and SIGNING_P12_PASSWORD_{authority.upper()} "
                         "(README: Signing); `manage.py make_test_certificates` makes test ones, never for "
                         "production.", id="determinations.E001")
              for authority in settings.DETERMINATION_AUTHORITIES if not p12_path(authority).exists()]
    errors += [Error(f"The signing trust root {root} does not exist.", hint="SIGNING_TRUST_ROOTS (README: Signing)",
                     id="determinations.E002") for root in settings.SIGNING_TRUST_ROOTS if not root.exists()]
    return errors
