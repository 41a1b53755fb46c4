#!/usr/bin/env python
"""Eligibility benchmark: how fast the rules engine is, and what the HTTP layer adds on top.

    .venv/bin/python bench/eligibility.py [--seconds 3] [--rounds 20] [--per-round 100]

(a) Engine, one core: `evaluate()` + `serialize.evaluation()` over facts parsed once, then the
    same with `parse_facts()` in the loop, each for a few seconds.
(b) In-process latency with Django's test `Client`: POST /api/v1/eligibility against a bare view
    that only returns `JsonResponse({"ok": True})`, mounted next to the project's URLs, so both go
    through the same middleware. Rounds of the two are interleaved (in alternating order) so drift
    in the machine's speed hits both alike; the median per request is reported.

Reports numbers only: it asserts no speed and exits 0 whatever they are.
"""

from __future__ import annotations

import sys
from pathlib import Path

# `python bench/eligibility.py` puts bench/ first on sys.path, where bench/queue.py would shadow the
# standard library's queue: take it off before anything imports that.
BENCH = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH]

import argparse  # noqa: E402
import copy  # noqa: E402
import datetime as dt  # noqa: E402
import itertools  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import types  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haidong_policy.settings")
# Production-like: DEBUG off and the default throttle rates. Each request comes from its own client
# address (see _timed_posts), so the throttle does its real per-request work without refusing.
os.environ["DEBUG"] = "false"
os.environ["SECURE_SSL_REDIRECT"] = "false"  # in-process over plain HTTP
os.environ.setdefault("LOG_LEVEL", "WARNING")  # no request log lines in the output
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ["ALLOWED_HOSTS"] = "testserver"
for name in ("THROTTLE_ELIGIBILITY_ANON", "THROTTLE_ELIGIBILITY_USER"):
    os.environ.pop(name, None)

import django  # noqa: E402 - needs the environment above

django.setup()

from django.http import JsonResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

from measures import serialize  # noqa: E402
from measures.engine import evaluate  # noqa: E402
from measures.facts import parse_facts  # noqa: E402

API_PATH = "/api/v1/eligibility"
BARE_PATH = "/bench/bare"

# The valid (HTTP 200) cases of /work/shared/acceptance/eligibility_cases.json, copied here so the
# bench does not depend on that file: one base request and what each case changes in it.
_BASE: dict[str, Any] = {
    "as_of": "2025-03-01",
    "enterprise": {
        "name": "青海示例算力科技有限公司",
        "credit_code": "91630202MA7ABCDE1Y",
        "sectors": ["cloud_computing"],
        "activities": ["operation"],
        "qualifications": [],
    },
    "project": {
        "code": "2406-630202-04-01-532198",
        "name": "乐都绿色算力中心一期",
        "kind": "new",
        "category": "data_center",
        "region": "630202",
        "in_industrial_park": True,
        "standard_racks": 1200,
        "equipment_investment_cny": "320000000.00",
        "completed_on": "2025-01-15",
    },
}
_DROP = object()
_CHANGES: list[tuple[str, dict[str, Any]]] = [
    ("tier 1 inside the park", {}),
    ("exactly 1e8 is tier 1", {"project.equipment_investment_cny": "100000000.00"}),
    ("just below 1e8 gets nothing", {"project.equipment_investment_cny": "99999999.99"}),
    ("exactly 5e8 stays tier 1", {"project.equipment_investment_cny": "500000000.00"}),
    ("a cent above 5e8 is tier 2", {"project.equipment_investment_cny": "500000000.01"}),
    ("outside the park the county pays", {"project.region": "630223", "project.in_industrial_park": False}),
    ("registered in Xining is out of scope", {"enterprise.credit_code": "91630100MA7XN00014"}),
    ("policy not yet in force", {"as_of": "2024-06-30"}),
    ("project not built yet", {"project.completed_on": "2025-04-01"}),
    ("no project: measure 4 not applicable", {"project": _DROP}),
    ("investment missing needs info", {"project.equipment_investment_cny": _DROP}),
]


def _case(changes: dict[str, Any]) -> dict[str, Any]:
    facts = copy.deepcopy(_BASE)
    for dotted, value in changes.items():
        *parents, key = dotted.split(".")
        target = facts
        for parent in parents:
            target = target[parent]
        if value is _DROP:
            del target[key]
        else:
            target[key] = value
    return facts


CASES: list[dict[str, Any]] = [_case(changes) for _, changes in _CHANGES]


# --- (a) the engine ------------------------------------------------------------------------------

def _rate(step: Callable[[], None], per_step: int, seconds: float) -> tuple[float, int]:
    """(operations per second, operations done) running `step` for at least `seconds`."""
    step()  # warm caches (parameters, labels) outside the timing
    done = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        step()
        done += per_step
        now = time.perf_counter()
        if now >= deadline:
            return done / (now - start), done


def engine(seconds: float) -> list[tuple[str, float, int]]:
    parsed = [parse_facts(c) for c in CASES]
    today = dt.date(2025, 3, 1)

    def evaluate_only() -> None:
        for facts in parsed:
            evaluate(facts, facts.as_of or today)

    def evaluate_serialize() -> None:
        for facts in parsed:
            serialize.evaluation(evaluate(facts, facts.as_of or today), "zh-hans")

    def parse_evaluate_serialize() -> None:
        for raw in CASES:
            facts = parse_facts(raw)
            serialize.evaluation(evaluate(facts, facts.as_of or today), "zh-hans")

    return [
        ("evaluate (the rules)", *_rate(evaluate_only, len(parsed), seconds)),
        ("evaluate + serialize", *_rate(evaluate_serialize, len(parsed), seconds)),
        ("parse + evaluate + serialize", *_rate(parse_evaluate_serialize, len(CASES), seconds)),
    ]


# --- (b) the HTTP layer ---------------------------------------------------------------------------

@csrf_exempt
def bare(request):
    return JsonResponse({"ok": True})


def _bench_urlconf() -> tuple[str, str | None]:
    """A URLconf with the bare view plus the project's URLs; (its module name, a note if the
    project's URLs could not be loaded, in which case only the bare view is mounted)."""
    module = types.ModuleType("bench_eligibility_urls")
    module.urlpatterns = [path(BARE_PATH.lstrip("/"), bare)]
    note = None
    try:
        module.urlpatterns.append(path("", include("haidong_policy.urls")))
        module.handler404 = "kernel.problems.handler404"
        module.handler500 = "kernel.problems.handler500"
    except Exception as exc:  # the lead may be mid-edit: still measure the bare view
        note = f"haidong_policy.urls not loaded ({type(exc).__name__}: {exc}); the API answers 404"
    sys.modules[module.__name__] = module
    return module.__name__, note


_ADDRESSES = itertools.cycle(f"10.{i // 65536}.{i // 256 % 256}.{i % 256}" for i in range(1 << 18))


def _timed_posts(client: Client, url: str, body: dict[str, Any], n: int,
                 samples: list[int], statuses: Counter) -> None:
    for _ in range(n):
        address = next(_ADDRESSES)
        start = time.perf_counter_ns()
        response = client.post(url, body, content_type="application/json", REMOTE_ADDR=address)
        samples.append(time.perf_counter_ns() - start)
        statuses[response.status_code] += 1


def http(rounds: int, per_round: int) -> tuple[dict[str, list[int]], dict[str, Counter], str | None]:
    urlconf, note = _bench_urlconf()
    body = CASES[0]
    targets = {"API": API_PATH, "bare": BARE_PATH}
    samples: dict[str, list[int]] = {name: [] for name in targets}
    statuses: dict[str, Counter] = {name: Counter() for name in targets}
    with override_settings(ROOT_URLCONF=urlconf):
        client = Client()
        for url in targets.values():  # warm-up: URL resolution, imports, first-request work
            _timed_posts(client, url, body, 20, [], Counter())
        order = list(targets)
        for _ in range(rounds):
            for name in order:
                _timed_posts(client, targets[name], body, per_round, samples[name], statuses[name])
            order.reverse()
    return samples, statuses, note


# --- report ---------------------------------------------------------------------------------------

def _pin_to_one_core() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time per engine measurement")
    parser.add_argument("--rounds", type=int, default=20, help="interleaved HTTP rounds")
    parser.add_argument("--per-round", type=int, default=100, help="requests per target per round")
    args = parser.parse_args()

    from django.conf import settings

    pinned = _pin_to_one_core()
    print(f"Python {platform.python_version()}, Django {django.get_version()}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs, {pinned}; DEBUG={settings.DEBUG}")
    print(f"{len(CASES)} fact sets (the valid acceptance cases)")
    print()
    print("(a) engine, one core")
    print(f"  {'step':<30} {'per second':>12} {'µs each':>9} {'done':>8}")
    for label, per_second, done in engine(args.seconds):
        print(f"  {label:<30} {per_second:>12,.0f} {1e6 / per_second:>9.1f} {done:>8,}")
    print()

    samples, statuses, note = http(args.rounds, args.per_round)
    medians = {name: statistics.median(values) / 1000 for name, values in samples.items()}
    print(f"(b) in-process HTTP (test Client POST), {args.rounds} interleaved rounds × {args.per_round}")
    print(f"  {'target':<6} {'path':<22} {'median µs':>10} {'p90 µs':>9} {'status codes':<20}")
    for name, url in (("API", API_PATH), ("bare", BARE_PATH)):
        p90 = statistics.quantiles(samples[name], n=10)[-1] / 1000
        codes = ", ".join(f"{code}×{count}" for code, count in sorted(statuses[name].items()))
        print(f"  {name:<6} {url:<22} {medians[name]:>10.1f} {p90:>9.1f} {codes:<20}")
    print(f"  ratio API/bare (medians): {medians['API'] / medians['bare']:.2f}")
    if note:
        print(f"  note: {note}")
    if set(statuses["API"]) != {200}:
        print("  note: the API did not answer 200 to every request; its median is not the eligibility view's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
