"""Start-up checks: what determinations need from the system."""

from django.core.checks import Warning, register


@register()
def pdf_requirements(app_configs=None, **kwargs):
    from determinations.pdf import missing_pdf_requirements

    return [
        Warning(f"Determination PDFs need {what}.", hint="make run / make test install it as root; or "
                "apt-get install fonts-noto-cjk libharfbuzz-subset0", id="applications.W001")
        for what in missing_pdf_requirements()
    ]
