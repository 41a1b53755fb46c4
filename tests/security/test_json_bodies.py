"""kernel.http.read_json: a body is walked for bad text and depth unless its bytes show it cannot
hold either (`_plainly_fit`). The shortcut must never let through what the walk refuses."""

from __future__ import annotations

import json

import pytest

from kernel.errors import Invalid
from kernel.http import MAX_DEPTH, _plainly_fit, _unfit, read_json


class Body:
    def __init__(self, raw: bytes):
        self.body = raw


def nested(depth: int) -> bytes:
    return ("[" * depth + "1" + "]" * depth).encode()


BODIES = {
    "plain facts": json.dumps({"enterprise": {"name": "青海示例算力科技有限公司", "sectors": ["ai"]}},
                              ensure_ascii=False).encode(),
    "escaped NUL": b'{"name": "a\\u0000b"}',
    "escaped lone surrogate": b'{"name": "a\\ud800b"}',
    "escaped pair (a real character)": b'{"name": "\\ud83d\\ude42"}',
    "escaped surrogate in a key": b'{"\\udfff": 1}',
    "encoded lone surrogate": b'{"name": "a\xed\xa0\x80b"}',
    "UTF-16 with a lone surrogate": '{"name": "a\ud800"}'.encode("utf-16-le", "surrogatepass"),
    "UTF-16 plain": '{"name": "示例"}'.encode("utf-16"),
    "brackets in text only": json.dumps({"name": "[" * 40}).encode(),
    **{f"nested {d}": nested(d) for d in (MAX_DEPTH - 2, MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, MAX_DEPTH + 5)},
}


@pytest.mark.parametrize("raw", BODIES.values(), ids=BODIES.keys())
def test_it_takes_the_shortcut_only_for_bodies_the_walk_accepts(raw):
    data = json.loads(raw)
    if _plainly_fit(raw):
        assert _unfit(data) is None


@pytest.mark.parametrize(("name", "code"), [("escaped NUL", "invalid_character"),
                                            ("escaped lone surrogate", "invalid_character"),
                                            ("escaped surrogate in a key", "invalid_character"),
                                            ("encoded lone surrogate", "invalid_character"),
                                            ("UTF-16 with a lone surrogate", "invalid_character"),
                                            (f"nested {MAX_DEPTH}", "too_deep"),
                                            (f"nested {MAX_DEPTH + 5}", "too_deep")])
def test_it_still_refuses_what_the_walk_refuses(name, code):
    with pytest.raises(Invalid) as refused:
        read_json(Body(BODIES[name]))
    assert refused.value.errors[0]["code"] == code


@pytest.mark.parametrize("name", ["plain facts", "escaped pair (a real character)", "UTF-16 plain",
                                  "brackets in text only", f"nested {MAX_DEPTH - 1}"])
def test_it_reads_fit_bodies(name):
    assert read_json(Body(BODIES[name])) == json.loads(BODIES[name])


def test_it_skips_the_walk_for_an_ordinary_body():
    assert _plainly_fit(BODIES["plain facts"]) and not _plainly_fit(BODIES["escaped NUL"])
