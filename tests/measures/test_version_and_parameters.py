"""The rules version follows every file that can change an outcome; parameters are dated data
with a citation, and the value in force on a date is the one used (DESIGN §2)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from measures import parameters, version
from measures.parameters import Parameter

MEASURES_DIR = Path(version.__file__).parent
REFERENCE_RE = re.compile(r"第\d+条|第七部分|东政办〔2024〕59号")


@pytest.fixture
def copy_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of every versioned source under tmp_path, with `version` looking there."""
    root = tmp_path / "measures"
    for path in version.source_files():
        target = root / path.relative_to(MEASURES_DIR)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    monkeypatch.setattr(version, "_HERE", root)
    return root


def test_it_versions_the_release_label_and_a_digest() -> None:
    assert re.fullmatch(re.escape(version.RELEASE) + r"\+[0-9a-f]{12}", version.RULES_VERSION)


def test_it_covers_every_rule_module_and_the_parameters() -> None:
    names = {p.relative_to(MEASURES_DIR).as_posix() for p in version.source_files()}
    rules = {p.relative_to(MEASURES_DIR).as_posix() for p in (MEASURES_DIR / "rules").glob("m*.py")}
    assert len(rules) == 20
    assert rules | {"parameters.toml", "scope.py", "engine.py", "facts.py", "regions.py"} <= names
    assert all((MEASURES_DIR / n).is_file() for n in names)


def test_it_gives_an_identical_copy_the_same_version(copy_root: Path) -> None:
    assert version.compute(version.source_files()) == version.RULES_VERSION


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("parameters.toml", 'amount = "1000000.00"', 'amount = "1500000.00"'),
        ("parameters.toml", "value = 2029-06-30", "value = 2029-12-31"),
        ("rules/m04_investment_subsidy.py", "investment > lower", "investment >= lower"),
        ("rules/m12_scheduling_pilot.py", "Status.REFERRED)", "Status.NOT_APPLICABLE)"),
        ("scope.py", "CLAUSE = ", "CLAUSE  = "),
        ("parameters.toml", '"632123" = "630202"', '"632123" = "630203"'),
        ("regions.py", "return self.former.get(code, code)", "return code"),
    ],
)
def test_it_changes_the_version_when_a_source_changes(copy_root: Path, name: str, old: str, new: str) -> None:
    path = copy_root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{name} no longer holds {old!r}: update this test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    changed = version.compute(version.source_files())
    assert changed != version.RULES_VERSION
    assert changed.startswith(version.RELEASE + "+")


def test_it_changes_the_version_when_a_comment_is_added_to_a_rule(copy_root: Path) -> None:
    path = copy_root / "rules" / "m07_research_award.py"
    path.write_text(path.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    assert version.compute(version.source_files()) != version.RULES_VERSION


def test_it_changes_the_version_when_a_rule_module_is_added(copy_root: Path) -> None:
    (copy_root / "rules" / "m21_new_measure.py").write_text('"""第21条"""\n', encoding="utf-8")
    assert version.compute(version.source_files()) != version.RULES_VERSION


def test_it_changes_the_version_when_a_file_moves_with_the_same_bytes(copy_root: Path) -> None:
    files = version.source_files()
    before = version.compute(files)
    moved = copy_root / "rules" / "m99_moved.py"
    files[-1].rename(moved)
    assert version.compute([*files[:-1], moved]) != before


def test_it_changes_the_version_with_the_release_label(copy_root: Path) -> None:
    files = version.source_files()
    assert version.compute(files, release="2024-59.2") != version.compute(files)


def test_it_does_not_depend_on_where_the_sources_live(
    copy_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = version.compute(version.source_files())
    shutil.copytree(copy_root, tmp_path / "elsewhere")
    monkeypatch.setattr(version, "_HERE", tmp_path / "elsewhere")
    assert version.compute(version.source_files()) == first


# --- dated parameters ------------------------------------------------------------------------------


def _two_values() -> Parameter:
    return Parameter(
        "m04.tiers_demo", "demo", "第4条", "CNY",
        ((dt.date(2024, 7, 1), "1000000.00"), (dt.date(2026, 1, 1), "1500000.00")),
    )


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (dt.date(2024, 6, 30), "1000000.00"),  # before the first date: the first value
        (dt.date(2024, 7, 1), "1000000.00"),
        (dt.date(2025, 12, 31), "1000000.00"),
        (dt.date(2026, 1, 1), "1500000.00"),
        (dt.date(2029, 6, 30), "1500000.00"),
    ],
)
def test_it_picks_the_value_in_force_on_the_date(as_of: dt.date, expected: str) -> None:
    assert _two_values().at(as_of) == expected


def test_it_reads_dated_values_in_any_order_from_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    toml = tmp_path / "parameters.toml"
    toml.write_text(
        '[m04.demo]\ndescription = "demo"\nreference = "第4条"\nunit = "CNY"\n'
        'values = [{ valid_from = 2026-01-01, value = "1500000.00" },\n'
        '          { valid_from = 2024-07-01, value = "1000000.00" }]\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(parameters, "PARAMETERS_FILE", toml)
    loaded = parameters.all_parameters.__wrapped__()
    assert loaded["m04.demo"].at(dt.date(2025, 12, 31)) == "1000000.00"
    assert loaded["m04.demo"].at(dt.date(2026, 1, 1)) == "1500000.00"
    assert loaded["m04.demo"].reference == "第4条"


@pytest.mark.parametrize("name", sorted(parameters.all_parameters()))
def test_it_documents_every_parameter(name: str) -> None:
    p = parameters.all_parameters()[name]
    assert REFERENCE_RE.search(p.reference), f"{name}: the reference must cite the clause"
    assert p.description.strip() and p.unit.strip()
    assert p.values, name
    dates = [valid_from for valid_from, _ in p.values]
    assert all(isinstance(d, dt.date) for d in dates)
    assert dates == sorted(dates) and len(set(dates)) == len(dates), f"{name}: one value per date"


def test_it_defines_every_parameter_the_rules_read() -> None:
    used = set()
    for path in [*MEASURES_DIR.glob("*.py"), *(MEASURES_DIR / "rules").glob("*.py")]:
        used |= set(re.findall(r'parameters\.value\(\s*"([a-z0-9_.]+)"', path.read_text(encoding="utf-8")))
    assert "m04.tiers" in used
    assert used - set(parameters.all_parameters()) == set()


def test_it_holds_the_legal_text_values() -> None:
    on = dt.date(2025, 3, 1)
    assert parameters.value("policy.valid_from", on) == dt.date(2024, 7, 1)
    assert parameters.value("policy.valid_to", on) == dt.date(2029, 6, 30)
    tiers = parameters.value("m04.tiers", on)
    assert [(Decimal(t["lower"]), t["lower_inclusive"], Decimal(t["amount"])) for t in tiers] == [
        (Decimal("100000000.00"), True, Decimal("1000000.00")),
        (Decimal("500000000.00"), False, Decimal("2000000.00")),
    ]
    assert parameters.value("m04.built_not_before", on) == dt.date(2024, 7, 1)
    assert parameters.value("scope.enterprise_credit_code_prefixes", on) == ["91"]
