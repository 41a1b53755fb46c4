from django.apps import AppConfig


class ReviewConfig(AppConfig):
    """Reviewers and city admins: the queue, claim, release, return, approve, reject, oversight."""

    name = "review"
    verbose_name = "审核 Review"
