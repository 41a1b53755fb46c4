"""The rules are pure (DESIGN §2, §7): no Django, no clock, no I/O beyond their own data files."""

import ast
from pathlib import Path

import pytest

MEASURES = Path(__file__).resolve().parents[2] / "measures"
PURE = sorted(
    [MEASURES / n for n in ("facts.py", "scope.py", "engine.py", "outcome.py", "parameters.py", "regions.py",
                            "messages.py", "labels.py", "serialize.py", "catalogue.py", "version.py")]
    + list((MEASURES / "rules").glob("*.py"))
)


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
    assert not {m for m in imports if m.split(".")[0] in ("django", "rest_framework", "applications")}
    source = path.read_text(encoding="utf-8")
    assert "date.today(" not in source and "datetime.now(" not in source


def test_it_has_one_module_per_measure_named_by_number():
    modules = sorted(p.name for p in (MEASURES / "rules").glob("m[0-9][0-9]_*.py"))
    assert [int(name[1:3]) for name in modules] == list(range(1, 21))
