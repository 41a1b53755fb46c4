"""`manage.py evaluate [FILE]`: evaluate facts in bulk, one outcome JSON per line.

Input is one JSON object (possibly pretty-printed over several lines) or JSON Lines, from FILE
or stdin. Lines are streamed, so a large JSON Lines file never sits in memory, and a bad line is
reported on stderr without stopping the run. `--jobs N` evaluates in N processes (chunks of lines,
answers written in the input's order); on a terminal, progress is shown on stderr.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import multiprocessing
import os
import sys
import time
from collections.abc import Iterable, Iterator
from typing import Any

import orjson
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
        parser.add_argument(
            "--jobs", type=int, default=1, metavar="N",
            help="processes evaluating at once (default 1; 0: one per CPU); answers keep the input's order",
        )

    def execute(self, *args: Any, **options: Any) -> str | None:
        # JSON Lines out is UTF-8 (ensure_ascii=False) whatever the locale says.
        for name in ("stdout", "stderr"):
            stream = getattr(sys, name)
            if options.get(name) is None and isinstance(stream, io.TextIOWrapper) \
                    and stream.encoding.lower().replace("-", "") != "utf8":
                stream.reconfigure(encoding="utf-8")
        return super().execute(*args, **options)

    def handle(self, *args: Any, file: str, lang: str, jobs: int = 1, **options: Any) -> None:
        # One date for the whole run, so every line of a batch is judged on the same day.
        today = timezone.localdate()
        if jobs < 0:
            raise CommandError("--jobs must be 0 (one per CPU) or more")
        self._jobs, self._lang = jobs or os.cpu_count() or 1, lang
        self._progress = Progress(sys.stderr) if options.get("stderr") is None and sys.stderr.isatty() else None
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
        chunks = ((chunk, today, lang) for chunk in _batched(_documents(lines), 1 if self._jobs == 1 else CHUNK))
        if self._jobs == 1:
            self._write(map(_evaluated_chunk, chunks))
            return
        # fork: the workers start with Django set up and the rules loaded, as this process has them.
        with multiprocessing.get_context("fork").Pool(self._jobs) as pool:
            self._write(pool.imap(_evaluated_chunk, chunks))

    def _write(self, results: Iterator[Chunk]) -> None:
        raw = getattr(self.stdout._out, "buffer", None)  # the process's stdout: bytes straight to it
        if raw is not None:
            self.stdout._out.flush()  # what was written as text before goes first
        for text, bad, count in results:
            if text and raw is not None:
                raw.write(text)  # the chunk's answers, one line each, in one write
                raw.flush()
            elif text:
                self.stdout.write(text.decode(), ending="")
            for number, errors in bad:
                self._report(number, errors, self._lang)
            if self._progress:
                self._progress.add(count)
        if self._progress:
            self._progress.done()

    def _report(self, number: int, errors: list[dict[str, str]], lang: str) -> None:
        self._bad = True
        for error in errors:
            message = messages.field_error(error["field"], error["code"], lang)
            self.stderr.write(f"line {number}: {error['field']}: {message}")


CHUNK = 200  # lines sent to a worker at once: large enough that the hand-over costs little
# (line number, the outcome as one JSON line in UTF-8 or None, the errors or None)
Result = tuple[int, bytes | None, list[dict[str, str]] | None]
# A chunk's answers: (their lines as one UTF-8 text, (line number, errors) of the bad lines, lines read)
Chunk = tuple[bytes, list[tuple[int, list[dict[str, str]]]], int]


def _evaluated(number: int, text: str | None, today: dt.date, lang: str) -> Result:
    data = _loads(text)
    if data is _INVALID:
        return number, None, [{"field": "body", "code": "invalid_json"}]
    try:
        facts = parse_facts(data)
    except FactsError as exc:
        return number, None, exc.errors
    outcome = serialize.evaluation(evaluate(facts, facts.as_of or today), lang)
    # orjson writes what json.dumps(…, ensure_ascii=False, separators=(",", ":")) would, in UTF-8,
    # ~10x faster; bytes travel from the workers without being decoded and encoded again.
    return number, orjson.dumps(outcome), None


def _evaluated_chunk(job: tuple[list[tuple[int, str | None]], dt.date, str]) -> Chunk:
    chunk, today, lang = job
    results = [_evaluated(number, text, today, lang) for number, text in chunk]
    text = b"".join(answer + b"\n" for _number, answer, _errors in results if answer is not None)
    bad = [(number, errors or []) for number, answer, errors in results if answer is None]
    return text, bad, len(chunk)


def _batched(items: Iterator, size: int) -> Iterator[list]:
    while batch := list(itertools.islice(items, size)):
        yield batch


class Progress:
    """Lines evaluated and their rate, rewritten in place on a terminal (at most twice a second)."""

    def __init__(self, stream) -> None:
        self.stream, self.count, self.start, self.shown = stream, 0, time.monotonic(), 0.0

    def add(self, n: int) -> None:
        self.count += n
        now = time.monotonic()
        if now - self.shown >= 0.5:
            self.shown = now
            self._show(now)

    def done(self) -> None:
        self._show(time.monotonic())
        self.stream.write("\n")

    def _show(self, now: float) -> None:
        rate = self.count / max(now - self.start, 1e-9)
        self.stream.write(f"\r{self.count:,} lines evaluated ({rate:,.0f}/s)")
        self.stream.flush()


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


def _documents(lines: Iterator[Line]) -> Iterator[tuple[int, str | None]]:
    """(line number, its text, or None when it is not UTF-8) per non-blank line, or once for a
    multi-line object (its whole text). Parsing is left to `_evaluated`, in the workers.

    A first non-blank line that is not JSON on its own may open a pretty-printed object: then the
    rest of the input is read and parsed with it as one document. If that fails too, the input was
    JSON Lines with a bad first line, and every line is taken on its own.
    """
    for number, text in lines:
        if text is not None and not text.strip():
            continue
        if text is not None and _loads(text) is _INVALID:
            rest = list(lines)
            texts = [t for _, t in rest]
            whole = None if None in texts else "".join([text, *texts])
            if whole is not None and _loads(whole) is not _INVALID:
                yield number, whole
                return
            lines = iter(rest)
        yield number, text
        break
    for number, text in lines:
        if text is not None and not text.strip():
            continue
        yield number, text
