"""Screening jobs: one enterprise (when its profile or consent changes), every consenting profile
(nightly, Celery beat), the profiles screened with older rules (after a deployment), and the expiry
warnings (daily). Each is done once however often it runs (matching.services)."""

from __future__ import annotations

from django.db import InterfaceError, OperationalError

from jobs.queue import job

# A database that is briefly away (a restart, a deadlock chosen as victim): tried again, with backoff.
DATABASE_ERRORS = (OperationalError, InterfaceError)


@job(retry_on=DATABASE_ERRORS)
def screen_enterprise(enterprise_id: int) -> int:
    from matching.services import screen_enterprise as screen

    return screen(enterprise_id)


@job(retry_on=DATABASE_ERRORS)
def screen_chunk(profile_ids: list[int], day: str) -> list[int]:
    """(profiles screened, messages written) for one chunk of profiles, screened as on `day`."""
    import datetime as dt

    from matching.batch import screen_chunk as screen

    return list(screen(profile_ids, dt.date.fromisoformat(day)))


def _fan_out(profile_ids: list[int]) -> int:
    """One job per chunk of profiles, so that every worker process takes a share."""
    from django.utils import timezone

    from matching import batch

    day = timezone.localdate().isoformat()
    count = 0
    for chunk in batch.chunks(profile_ids, batch.JOB_CHUNK):
        screen_chunk.delay(chunk, day)
        count += 1
    return count


@job(retry_on=DATABASE_ERRORS)
def screen_all() -> int:
    """Every consenting profile (nightly): the number of chunk jobs queued."""
    from matching.batch import consenting_ids

    return _fan_out(consenting_ids())


@job(retry_on=DATABASE_ERRORS)
def screen_new_rules() -> int:
    """The consenting profiles never screened or screened with other rules (after a deployment)."""
    from matching.batch import stale_profile_ids

    return _fan_out(stale_profile_ids())


@job(retry_on=DATABASE_ERRORS)
def expiry_warnings() -> int:
    from matching.expiry import warn

    return warn()
