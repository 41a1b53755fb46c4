"""The determination as a PDF (决定书): A4, laid out after GB/T 9704 by Typst (determination.typ beside
this file), PDF/A-3b with its facts and outcome attached, signed with the seal over the 落款. Made
once, when the determination is issued, and never again.

Typst compiles the three pages in a few times the time of a one-line WeasyPrint page (bench/
determination.py), and keeps the fonts it loaded between documents: one compiler per process, used
under a lock (a compile and the query of where the seal stands read the same state)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import subprocess  # fc-match, to find the fonts
import threading
from functools import cache
from pathlib import Path

import zxingcpp
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applications.models import Decision, Determination
from determinations import signing
from eligibility.presentation import figures
from kernel.errors import Unavailable
from measures import parameters, regions
from measures.outcome import Status
from measures.rmb import rmb_capitals

TEMPLATE = Path(__file__).with_name("determination.typ")
# Each face the template uses: its fontconfig pattern, how its file's name starts (fontconfig answers
# with some other font when the one asked for is missing), and the Debian package that has it.
FONTS = (("Noto Serif CJK SC:weight=regular", "NotoSerifCJK", "fonts-noto-cjk"),
         ("Noto Serif CJK SC:weight=bold", "NotoSerifCJK", "fonts-noto-cjk"),
         ("DejaVu Serif", "DejaVuSerif", "fonts-dejavu-core"))
CHINESE_DIGITS = "〇一二三四五六七八九"
ORDINALS = "一二三四五六七八九十"
REMEDY_DAYS, REMEDY_MONTHS = 60, 6
A4_HEIGHT_PT = 841.8898
MM_TO_PT = 72 / 25.4
SEAL_MM = 42  # the template's seal box
_lock = threading.Lock()


def chinese_date(day: dt.date) -> str:
    """二〇二五年三月一日: the year digit by digit, month and day as numbers in words (GB/T 9704)."""
    def number(n: int) -> str:
        tens, ones = divmod(n, 10)
        if tens == 0:
            return CHINESE_DIGITS[ones]
        return ("" if tens == 1 else CHINESE_DIGITS[tens]) + "十" + (CHINESE_DIGITS[ones] if ones else "")
    year = "".join(CHINESE_DIGITS[int(c)] for c in str(day.year))
    return f"{year}年{number(day.month)}月{number(day.day)}日"


def verification_url(code: str) -> str:
    return settings.SITE_URL + reverse("verify-code", args=[code])


def qr_svg(url: str) -> str:
    """The verification link as a QR code (ISO/IEC 18004, error correction M, the 4-module quiet zone),
    drawn as vector by zxing-cpp (its zint encoder chooses the mask in C: 0.1 ms, where a pure-Python
    encoder took 4 ms of every approval)."""
    symbol = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    return zxingcpp.write_barcode_to_svg(symbol)


def _numbered(items: list[tuple[list[list], list[str] | None]]) -> list[dict]:
    """The decision's paragraphs numbered （一）（二）…: each (its runs of [text, bold], the list that
    follows it or None), as the template's blocks."""
    blocks = []
    for i, (runs, following) in enumerate(items):
        blocks.append({"kind": "p", "runs": [[f"（{ORDINALS[i]}）", False], *runs]})
        if following is not None:
            blocks.append({"kind": "list", "items": following})
    return blocks


def _granted_item(m) -> str:
    referred = "（转有关部门按规定办理）" if m.status is Status.REFERRED else ""
    return f"{m.clause} {m.title}：{referred}" + "；".join(r.message for r in m.reasons if r.passed) + "。"


def _approval(determination: Determination, outcome, project: dict, note: str) -> list[dict]:
    """二、认定结果: the grant of 第4条 (or why there is none), then the measures the enterprise may use,
    then the reviewer's opinion, numbered （一）（二）… in that order."""
    measure4 = outcome.measure(4)
    items: list[tuple[list[list], list[str] | None]] = []
    if measure4.status is Status.ELIGIBLE:
        amount = determination.amount_cny
        items.append(([["依据第4条（投资补助），给予一次性前期补助", False],
                       [f"人民币{amount:,.2f}元（{rmb_capitals(amount)}）", True],
                       [f"，由{measure4.payer.name}拨付。本补助按项目一次性给予，同一项目不重复补助。", False]], None))
    elif project:
        reasons = "".join(f"{r.message}（{r.clause}）；" for r in measure4.reasons if r.passed is False)
        items.append(([[f"第4条（投资补助）不予补助，理由：{reasons}", False]], None))
    granted = [_granted_item(m) for m in outcome.measures if m.granted and m.number != 4]
    items.append(([["你单位可享受或由有关部门按规定办理以下政策措施：", False]], granted))
    if note:
        items.append(([[f"审核意见：{note}", False]], None))
    return _numbered(items)


def _rejection(outcome, note: str) -> list[dict]:
    """二、决定: not approved, the facts and reasons (the scope, and what 第4条 asked for: measures
    that merely do not apply are no refusal), the reviewer's opinion."""
    reasons = [f"{r.message}（{r.clause}）。" for r in outcome.scope if r.passed is False]
    reasons += [f"{m.clause} {m.title}：{r.message}（{r.clause}）。" for m in outcome.measures
                if m.number == 4 and m.status is Status.NOT_ELIGIBLE for r in m.reasons if r.passed is False][:40]
    items: list[tuple[list[list], list[str] | None]] = [
        ([["经审核，你单位的申请不予批准。", False]], None), ([["依据的事实和理由：", False]], reasons)]
    if note:
        items.append(([[f"审核意见：{note}", False]], None))
    return _numbered(items)


def document_data(determination: Determination) -> dict:
    """Everything the template says, worded in Chinese (the language of the determination)."""
    application = determination.application
    evaluation = determination.evaluation
    outcome = evaluation.result
    project = evaluation.facts.get("project") or {}
    enterprise = application.enterprise
    note = application.history.filter(to_state=determination.decision).values_list("note", flat=True).last() or ""
    document = parameters.value("policy.document", determination.issued_on)
    submitted_on = chinese_date(timezone.localdate(application.submitted_at)) if application.submitted_at else ""
    url = verification_url(determination.verification_code)
    approved = determination.decision == Decision.APPROVED
    return {
        "title": f"{determination.number} 关于{enterprise.name}绿色算力产业政策申请的决定",
        "number": determination.number, "authority": determination.authority_name, "enterprise": enterprise.name,
        "opening": f"你单位于{submitted_on}提交的绿色算力产业政策申请（申请编号{application.pk}）收悉。经审核，"
                   f"依据《海东市促进绿色算力产业发展若干措施（试行）》（{document}），现决定如下：",
        "brief": _brief(enterprise, project, evaluation),
        "decision_heading": "二、认定结果" if approved else "二、决定",
        "decision": _approval(determination, outcome, project, note) if approved else _rejection(outcome, note),
        "basis": f"本决定依据《海东市促进绿色算力产业发展若干措施（试行）》（{document}）作出。",
        "remedies": f"你单位如对本决定不服，可以自收到本决定书之日起{REMEDY_DAYS}日内向"
                    f"{settings.RECONSIDERATION_BODIES[determination.authority]}申请行政复议，或者自收到本决定书之日起"
                    f"{REMEDY_MONTHS}个月内依法向人民法院提起行政诉讼。",
        "issued_on": chinese_date(determination.issued_on),
        "code": determination.verification_code, "url": url, "rules_version": evaluation.rules_version,
    }


def _brief(enterprise, project: dict, evaluation) -> list[list[str]]:
    rows = [["企业名称", enterprise.name], ["统一社会信用代码", enterprise.credit_code]]
    if not project:
        return [*rows, ["项目", "未申报新建、扩建项目"]]
    region = project.get("region")
    county = regions.county_name(region) if region and regions.is_haidong_county(region) else region
    declared = figures(project.get("equipment_investment_cny")) or "—"
    recognized = figures(evaluation.recognized_investment_cny)
    racks = project.get("standard_racks")
    return [*rows,
            ["项目名称", project.get("name") or "—"],
            ["投资项目统一代码", project.get("code") or "—"],
            ["项目所在地", (county or "—") + ("（海东工业园区）" if project.get("in_industrial_park") else "")],
            ["申报投资额（机架及算力设备）", declared],
            ["认定投资额", recognized or f"{declared}（按申报额认定）"],
            ["实际建成标准机架数", "—" if racks is None else str(racks)],
            ["实际建成日期", project.get("completed_on") or "—"]]


FACTS_FILE, EVALUATION_FILE = "facts.json", "evaluation.json"


def embedded_data(determination: Determination) -> dict[str, str]:
    """The frozen facts and outcome, attached to the PDF/A-3b (AFRelationship /Source and /Data), so
    that anyone can re-run them: `python manage.py evaluate facts.json` (README)."""
    evaluation = determination.evaluation
    facts = {**evaluation.facts, "as_of": evaluation.as_of.isoformat()}
    record = {"determination": determination.number, "verification_code": determination.verification_code,
              "rules_version": evaluation.rules_version, "as_of": evaluation.as_of.isoformat(),
              "recognized_investment_cny": None if evaluation.recognized_investment_cny is None
              else f"{evaluation.recognized_investment_cny:.2f}", "outcome": evaluation.outcome}
    dump = functools.partial(json.dumps, ensure_ascii=False, indent=2, sort_keys=True)
    return {"facts": dump(facts), "evaluation": dump(record)}


@cache
def font_dirs() -> tuple[str, ...]:
    """The folders of the fonts the template names (Typst loads fonts by folder)."""
    files = (_font_file(pattern, stem) for pattern, stem, _package in FONTS)
    return tuple(dict.fromkeys(str(path.parent) for path in files if path))


def _font_file(pattern: str, stem: str) -> Path | None:
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}", pattern],  # noqa: S603, S607 - our own patterns
                             capture_output=True, text=True, timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    path = Path(out)
    return path if path.name.startswith(stem) and path.exists() else None


MISSING_GLYPH = "〓"  # 下脚号: the mark Chinese typesetting puts where a character cannot be set


@cache
def drawable() -> frozenset[int]:
    """The characters the template's fonts can draw. In PDF/A Typst refuses text it cannot draw (a
    rare 生僻字 outside the fonts, an emoji), and a decision must never fail on it."""
    from fontTools.ttLib import TTCollection, TTFont

    codes: set[int] = set()
    for pattern, stem, _package in FONTS:
        path = _font_file(pattern, stem)
        if path is not None:
            is_collection = path.suffix == ".ttc"
            faces = TTCollection(str(path), lazy=True).fonts if is_collection else [TTFont(str(path), lazy=True)]
            for face in faces:
                codes.update(face.getBestCmap() or {})
    return frozenset(codes)


def printable(value):
    """`value` (the document's words, nested) with every character the fonts cannot draw set as
    MISSING_GLYPH (and odd spaces as plain ones). The attached facts.json keeps the text as given."""
    if isinstance(value, str):
        codes = drawable()
        if all(ord(c) in codes or c == "\n" for c in value):
            return value
        return "".join(c if ord(c) in codes or c == "\n" else " " if c.isspace() else MISSING_GLYPH for c in value)
    if isinstance(value, dict):
        return {key: printable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [printable(item) for item in value]
    return value


@cache
def _compiler():
    import typst

    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=list(font_dirs()))
    return typst.Compiler(str(TEMPLATE), root=str(TEMPLATE.parent), font_paths=fonts)


def render_pdf(determination: Determination) -> bytes:
    """The determination's PDF, signed by its authority with the seal over the 落款 (DESIGN §12)."""
    if not drawable():  # no font at all: Typst would write a page without text (the start-up check warns)
        raise Unavailable(_("The fonts of the determination are not installed: nothing was saved. "
                            "Please tell the service's operators."))
    with translation.override("zh-hans"):
        data = printable(document_data(determination))
    inputs = {"data": json.dumps(data, ensure_ascii=False), "qr": qr_svg(data["url"]), **embedded_data(determination)}
    # Typst takes whole seconds with a fixed offset (Asia/Shanghai has been +08:00 since 1991).
    local = timezone.localtime(determination.issued_at)
    issued_at = local.replace(microsecond=0, tzinfo=dt.timezone(local.utcoffset()))
    with _lock:
        compiler = _compiler()
        pdf = compiler.compile(sys_inputs=inputs, pdf_standards="a-3b", timestamp=issued_at)
        position = json.loads(compiler.query("<seal-pos>", field="value", one=True))
    return signing.signer().sign(pdf, authority=determination.authority, box=seal_box(position))


def seal_box(position: dict) -> signing.Box:
    """Where the template put the seal (Typst's position of its top left, from the page's top left),
    as the page (0-based) and the rectangle in PDF points from the bottom left."""
    x, y, size = float(position["x"].removesuffix("pt")), float(position["y"].removesuffix("pt")), SEAL_MM * MM_TO_PT
    return signing.Box(position["page"] - 1, x, A4_HEIGHT_PT - y - size, x + size, A4_HEIGHT_PT - y)


def missing_pdf_requirements() -> list[str]:
    """What the PDFs need from the system and is absent (checked at start-up)."""
    return sorted({f"the font {pattern.split(':')[0]} (Debian {package})" for pattern, stem, package in FONTS
                   if _font_file(pattern, stem) is None})
