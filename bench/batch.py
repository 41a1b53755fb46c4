#!/usr/bin/env python
"""Batch benchmark (issue 15): `manage.py evaluate` over JSON Lines, one process against --jobs N, in
the same run.

    .venv/bin/python bench/batch.py [--lines 100000] [--jobs 2]

The input is the peer's 500 varied bodies (../shared/peer/ours.jsonl, else the rule-case table)
repeated to --lines lines. Each run is a fresh `manage.py evaluate FILE` process writing to
/dev/null; the figure is lines per second of wall time, and the ratio of --jobs N to one process.
Reports numbers only: asserts nothing, exits 0.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEER = ROOT.parent / "shared" / "peer" / "ours.jsonl"


def bodies() -> list[str]:
    if PEER.exists():
        return [line for line in PEER.read_text(encoding="utf-8").splitlines() if line.strip()]
    cases = json.loads((ROOT / "tests" / "measures" / "rule_cases.json").read_text(encoding="utf-8"))
    return [json.dumps(case["facts"], ensure_ascii=False) for case in cases]


def rate(path: Path, lines: int, jobs: int) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", "evaluate", str(path), "--jobs", str(jobs)], cwd=ROOT,  # noqa: S603
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                   env={**os.environ, "LOG_LEVEL": "WARNING"})
    return lines / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        path = Path(tmp) / "facts.jsonl"
        path.write_text("\n".join(itertools.islice(itertools.cycle(bodies()), args.lines)) + "\n", encoding="utf-8")
        one = rate(path, args.lines, 1)
        several = rate(path, args.lines, args.jobs)
    print(f"manage.py evaluate, {args.lines:,} lines, {os.cpu_count()} CPUs")
    print(f"  --jobs 1   {one:9,.0f} lines/s")
    print(f"  --jobs {args.jobs:<3} {several:9,.0f} lines/s   ratio to one process {several / one:5.2f}x")


if __name__ == "__main__":
    main()
