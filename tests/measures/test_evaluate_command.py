"""`manage.py evaluate`: facts in (one object or JSON Lines), one outcome JSON per line out."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from measures import messages, serialize
from measures.engine import evaluate
from measures.facts import parse_facts

AS_OF = "2025-03-01"
ENTERPRISE = {
    "name": "青海示例算力科技有限公司",
    "credit_code": "91630202MA7ABCDE1Y",
    "sectors": ["cloud_computing"],
    "activities": ["operation"],
    "qualifications": [],
}
PROJECT = {
    "code": "2406-630202-04-01-532198",
    "name": "乐都绿色算力中心一期",
    "kind": "new",
    "category": "data_center",
    "region": "630202",
    "in_industrial_park": True,
    "standard_racks": 1200,
    "equipment_investment_cny": "320000000.00",
    "completed_on": "2025-01-15",
}
TIER_1 = {"as_of": AS_OF, "enterprise": ENTERPRISE, "project": PROJECT}
TIER_2 = {"as_of": "2025-04-01", "enterprise": ENTERPRISE,
          "project": {**PROJECT, "equipment_investment_cny": "500000000.01", "in_industrial_park": False}}
NO_PROJECT = {"as_of": "2025-05-01", "enterprise": ENTERPRISE}
OUT_OF_SCOPE = {"as_of": AS_OF, "enterprise": {**ENTERPRISE, "credit_code": "91630100MA7XN00014"}}
NOT_IN_FORCE = {**TIER_1, "as_of": "2024-06-30"}
BAD_CHECKSUM = {"as_of": AS_OF, "enterprise": {**ENTERPRISE, "credit_code": "91630202MA7ABCDE10"}}


def jsonl(*objects: Any) -> str:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects)


def expected(facts: dict[str, Any], lang: str = "zh-hans") -> dict[str, Any]:
    parsed = parse_facts(facts)
    return serialize.evaluation(evaluate(parsed, parsed.as_of), lang)


def run(*args: str, stdin: str | None = None) -> tuple[int, list[str], list[str]]:
    """(exit status, stdout lines, stderr lines) of the command run in-process."""
    out, err = StringIO(), StringIO()
    options: dict[str, Any] = {"stdout": out, "stderr": err}
    if stdin is not None:
        options["stdin"] = StringIO(stdin)
    try:
        call_command("evaluate", *args, **options)
        status = 0
    except SystemExit as exc:
        status = exc.code
    return status, out.getvalue().splitlines(), err.getvalue().splitlines()


@pytest.fixture
def write(tmp_path: Path):
    def write(text: str | bytes, name: str = "facts.jsonl") -> str:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return str(path)
    return write


def test_it_evaluates_a_single_object_from_a_file(write) -> None:
    status, out, err = run(write(json.dumps(TIER_1, ensure_ascii=False), "facts.json"))
    assert (status, err) == (0, [])
    assert len(out) == 1
    outcome = json.loads(out[0])
    assert outcome == expected(TIER_1)
    assert [m["number"] for m in outcome["measures"]] == list(range(1, 21))
    assert outcome["measures"][3]["status"] == "eligible"
    assert outcome["measures"][3]["amount_cny"] == "1000000.00"


def test_it_evaluates_a_pretty_printed_object(write) -> None:
    status, out, err = run(write(json.dumps(TIER_2, ensure_ascii=False, indent=2), "facts.json"))
    assert (status, err) == (0, [])
    assert [json.loads(line) for line in out] == [expected(TIER_2)]


def test_it_writes_compact_utf8_json_one_line_per_outcome(write) -> None:
    _, out, _ = run(write(jsonl(TIER_1)))
    assert "东政办〔2024〕59号" in out[0]
    assert "\\u" not in out[0]
    assert out[0] == json.dumps(json.loads(out[0]), ensure_ascii=False, separators=(",", ":"))


def test_it_evaluates_json_lines_in_order(write) -> None:
    facts = [TIER_1, TIER_2, NO_PROJECT, OUT_OF_SCOPE, NOT_IN_FORCE]
    status, out, err = run(write(jsonl(*facts)))
    assert (status, err) == (0, [])
    assert [json.loads(line) for line in out] == [expected(f) for f in facts]


def test_it_reports_a_bad_line_in_the_middle_and_carries_on(write) -> None:
    text = jsonl(TIER_1) + "{not json\n" + jsonl(TIER_2, NO_PROJECT)
    status, out, err = run(write(text))
    assert status == 1
    assert err == [f"line 2: body: {messages.field_error('body', 'invalid_json', 'zh-hans')}"]
    assert [json.loads(line) for line in out] == [expected(TIER_1), expected(TIER_2), expected(NO_PROJECT)]


def test_it_reports_each_facts_error_with_its_line_and_field(write) -> None:
    bad = {"as_of": AS_OF, "enterprise": {**ENTERPRISE, "credit_code": "91630202MA7ABCDE10",
                                          "sectors": ["mining"]}}
    status, out, err = run(write(jsonl(TIER_1, TIER_2, bad, NO_PROJECT)))
    assert status == 1
    assert err == [
        f"line 3: enterprise.credit_code: "
        f"{messages.field_error('enterprise.credit_code', 'invalid_checksum', 'zh-hans')}",
        f"line 3: enterprise.sectors.0: "
        f"{messages.field_error('enterprise.sectors.0', 'invalid_choice', 'zh-hans')}",
    ]
    assert len(out) == 3
    assert json.loads(out[2]) == expected(NO_PROJECT)


def test_it_reports_a_line_that_is_not_an_object(write) -> None:
    status, out, err = run(write(jsonl(TIER_1, [TIER_2], "text", 42)))
    assert status == 1
    message = messages.field_error("body", "not_an_object", "zh-hans")
    assert err == [f"line {n}: body: {message}" for n in (2, 3, 4)]
    assert len(out) == 1


def test_it_reports_a_line_that_is_not_utf8_and_carries_on(write) -> None:
    text = jsonl(TIER_1).encode() + b'{"as_of": "\xff"}\n' + jsonl(TIER_2).encode()
    status, out, err = run(write(text))
    assert status == 1
    assert err == [f"line 2: body: {messages.field_error('body', 'invalid_json', 'zh-hans')}"]
    assert [json.loads(line) for line in out] == [expected(TIER_1), expected(TIER_2)]


def test_it_takes_json_lines_with_a_bad_first_line_line_by_line(write) -> None:
    status, out, err = run(write("{\n" + jsonl(TIER_1, TIER_2)))
    assert status == 1
    assert err == [f"line 1: body: {messages.field_error('body', 'invalid_json', 'zh-hans')}"]
    assert [json.loads(line) for line in out] == [expected(TIER_1), expected(TIER_2)]


def test_it_skips_blank_lines_but_counts_them(write) -> None:
    text = "\n" + jsonl(TIER_1) + "   \n\n" + jsonl(BAD_CHECKSUM) + "\r\n" + jsonl(TIER_2)
    status, out, err = run(write(text))
    assert status == 1
    assert len(err) == 1
    assert err[0].startswith("line 5: enterprise.credit_code: ")
    assert len(out) == 2


def test_it_accepts_a_byte_order_mark(write) -> None:
    status, out, _ = run(write(b"\xef\xbb\xbf" + jsonl(TIER_1).encode()))
    assert status == 0
    assert [json.loads(line) for line in out] == [expected(TIER_1)]


@pytest.mark.parametrize("args", [(), ("-",)])
def test_it_reads_stdin_without_a_file_or_with_a_dash(args: tuple[str, ...]) -> None:
    status, out, err = run(*args, stdin=jsonl(TIER_1, NO_PROJECT))
    assert (status, err) == (0, [])
    assert [json.loads(line) for line in out] == [expected(TIER_1), expected(NO_PROJECT)]


def test_it_writes_english_with_lang_en(write) -> None:
    status, out, err = run(write(jsonl(TIER_1) + "[]\n"), "--lang", "en")
    assert status == 1
    assert err == [f"line 2: body: {messages.field_error('body', 'not_an_object', 'en')}"]
    english = json.loads(out[0])
    assert english == expected(TIER_1, "en")
    assert english["measures"][3]["payer"]["name"] == "Haidong Industrial Park Administrative Committee"


def test_it_keeps_codes_and_statuses_whatever_the_language(write) -> None:
    path = write(jsonl(TIER_1, OUT_OF_SCOPE))
    _, zh, _ = run(path)
    _, en, _ = run(path, "--lang", "en")

    def codes(line: str) -> list[Any]:
        outcome = json.loads(line)
        return [(m["status"], [r["code"] for r in m["reasons"]]) for m in outcome["measures"]]

    assert [codes(line) for line in zh] == [codes(line) for line in en]
    assert zh != en


def test_it_refuses_an_unknown_language() -> None:
    with pytest.raises(CommandError):
        call_command("evaluate", "--lang", "fr", stdin=StringIO(""), stdout=StringIO(), stderr=StringIO())


def test_it_defaults_as_of_to_today_in_shanghai(write, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2029, 6, 30))
    undated = {"enterprise": ENTERPRISE, "project": PROJECT}
    status, out, _ = run(write(jsonl(undated, TIER_1)))
    assert status == 0
    assert json.loads(out[0]) == expected({**undated, "as_of": "2029-06-30"})
    assert json.loads(out[1])["as_of"] == AS_OF


def test_it_stops_with_an_error_when_the_file_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read"):
        call_command("evaluate", str(tmp_path / "missing.jsonl"), stdout=StringIO(), stderr=StringIO())


def test_it_evaluates_ten_thousand_lines(write) -> None:
    facts = [TIER_1, TIER_2, NO_PROJECT, OUT_OF_SCOPE, NOT_IN_FORCE]
    status, out, err = run(write(jsonl(*(facts[i % len(facts)] for i in range(10_000)))))
    assert (status, err) == (0, [])
    assert len(out) == 10_000
    assert json.loads(out[-1]) == expected(facts[9_999 % len(facts)])


def test_it_runs_from_manage_py_reading_stdin() -> None:
    base = Path(settings.BASE_DIR)
    python = base / ".venv" / "bin" / "python"
    text = jsonl(TIER_1) + "oops\n" + jsonl(TIER_2)
    executable = str(python if python.exists() else sys.executable)
    command = [executable, str(base / "manage.py"), "evaluate", "--lang", "en"]
    done = subprocess.run(
        command,
        input=text.encode(), capture_output=True, cwd=base, timeout=120, check=False,
    )
    assert done.returncode == 1
    assert done.stderr.decode().splitlines() == [
        f"line 2: body: {messages.field_error('body', 'invalid_json', 'en')}"
    ]
    out = done.stdout.decode("utf-8").splitlines()
    assert [json.loads(line) for line in out] == [expected(TIER_1, "en"), expected(TIER_2, "en")]


RULE_CASES = json.loads((Path(__file__).parent / "rule_cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("jobs", ["2", "3", "0"])
def test_it_answers_in_the_input_order_with_several_jobs(jobs, monkeypatch):
    from eligibility.management.commands import evaluate as command

    monkeypatch.setattr(command, "CHUNK", 7)  # many chunks, handed to the workers out of step
    lines = [json.dumps(case["facts"], ensure_ascii=False) for case in RULE_CASES]
    lines[10:10] = ["{not json", json.dumps(BAD_CHECKSUM), ""]  # bad lines and a blank one among them
    stdin = "\n".join(lines) + "\n"
    one = run("--jobs", "1", stdin=stdin)
    several = run("--jobs", jobs, stdin=stdin)
    assert several == one
    status, out, err = several
    assert status == 1 and len(out) == len(RULE_CASES)
    assert err[0].startswith("line 11: body:") and err[1].startswith("line 12: enterprise.credit_code:")
    assert json.loads(out[0]) == expected(RULE_CASES[0]["facts"])
    assert json.loads(out[-1]) == expected(RULE_CASES[-1]["facts"])


def test_it_refuses_a_negative_number_of_jobs():
    with pytest.raises(CommandError, match="--jobs"):
        call_command("evaluate", "--jobs", "-1", stdin=StringIO(jsonl(TIER_1)), stdout=StringIO())


def test_it_shows_progress_on_a_terminal_only():
    from eligibility.management.commands.evaluate import Progress

    shown = StringIO()
    progress = Progress(shown)
    progress.add(200)
    progress.add(200)
    progress.done()
    text = shown.getvalue()  # the second 200 came within half a second: shown only at the end
    assert text.startswith("\r200 lines evaluated (") and text.count("\r") == 2
    assert text.rsplit("\r", 1)[1].startswith("400 lines evaluated (") and text.endswith("/s)\n")
    _status, _out, err = run("--jobs", "2", stdin=jsonl(TIER_1, TIER_2))
    assert err == []  # not a terminal: no progress in the output


def test_it_writes_the_same_bytes_as_the_standard_json_writer():
    _status, out, _err = run(stdin="".join(json.dumps(case["facts"], ensure_ascii=False) + "\n" for case in RULE_CASES))
    standard = [json.dumps(expected(case["facts"]), ensure_ascii=False, separators=(",", ":")) for case in RULE_CASES]
    assert out == standard
