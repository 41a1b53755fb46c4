"""`RULES_VERSION`: names the exact rules and parameters an outcome was computed with.

It is the release label plus a digest of every file that can change an outcome (rule modules,
scope, facts, parameters, the legal text), so any edit to them yields a new version even if
nobody remembers to bump the label.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

RELEASE = "2024-59.1"

_HERE = Path(__file__).parent
_SOURCES = ("facts.py", "scope.py", "engine.py", "regions.py", "outcome.py", "parameters.py",
            "parameters.toml", "data/haidong-green-computing-measures-2024.zh.txt")


def source_files() -> list[Path]:
    return [_HERE / name for name in _SOURCES] + sorted((_HERE / "rules").glob("*.py"))


def compute(files: list[Path], release: str = RELEASE) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(_HERE).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return f"{release}+{digest.hexdigest()[:12]}"


RULES_VERSION = compute(source_files())
