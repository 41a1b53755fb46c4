# The Celery application is loaded with Django, so that tasks bind to it (jobs.queue).
from haidong_policy.celery import app as celery_app

__all__ = ["celery_app"]
