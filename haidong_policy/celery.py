"""The Celery application (`make worker`): configured from Django's settings (the CELERY_* names),
tasks found in each app's tasks.py."""

from __future__ import annotations

import gc
import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haidong_policy.settings")

app = Celery("haidong_policy")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def freeze_loaded_heap(**_kwargs) -> None:
    """Django and the rules, loaded before each worker process was forked, are set aside from the
    garbage collector: its collections then skip them and leave their shared pages uncopied (as
    `matching.batch.frozen_heap` does for `manage.py screen --jobs N`)."""
    gc.freeze()
