"""Chinese first: every UI string has a zh-hans translation, and the compiled catalogue is current."""

import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "haidong_policy" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
PACKAGES = ("haidong_policy", "operations", "review", "filing", "determinations", "eligibility", "applications",
            "accounts", "audit", "kernel", "measures")
ENTRIES = [e for e in polib.pofile(str(PO)) if not e.obsolete]
# {% translate "…" %}, {% trans "…" %} and _("…") / gettext("…") with a plain literal.
MSGID = re.compile(r"""{%\s*(?:translate|trans)\s+"([^"]+)"|\b(?:_|gettext|gettext_lazy)\(\s*"([^"]+)"\s*[,)]""")


def source_msgids() -> set[str]:
    found = set()
    files = [*ROOT.glob("haidong_policy/templates/**/*.html")]
    files += [path for package in PACKAGES for path in ROOT.glob(f"{package}/**/*.py") if "migrations" not in path.parts]
    for path in files:
        for match in MSGID.finditer(path.read_text(encoding="utf-8")):
            found.add(match.group(1) or match.group(2))
    return found


def test_it_translates_every_entry_of_the_catalogue():
    untranslated = [e.msgid for e in ENTRIES if not e.translated() or "fuzzy" in e.flags]
    assert untranslated == []


def test_it_has_a_catalogue_entry_for_every_string_in_the_code():
    assert source_msgids(), "the pattern found no strings: it is broken"
    assert sorted(source_msgids() - {e.msgid for e in ENTRIES}) == []


@pytest.mark.parametrize("entry", [e for e in ENTRIES if not e.msgid_plural], ids=lambda e: e.msgid[:40])
def test_it_compiled_the_catalogue_it_ships(entry):
    with translation.override("zh-hans"):
        assert translation.gettext(entry.msgid) == entry.msgstr
