from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    """Reviewers and city admins: the queue, claim, release, return, approve, reject, oversight."""

    name = "review"
    verbose_name = _("Review")
