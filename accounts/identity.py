"""Usernames people cannot confuse: one canonical form (NFKC, case-folded) for storing and signing
in, and a skeleton (after Unicode TS #39) under which look-alikes collide: `ｌｅｄｕ_cloud` (full
width), `LEDU_cloud`, `lеdu_cloud` (Cyrillic е) and `1edu_cloud` all have the skeleton of
`ledu_cloud`. The confusable pairs are Unicode's own data, as shipped by confusable-homoglyphs."""

from __future__ import annotations

import unicodedata
from functools import cache

from confusable_homoglyphs import utils as homoglyphs

MARKS = "\u200e\u200f"  # the data wraps right-to-left glyphs in direction marks


def canonical(username: str) -> str:
    """How a username is stored and looked up: NFKC, then case-folded."""
    return unicodedata.normalize("NFKC", username).casefold()


@cache
def _prototypes() -> dict[str, str]:
    """Each confusable character mapped to its prototype. Unicode's data lists, for a source
    character, its one prototype (`1` → `l`, Cyrillic `е` → `e`) and, for a prototype, its many
    sources; two characters listing only each other map to the smaller."""
    data = {char: [g["c"].strip(MARKS) for g in glyphs] for char, glyphs in homoglyphs.load("confusables.json").items()
            if len(char) == 1}
    prototypes = {}
    for char, glyphs in data.items():
        single = [g for g in glyphs if len(g) == 1]
        if len(glyphs) == 1 and single:
            target = single[0]
            mutual = data.get(target) == [char]
            prototypes[char] = min(char, target) if mutual else target
    return prototypes


def _mapped(text: str) -> str:
    prototypes = _prototypes()
    return "".join(prototypes.get(c, c) for c in text)


def skeleton(username: str) -> str:
    """Equal for usernames that look alike; linear in the length, whatever the input. Mapped before
    and after case folding, so `Iedu` (capital i) meets `ledu` and `0` meets `o`."""
    return _mapped(_mapped(unicodedata.normalize("NFKC", username)).casefold())


def lockout_username(request, credentials) -> str | None:
    """The username django-axes counts failures against: the canonical one, so that `LEDU_cloud`
    and `ledu_cloud` are one account to the lockout as they are to the sign-in."""
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username")
    return canonical(raw) if isinstance(raw, str) else raw
