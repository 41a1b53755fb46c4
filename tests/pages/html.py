
"""A small stdlib helper to cut one element out of a page, for assertions on a part of it."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _Finder(HTMLParser):
    def __init__(self, attrs: dict[str, str]):
        super().__init__(convert_charrefs=True)
        self.wanted = attrs
        self.tag: str | None = None
        self.depth = 0
        self.start: tuple[int, int] | None = None
        self.end: tuple[int, int] | None = None

    def handle_starttag(self, tag, attrs):
        if self.end is not None:
            return
        if self.tag is None:
            values = dict(attrs)
            if all(values.get(k) == v for k, v in self.wanted.items()):
                self.tag, self.depth, self.start = tag, 1, self.getpos()
        elif tag == self.tag:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.tag is not None and self.end is None and tag == self.tag:
            self.depth -= 1
            if self.depth == 0:
                line, col = self.getpos()
                self.end = (line, col + len(f"</{tag}>"))


def _offset(lines: list[str], pos: tuple[int, int]) -> int:
    line, col = pos
    return sum(len(s) for s in lines[: line - 1]) + col


def element(html: str, **attrs: str) -> str:
    """The source of the first element whose attributes include `attrs` (use `data_field` for
    `data-field`, `class_` for `class`)."""
    wanted = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
    finder = _Finder(wanted)
    finder.feed(html)
    finder.close()
    assert finder.start is not None and finder.end is not None, f"no element with {wanted}"
    lines = html.splitlines(keepends=True)
    return html[_offset(lines, finder.start) : _offset(lines, finder.end)]


# A script element with code in the page (CSP refuses it); `<script src=…>` files are allowed.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>")


class _Unmarked(HTMLParser):
    """The text of a page outside elements marked as another language (`lang="zh-Hans"`)."""

    VOID = {"area", "base", "br", "col", "img", "input", "link", "meta", "hr", "source", "wbr"}

    def __init__(self, marked: str):
        super().__init__()
        self.marked, self.stack, self.text = marked, [], []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append((tag, (dict(attrs).get("lang") or "").startswith(self.marked)))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if not any(marked for _tag, marked in self.stack):
            self.text.append(data)


def unmarked_text(html: str, marked: str = "zh") -> str:
    """The words of `<main>` a reader sees in the page's own language (quotes marked `lang` left out)."""
    parser = _Unmarked(marked)
    parser.feed(html.split("<main", 1)[1].split("</main>", 1)[0])
    return " ".join(parser.text)
