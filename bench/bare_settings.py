"""Settings for bench/load.py: the project's own, with one extra URL, `/bench/bare`, a bare Django
view (`JsonResponse`) behind the same middleware. Used only by the load bench, never in production."""

from haidong_policy.settings import *  # noqa: F403 - the project's settings, unchanged

ROOT_URLCONF = "bench.bare_urls"
