"""The determination's fonts, cut once to the characters a determination can use (DESIGN §6).

The Debian Noto CJK collections hold five languages and ~65,000 glyphs a face; WeasyPrint subsets
the faces a document uses on every render, and most of an approval's time went there. Cut once to
GB 2312 (the 6,763 hanzi of official documents and its symbols), ASCII and the template's own
marks, each face is a tenth of the size and a render several times faster. The cut files live under
PDF_FONT_DIR (var/fonts/, git-ignored), named by a digest of the source file and the character set,
and are made by `manage.py build_pdf_fonts` (run by `make run`, `make serve` and `make test`) or, if
missing, at the first render. A character outside the cut (a rare one in an enterprise's name) is
still drawn: the template falls back to the full collection by name.
"""

from __future__ import annotations

import hashlib
import subprocess  # fc-match: where fontconfig keeps each face
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

# The faces the template uses: (family in the template, fontconfig pattern, weight). Two faces only:
# each face a document uses is subset again on every render.
FACES = (
    ("HD Serif", "Noto Serif CJK SC:weight=regular", 400),
    ("HD Serif", "Noto Serif CJK SC:weight=bold", 700),
)
# Beyond GB 2312 and ASCII: marks the template and the money and date formats use.
EXTRA = "〔〕—–―·•“”‘’《》〈〉（）［］：；，。、？！…¥￥〇①②③④⑤⑥⑦⑧⑨⑩№℃×÷±≤≥％‰　"
_lock = threading.Lock()


@cache
def characters() -> str:
    chars = {chr(c) for c in range(0x20, 0x7F)} | set(EXTRA)
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(sorted(chars))


@dataclass(frozen=True)
class Face:
    family: str
    weight: int
    source: Path
    index: int  # in the collection

    @property
    def cut(self) -> Path:
        stat = self.source.stat()
        key = f"{self.source}|{self.index}|{stat.st_size}|{stat.st_mtime_ns}|{characters()}"
        digest = hashlib.sha256(key.encode()).hexdigest()[:12]
        return Path(settings.PDF_FONT_DIR) / f"{self.family.replace(' ', '-')}-{self.weight}-{digest}.otf"


def _locate(pattern: str) -> tuple[Path, int] | None:
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}|%{index}", pattern],  # noqa: S603, S607 - our own patterns
                             capture_output=True, text=True, timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    path, _, index = out.partition("|")
    if "CJK" not in path or not Path(path).exists():
        return None  # fontconfig answered with another font: the CJK one is not installed
    return Path(path), int(index or 0)


@cache
def faces() -> tuple[Face, ...]:
    found = []
    for family, pattern, weight in FACES:
        located = _locate(pattern)
        if located:
            found.append(Face(family, weight, *located))
    return tuple(found)


def build(face: Face) -> Path:
    """Cut `face` to `characters()` (fontTools, ~20 s a face), written whole or not at all."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    target = face.cut
    if target.exists():
        return target
    font = TTFont(face.source, fontNumber=face.index, lazy=False)
    options = subset.Options()
    options.layout_features = ["*"]  # vertical forms and punctuation widths of CJK typesetting
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters())
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    font.save(partial)
    partial.replace(target)
    return target


def build_all() -> list[Path]:
    with _lock:
        return [build(face) for face in faces()]


@cache
def font_face_css() -> str:
    """@font-face rules for the cut faces (cut now if missing, once per process); "" without the
    CJK fonts."""
    if any(not face.cut.exists() for face in faces()):
        build_all()
    return "\n".join(
        f'@font-face {{ font-family: "{face.family}"; font-weight: {face.weight}; '
        f'src: url("{face.cut.as_uri()}"); }}' for face in faces())
