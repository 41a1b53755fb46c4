"""The rules are pure (DESIGN §2, §7): no Django, no clock, no I/O beyond their own data files."""

import ast
from pathlib import Path

import pytest

MEASURES = Path(__file__).resolve().parents[2] / "measures"
# The whole package is the pure core (docs/architecture.md); its web side is eligibility/.
PURE = sorted(MEASURES.rglob("*.py"))
PROJECT = ("haidong_policy", "operations", "review", "filing", "determinations", "eligibility", "applications",
           "accounts", "audit", "kernel")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", PURE, ids=[p.relative_to(MEASURES).as_posix() for p in PURE])
def test_it_keeps_rules_free_of_django_and_the_clock(path):
    imports = imported_modules(path)
    assert not {m for m in imports if m.split(".")[0] in ("django", "rest_framework", "drf_spectacular", *PROJECT)}
    source = path.read_text(encoding="utf-8")
    assert "date.today(" not in source and "datetime.now(" not in source


def test_it_has_one_module_per_measure_named_by_number():
    modules = sorted(p.name for p in (MEASURES / "rules").glob("m[0-9][0-9]_*.py"))
    assert [int(name[1:3]) for name in modules] == list(range(1, 21))
