"""`manage.py evaluate [FILE]`: evaluate facts in bulk, one outcome JSON per line.

Input is one JSON object (possibly pretty-printed over several lines) or JSON Lines, from FILE
or stdin. Lines are streamed, so a large JSON Lines file never sits in memory, and a bad line is
reported on stderr without stopping the run.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from measures import messages, serialize
from measures.engine import evaluate
from measures.facts import FactsError, parse_facts

# (line number, decoded line or None when the bytes are not UTF-8)
Line = tuple[int, str | None]


class Command(BaseCommand):
    help = (
        "Evaluate enterprise facts against the 20 measures. Reads one JSON object or JSON Lines from "
        "FILE or stdin and writes one outcome JSON per line. Bad lines are reported on stderr as "
        "'line N: <field>: <message>'; exit status 1 when any line was bad."
    )
    # Lets tests hand in a text stream instead of the process's stdin.
    stealth_options = ("stdin",)
    # Pure computation: no database, URLs or templates, so a batch does not wait for (or fail on)
    # checks of parts of the project it never touches.
    requires_system_checks = ()

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", nargs="?", default="-", help="facts file; '-' or none reads stdin")
        parser.add_argument(
            "--lang", choices=messages.LANGUAGES, default=messages.DEFAULT_LANGUAGE,
            help="language of the messages in the outcome (default zh-hans)",
        )

    def execute(self, *args: Any, **options: Any) -> str | None:
        # JSON Lines out is UTF-8 (ensure_ascii=False) whatever the locale says.
        for name in ("stdout", "stderr"):
            stream = getattr(sys, name)
            if options.get(name) is None and isinstance(stream, io.TextIOWrapper) \
                    and stream.encoding.lower().replace("-", "") != "utf8":
                stream.reconfigure(encoding="utf-8")
        return super().execute(*args, **options)

    def handle(self, *args: Any, file: str, lang: str, **options: Any) -> None:
        # One date for the whole run, so every line of a batch is judged on the same day.
        today = timezone.localdate()
        self._bad = False
        if file == "-":
            stdin = options.get("stdin")
            lines = _numbered(stdin) if stdin is not None else _decoded(sys.stdin.buffer)
            self._run(lines, today, lang)
        else:
            try:
                handle = open(file, "rb")  # noqa: SIM115 - closed below, after streaming
            except OSError as exc:
                raise CommandError(f"cannot read {file}: {exc.strerror}") from None
            with handle:
                self._run(_decoded(handle), today, lang)
        if self._bad:
            sys.exit(1)

    def _run(self, lines: Iterator[Line], today: dt.date, lang: str) -> None:
        for number, data in _documents(lines):
            self._one(number, data, today, lang)

    def _one(self, number: int, data: Any, today: dt.date, lang: str) -> None:
        if data is _INVALID:
            self._report(number, [{"field": "body", "code": "invalid_json"}], lang)
            return
        try:
            facts = parse_facts(data)
        except FactsError as exc:
            self._report(number, exc.errors, lang)
            return
        outcome = serialize.evaluation(evaluate(facts, facts.as_of or today), lang)
        self.stdout.write(json.dumps(outcome, ensure_ascii=False, separators=(",", ":")))

    def _report(self, number: int, errors: list[dict[str, str]], lang: str) -> None:
        self._bad = True
        for error in errors:
            message = messages.field_error(error["field"], error["code"], lang)
            self.stderr.write(f"line {number}: {error['field']}: {message}")


_INVALID = object()


def _decoded(stream: Iterable[bytes]) -> Iterator[Line]:
    for number, raw in enumerate(stream, start=1):
        try:
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            yield number, None
        else:
            yield number, text


def _numbered(stream: Iterable[str]) -> Iterator[Line]:
    for number, text in enumerate(stream, start=1):
        yield number, text.removeprefix("\ufeff") if number == 1 else text


def _loads(text: str | None) -> Any:
    if text is None:
        return _INVALID
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
        return _INVALID


def _documents(lines: Iterator[Line]) -> Iterator[tuple[int, Any]]:
    """(line number, parsed JSON or _INVALID) per non-blank line, or once for a multi-line object.

    A first non-blank line that is not JSON on its own may open a pretty-printed object: then the
    rest of the input is read and parsed with it as one document. If that fails too, the input was
    JSON Lines with a bad first line, and every line is taken on its own.
    """
    for number, text in lines:
        if text is not None and not text.strip():
            continue
        first = _loads(text)
        if first is _INVALID and text is not None:
            rest = list(lines)
            texts = [t for _, t in rest]
            whole = _INVALID if None in texts else _loads("".join([text, *texts]))
            if whole is not _INVALID:
                yield number, whole
                return
            lines = iter(rest)
        yield number, first
        break
    for number, text in lines:
        if text is not None and not text.strip():
            continue
        yield number, _loads(text)
