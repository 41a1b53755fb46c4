"""Background jobs (DESIGN §13). Tasks are Celery tasks made with `job`; `enqueue` runs one after the
current transaction commits: on a worker through the broker (`CELERY_BROKER_URL`, default `REDIS_URL`),
or, with no broker configured (the embedded default of `make run` and of the tests), in this process
at commit. Delivery is at least once (acks late, redelivered when a worker dies mid-task), so every
task is written to be done once however often it runs. A task that still fails after its retries is
written to `JobFailure` (admin) and logged: never silently lost."""

from __future__ import annotations

import logging

from celery import Task, shared_task
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


class RecordedTask(Task):
    """Retries with exponential backoff on the errors a task names (`autoretry_for`); after the last
    retry, the failure is recorded."""

    retry_backoff = 5  # seconds: 5, 10, 20, 40, 80 (with jitter)
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 5

    def retry(self, *args, exc=None, **kwargs):
        """With no broker (tasks run in the request that committed), no retries there: the failure is
        recorded at once (the periodic jobs of `make worker` pick up what is left, e.g. unsent mail)."""
        if self.request.is_eager and exc is not None:
            raise exc
        return super().retry(*args, exc=exc, **kwargs)

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        from jobs.models import JobFailure

        logger.error("job %s %s failed after its retries: %r", self.name, task_id, exc)
        try:
            JobFailure.objects.create(task=self.name, task_id=task_id or "", arguments=[*args, kwargs],
                                      error=repr(exc)[:2000], traceback=str(einfo or "")[:20000])
        except Exception:  # the record is a help, not the job: never mask the failure itself
            logger.exception("could not record the failure of job %s %s", self.name, task_id)


def job(*, retry_on: tuple[type[BaseException], ...] = ()):
    """A task of this project: `@job(retry_on=(OSError,))`, retried on those errors, then recorded."""
    return shared_task(base=RecordedTask, autoretry_for=retry_on)


def enqueue(task: Task, *args) -> None:
    """`task(*args)` once the current transaction commits (at once outside one). If the broker
    cannot be reached, the request that committed does not fail: the job is recorded as failed (the
    admin's failed jobs) and the periodic jobs make up for it (unsent mail, stale screenings)."""
    transaction.on_commit(lambda: _publish(task, args))


def _publish(task: Task, args: tuple) -> None:
    from jobs.models import JobFailure

    try:
        task.delay(*args)
    except OperationalError as exc:  # kombu's: the broker (Redis) is unreachable
        logger.error("job %s not queued: the broker is unreachable: %r", task.name, exc)
        try:
            JobFailure.objects.create(task=task.name, arguments=[*args, {}],
                                      error=f"not queued, the broker is unreachable: {exc!r}"[:2000])
        except Exception:  # the record is a help: never fail the request that committed
            logger.exception("could not record the unqueued job %s", task.name)
