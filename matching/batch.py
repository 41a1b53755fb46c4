"""Screening many profiles (nightly, `manage.py screen`): chunks of profiles, each read and evaluated
without locks; the profiles whose screening changed are then locked, checked again (consent still in
force, facts as evaluated) and written in the same transaction; `jobs` processes at once. Only what
changed is written or locked: a night when nothing changed writes nothing, not even row locks."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import multiprocessing
from collections.abc import Callable, Iterable, Iterator

import orjson
from django.db import connections, transaction
from django.db.models import Exists, OuterRef, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from matching import screening, services
from matching.models import Consent, Profile, Screening
from measures.version import RULES_VERSION

# Profiles a process reads, evaluates and writes at once: a night ran ≈17% faster in chunks of 2,000
# than of 500 (bench/screening.py). A Celery job takes fewer, so that a night of a few thousand
# profiles still spreads over the worker processes and a retry redoes little.
CHUNK = 2000
JOB_CHUNK = 500
STORED = ("id", "profile_id", "project", "project_name", "matches", "rules_version", "jurisdiction")
COMPARED = ("rules_version", "project_name", "jurisdiction")  # with the matches: `services.unchanged`


def consenting() -> Q:
    return Q(Exists(Consent.objects.filter(enterprise_id=OuterRef("enterprise_id"), withdrawn_at__isnull=True,
                                           text_version=services.CONSENT_VERSION)))


def stale_profile_ids() -> list[int]:
    """Consenting profiles never screened, or last screened with other rules."""
    fresh = Screening.objects.filter(profile_id=OuterRef("pk"), rules_version=RULES_VERSION)
    stale = Screening.objects.filter(profile_id=OuterRef("pk")).exclude(rules_version=RULES_VERSION)
    return list(Profile.objects.filter(consenting()).filter(Q(Exists(stale)) | ~Q(Exists(fresh)))
                .order_by("pk").values_list("pk", flat=True))


def screen_chunk(profile_ids: list[int], today: dt.date) -> tuple[int, int]:
    """(profiles screened, messages written) for these profiles; those without a consent in force
    are skipped, also when it is withdrawn during the run (checked again under the profile's lock
    before anything is written). Rows are read as values, not models: most nights nothing changes,
    and then reading is all the work besides the evaluation."""
    if not profile_ids:
        return 0, 0
    wanted = set(profile_ids)
    low, high = min(wanted), max(wanted)
    # The nightly chunks are runs of keys: read by range, not by a long IN list (its parameters cost
    # more than the rows); a sparse list (the profiles screened with older rules) by its keys.
    dense = high - low < 2 * len(wanted)
    keys = Q(pk__gte=low, pk__lte=high) if dense else Q(pk__in=wanted)
    by_profile = Q(profile_id__gte=low, profile_id__lte=high) if dense else Q(profile_id__in=wanted)
    with transaction.atomic():
        profiles = [row for row in Profile.objects.filter(consenting(), keys).order_by("pk")
                    .values_list("pk", "enterprise_id", "facts") if row[0] in wanted]
        granted = services.granted_codes([c for _pk, _e, facts in profiles for c in services.project_codes(facts)])
        stored: dict[int, dict[str, tuple]] = {}
        # The stored matches are ours (measure numbers, statuses, amounts as text): read as text and
        # decoded by orjson, about twice as fast as the json module behind JSONField.
        for profile_id, project, matches, *compared in (Screening.objects.filter(by_profile).values_list(
                "profile_id", "project", Cast("matches", TextField()), *COMPARED)):
            if profile_id in wanted:
                stored.setdefault(profile_id, {})[project] = (orjson.loads(matches), *compared)
        found = {pk: (enterprise_id, facts, screening.screen(facts, today, granted))
                 for pk, enterprise_id, facts in profiles}
        changed = sorted(pk for pk, (_e, _f, result) in found.items()
                         if not services.unchanged(stored.get(pk, {}), result))
        return len(profiles), _write(changed, found, today)


def _write(changed: list[int], found: dict[int, tuple], today: dt.date) -> int:
    """Lock the changed profiles, keep those still consenting with the facts that were evaluated (a
    profile saved meanwhile is screened again by its own job), and write their plans against the
    screenings stored now; the number of messages written."""
    if not changed:
        return 0
    locked = dict(Profile.objects.select_for_update().filter(consenting(), pk__in=changed).order_by("pk")
                  .values_list("pk", "facts"))
    current = [pk for pk in changed if pk in locked and locked[pk] == found[pk][1]]
    stored: dict[int, dict[str, Screening]] = {}
    for row in Screening.objects.filter(profile_id__in=current).only(*STORED):
        stored.setdefault(row.profile_id, {})[row.project] = row
    plans = [(found[pk][0], services.plan(stored.get(pk, {}), pk, today, found[pk][2])) for pk in current]
    return services.apply(plans)


def consenting_ids() -> list[int]:
    return list(Profile.objects.filter(consenting()).order_by("pk").values_list("pk", flat=True))


def chunks(ids: list[int], size: int | None = None) -> Iterable[list[int]]:
    size = size or CHUNK
    return (ids[i:i + size] for i in range(0, len(ids), size))


def _screen_chunk_args(args: tuple[list[int], dt.date]) -> tuple[int, int]:
    return screen_chunk(*args)


def screen_profiles(profile_ids: list[int] | None = None, *, today: dt.date | None = None, jobs: int = 1,
                    progress: Callable[[int, int], None] | None = None) -> dict:
    """Screen these profiles (every consenting one by default) on `today`, in `jobs` processes."""
    today = today or timezone.localdate()
    ids = profile_ids if profile_ids is not None else consenting_ids()
    work = [(chunk, today) for chunk in chunks(ids)]
    screened = told = 0
    with frozen_heap():
        if jobs > 1 and len(work) > 1:
            connections.close_all()  # each process opens its own connection
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                for done, messages in pool.imap_unordered(_screen_chunk_args, work):
                    screened, told = screened + done, told + messages
                    if progress:
                        progress(screened, len(ids))
        else:
            for args in work:
                done, messages = screen_chunk(*args)
                screened, told = screened + done, told + messages
                if progress:
                    progress(screened, len(ids))
    return {"profiles": screened, "messages": told}


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """The objects alive now (Django, the rules, the caller's data) set aside from the garbage
    collector for the run: its full collections, triggered again and again by the millions of
    short-lived objects of the evaluations, then scan only those, and forked workers do not write
    to (and so copy) the parent's pages (the `gc.freeze` documentation's advice before fork). The
    benchmark (bench/screening.py) measured a run 10–15% faster with it."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
