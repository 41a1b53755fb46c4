"""What the pages show: the §4 evaluation JSON and the catalogue arranged for templates.

Pure functions of already computed data (no request, no ORM), so the views stay thin. Texts of
outcomes come from `measures.messages` via `serialize`; only page wording lives here.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from measures import catalogue, labels, parameters
from measures.rmb import rmb_capitals

STATUS_LABELS = {
    "eligible": _("Eligible"),
    "referred": _("Referred"),
    "not_eligible": _("Not eligible"),
    "needs_info": _("Needs information"),
    "not_applicable": _("Not applicable"),
}
STATUS_ORDER = tuple(STATUS_LABELS)

KIND_LABELS = {
    "service": _("Service"),
    "subsidy": _("Subsidy"),
    "provincial_standard": _("At the provincial standard"),
    "tax": _("Tax incentive"),
    "case_by_case": _("Case by case"),
}

CHECK_LABELS = {"passed": _("Met"), "failed": _("Not met"), "missing": _("Missing")}

# Units shown beside a parameter's value; lists, texts and dates speak for themselves.
UNIT_LABELS = {
    "CNY": _("CNY"),
    "percent": "",
    "list": "",
    "text": "",
    "date": "",
    "kW": "kW",
    "racks": _("racks"),
}

# Each dated parameter named in words on the pages (the key stays in the API): (zh-hans, en).
PARAMETER_LABELS = {
    "policy.document": ("文件编号", "Document number"),
    "policy.valid_from": ("施行日期", "In force from"),
    "policy.valid_to": ("有效期至", "In force until"),
    "scope.enterprise_credit_code_prefixes": ("企业的统一社会信用代码前两位", "Credit-code prefix of an enterprise"),
    "scope.listed_sectors": ("列明的领域", "Listed fields"),
    "scope.listed_activities": ("列明的环节", "Listed activities"),
    "m01.green_power_share_percent": ("绿电用能保障比例", "Green power share secured"),
    "m04.eligible_categories": ("补助的项目类别", "Project categories subsidised"),
    "m04.eligible_kinds": ("补助的建设性质", "Project kinds subsidised"),
    "m04.built_not_before": ("计入实际建成的最早日期（本服务的理解）",
                             "Earliest completion counted (this service's reading)"),
    "m04.rack_power_kw": ("标准机架功率（本服务的理解）", "Power of a standard rack (this service's reading)"),
    "m04.min_racks_data_center": ("数据中心至少须建成的标准机架", "Standard racks a data centre must have built"),
    "m04.tiers": ("补助标准", "Subsidy by investment"),
    "m04.park_payer": ("园区项目的补助承担方", "Payer for projects in the park"),
    "m04.county_payer_suffix": ("园区外项目的补助承担方", "Payer for projects outside the park"),
    "m06.preferential_cit_rate_percent": ("企业所得税优惠税率", "Preferential corporate income tax rate"),
    "regions.haidong": ("海东市行政区划代码", "Haidong division codes"),
}

# Parameters whose list values are enum values with display names.
VALUE_GROUPS = {
    "scope.listed_sectors": "sector",
    "scope.listed_activities": "activity",
    "m04.eligible_categories": "category",
    "m04.eligible_kinds": "kind",
}


def figures(amount: Decimal | str | None) -> str | None:
    """¥1,000,000.00"""
    if amount is None:
        return None
    return f"¥{Decimal(amount):,.2f}"


def capitals(amount: Decimal | str | None) -> str | None:
    return None if amount is None else rmb_capitals(Decimal(amount))


def clause_texts() -> dict[str, dict[str, str]]:
    """Each clause citation ("第4条", "第七部分") with its Chinese text and English rendering."""
    zh = catalogue.legal_clauses()
    en = catalogue.english_clauses()
    return {clause: {"zh": text, "en": en.get(clause, "")} for clause, text in zh.items()}




def clause_label(clause: str, lang: str) -> str:
    """第4条 → "Art. 4", 第七部分 → "Part VII" on English pages; other sources as cited."""
    if lang != "en":
        return clause
    if match := re.fullmatch(r"第(\d+)条", clause):
        return f"Art. {match[1]}"
    if clause == catalogue.SCOPE_CLAUSE:
        return "Part VII"  # 七、其他
    return clause


def reference_label(reference: str, lang: str) -> str:
    """A parameter's source as cited, its clauses said the reader's way ("第4条 (标准机架)" → "Art. 4 (标准机架)")."""
    if lang != "en":
        return reference
    reference = reference.replace(catalogue.SCOPE_CLAUSE, "Part VII")
    return re.sub(r"第(\d+)条", r"Art. \1", reference)


def _reason(r: dict[str, Any], clauses: dict[str, dict[str, str]], lang: str) -> dict[str, Any]:
    texts = clauses.get(r["clause"], {})
    text = texts.get("en") if lang == "en" else None
    return {
        "code": r["code"],
        "status": r["status"],
        "status_label": CHECK_LABELS[r["status"]],
        "message": r["message"],
        # This service's reading where the text is silent (DESIGN §10): said so on the page.
        "reading": r.get("basis") == "reading",
        "clause": r["clause"],
        "clause_label": clause_label(r["clause"], lang),
        # The hover text and expanded text: the page's language, Chinese when nothing else exists.
        "clause_text": text or texts.get("zh", ""),
        "clause_text_zh": texts.get("zh", ""),
        "clause_text_en": texts.get("en", ""),
    }


def _missing(paths: list[str], lang: str) -> list[dict[str, str]]:
    return [{"path": p, "label": labels.field(p, lang), "anchor": f"f-{p}"} for p in paths]


def outcome(result: dict[str, Any], lang: str) -> dict[str, Any]:
    """The §4 evaluation JSON (`serialize.evaluation`) as chapters of measure cards."""
    clauses = clause_texts()
    chapters: dict[int, dict[str, Any]] = {}
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for m in result["measures"]:
        counts[m["status"]] += 1
        chapter = chapters.setdefault(m["chapter"], _chapter(m["chapter"], lang))
        payer = m["payer"]
        chapter["measures"].append({
            "number": m["number"],
            "anchor": f"r{m['number']}",
            "clause": m["clause"],
            "clause_label": clause_label(m["clause"], lang),
            "title": m["title_en"] if lang == "en" else m["title"],
            "title_other": m["title"] if lang == "en" else m["title_en"],
            "kind": m["kind"],
            "kind_label": KIND_LABELS[m["kind"]],
            "status": m["status"],
            "status_label": STATUS_LABELS[m["status"]],
            "amount": m["amount_cny"],
            "amount_figures": figures(m["amount_cny"]),
            "amount_capitals": capitals(m["amount_cny"]),
            "payer": None if payer is None else {"kind": payer["kind"], "name": payer["name"]},
            "reasons": [_reason(r, clauses, lang) for r in m["reasons"]],
            "missing": _missing(m["missing"], lang),
            "what_if": [what_if_text(w, lang) for w in m.get("what_if", [])],
            "open": bool(m["amount_cny"]) or m["status"] == "needs_info",
        })
    # A scope fact that is missing blocks every measure with the same missing fields (DESIGN §9).
    scope_open = any(r["status"] == "missing" for r in result["scope"])
    scope_missing = result["measures"][0]["missing"] if scope_open else []
    return {
        "as_of": result["as_of"],
        "rules_version": result["rules_version"],
        "policy": result["policy"],
        "in_force": result["in_force"],
        "in_scope": result["in_scope"],
        "scope": [_reason(r, clauses, lang) for r in result["scope"]],
        "scope_missing": _missing(scope_missing, lang),
        "warnings": result["warnings"],
        "chapters": [chapters[n] for n in sorted(chapters)],
        "counts": [{"status": s, "label": STATUS_LABELS[s], "count": counts[s]} for s in STATUS_ORDER if counts[s]],
        "payer": next((m["payer"]["name"] for m in result["measures"] if m["payer"]), None),
        "to_act": [{**card, "why": STATUS_LABELS[card["status"]] if card["status"] == "needs_info"
                    else _("How to qualify")}
                   for chapter in chapters.values() for card in chapter["measures"]
                   if card["status"] == "needs_info" or (card["what_if"] and card["status"] != "eligible")],
        "total_figures": figures(result["total_amount_cny"]),
        "total_capitals": capitals(result["total_amount_cny"]),
    }


def _chapter(number: int, lang: str) -> dict[str, Any]:
    zh, en = catalogue.CHAPTERS[number]
    return {
        "number": number,
        "numeral": catalogue.CHAPTER_NUMERALS[number - 1],
        "title": en if lang == "en" else zh,
        "title_other": zh if lang == "en" else en,
        "measures": [],
    }


# --- catalogue ---------------------------------------------------------------------------------


def catalogue_chapters(as_of: dt.date, lang: str) -> list[dict[str, Any]]:
    chapters: dict[int, dict[str, Any]] = {}
    for e in catalogue.entries():
        m = e.measure
        chapter = chapters.setdefault(m.chapter, _chapter(m.chapter, lang))
        chapter["measures"].append({
            "number": m.number,
            "anchor": f"m{m.number}",
            "clause": m.clause,
            "clause_label": clause_label(m.clause, lang),
            "title": m.title,
            "title_en": m.title_en,
            "kind": m.kind.value,
            "kind_label": KIND_LABELS[m.kind.value],
            "text": e.text,
            "text_en": e.text_en,
            "parameters": [_parameter(p, lang) for p in catalogue.parameters_in_force(m.number, as_of)],
        })
    return [chapters[n] for n in sorted(chapters)]


def scope_clause(as_of: dt.date, lang: str) -> dict[str, Any]:
    """第七部分: scope and validity, with the parameters that carry it."""
    texts = clause_texts()[catalogue.SCOPE_CLAUSE]
    params = []
    for name, p in parameters.all_parameters().items():
        if name.startswith(("policy.", "scope.")):
            valid_from = max((d for d, _v in p.values if d <= as_of), default=p.values[0][0])
            params.append(_parameter({
                "name": name, "description": p.description, "reference": p.reference, "unit": p.unit,
                "value": p.at(as_of), "valid_from": valid_from.isoformat(),
            }, lang))
    return {"clause": clause_label(catalogue.SCOPE_CLAUSE, lang), "text": texts["zh"], "text_en": texts["en"],
            "parameters": params}


def _parameter(p: dict[str, Any], lang: str) -> dict[str, Any]:
    zh, en = PARAMETER_LABELS.get(p["name"], (p["name"], p["name"]))
    return {
        "name": p["name"],
        "label": en if lang == "en" else zh,
        "description": p["description"],
        "reference": reference_label(p["reference"], lang),
        # The tiers are said in words with their units (1亿元…：100万元): no unit after them.
        "unit": "" if p["name"] == "m04.tiers" else UNIT_LABELS.get(p["unit"], p["unit"]),
        "value": _value(p["name"], p["unit"], p["value"], lang),
        "valid_from": p["valid_from"],
    }


def tiers_in_words(tiers: list[dict[str, Any]], lang: str) -> str:
    """1亿元（含）至5亿元（含）：100万元；5亿元以上：200万元"""
    parts = []
    for i, tier in enumerate(tiers):
        lower, amount = Decimal(tier["lower"]), Decimal(tier["amount"])
        upper = tiers[i + 1] if i + 1 < len(tiers) else None
        if lang == "en":
            start = f"{yuan_words(lower, lang)} ({'inclusive' if tier['lower_inclusive'] else 'exclusive'})"
            span = (f"from {start} to {yuan_words(Decimal(upper['lower']), lang)} "
                    f"({'exclusive' if upper['lower_inclusive'] else 'inclusive'})" if upper
                    else f"above {yuan_words(lower, lang)}" if not tier["lower_inclusive"] else f"{start} or more")
            parts.append(f"{span}: {yuan_words(amount, lang)}")
        else:
            start = f"{yuan_words(lower, lang)}{'（含）' if tier['lower_inclusive'] else '以上'}"
            end = "（不含）" if upper and upper["lower_inclusive"] else "（含）"
            span = (f"{start}至{yuan_words(Decimal(upper['lower']), lang)}{end}" if upper
                    else f"{yuan_words(lower, lang)}{'以上' if not tier['lower_inclusive'] else '（含）以上'}")
            parts.append(f"{span}：{yuan_words(amount, lang)}")
    return "; ".join(parts) if lang == "en" else "；".join(parts)


def _value(name: str, unit: str, value: Any, lang: str) -> str:
    sep = ", " if lang == "en" else "、"
    if isinstance(value, list) and value and all(isinstance(v, dict) and "amount" in v for v in value):
        return tiers_in_words(value, lang)
    if isinstance(value, list):
        group = VALUE_GROUPS.get(name)
        return sep.join(labels.choice(group, v, lang) if group else str(v) for v in value)
    if name == "m04.county_payer_suffix" and isinstance(value, dict):
        return "the county or district government (own budget)" if lang == "en" else "项目所在县区本级财政"
    if isinstance(value, dict):
        if "name" in value:
            return str(value.get("name_en") if lang == "en" else value["name"])
        return sep.join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, dt.date):
        return value.isoformat()
    if unit == "CNY":
        return figures(value) or ""
    if unit == "percent":
        return f"{value}%"
    return str(value)


# --- how to qualify (DESIGN §10 what_if) ---------------------------------------------------------

# A declared circumstance and what it raises, in words: (zh-hans, en).
CIRCUMSTANCE_TEXTS = {
    "circumstances.research_achievement": ("取得重大科研成果的，可申请省级标准的科研奖励",
                                           "With a major research achievement, a research award at the provincial "
                                           "standard can be sought"),
    "circumstances.needs_land": ("有产业用地需求的，可享受优先规划保障",
                                 "If you need land, it is planned for you with priority"),
    "circumstances.leases_standard_factory": ("承租园区标准厂房的，可按“一事一议”“一企一策”商定优惠",
                                              "If you lease standard factory space in a park, concessions are agreed "
                                              "case by case"),
    "circumstances.high_level_talents": ("直接引进高层次人才的，可申请昆仑英才相关待遇（以人才主管部门认定为准）",
                                         "If you bring in high-level talents, they may receive the Kunlun Talent "
                                         "treatment (the talent authority decides)"),
    "circumstances.joint_training": ("与科研院所、高校、职业院校联合培养人才的，可获支持",
                                     "Joint training with institutes, universities or colleges is supported"),
    "circumstances.seeks_financing": ("有融资需求的，可对接政府投资基金和金融机构",
                                      "If you seek financing, you are referred to government funds and banks"),
}


def yuan_words(amount: Decimal, lang: str) -> str:
    """1亿元, 5亿元, 100万元 — or the figures when not a round number."""
    if lang == "en":
        return f"CNY {amount:,.2f}"
    for unit, name in ((Decimal(100_000_000), "亿元"), (Decimal(10_000), "万元")):
        if amount >= unit and amount % unit == 0:
            return format((amount / unit).normalize(), "f") + name
    return f"{amount:,.2f}元"


def what_if_text(change: dict[str, Any], lang: str) -> dict[str, Any]:
    """A `what_if` step in words: 实际投资额达到1亿元即可获得100万元补助."""
    field, value = change["field"], change["value"]
    amount = Decimal(change["amount_cny"]) if change.get("amount_cny") else None
    if field == "project.equipment_investment_cny":
        target = Decimal(value)
        floor = target - Decimal("0.01")
        reach = (f"达到{yuan_words(target, lang)}" if target % 1 == 0 else f"超过{yuan_words(floor, lang)}")
        if lang == "en":
            reach = f"reaches {yuan_words(target, lang)}" if target % 1 == 0 else f"exceeds {yuan_words(floor, lang)}"
            text = f"If the actual investment in racks and computing equipment {reach}, the subsidy is " \
                   f"{yuan_words(amount, lang)}"
        else:
            text = f"标准机架和算力设备实际投资额{reach}，即可获得{yuan_words(amount, lang)}补助"
    elif field == "project.standard_racks":
        text = (f"With at least {value} standard rack(s) built, the subsidy is {yuan_words(amount, lang)}"
                if lang == "en" else f"实际建成至少{value}个标准机架，即可获得{yuan_words(amount, lang)}补助")
    else:
        zh, en = CIRCUMSTANCE_TEXTS.get(field, (labels.field(field, lang), labels.field(field, lang)))
        text = en if lang == "en" else zh
    return {"field": field, "value": value, "status": change["status"], "status_label": STATUS_LABELS[change["status"]],
            "text": text}


# --- 对比: two fact sets side by side ------------------------------------------------------------

def _flat(facts: dict[str, Any]) -> dict[str, Any]:
    return {f"{group}.{name}" if group != "as_of" else "as_of": value
            for group, part in facts.items()
            for name, value in (part.items() if isinstance(part, dict) else [("", part)])}


def _shown(path: str, value: Any, lang: str) -> str:
    if value is None:
        return "—"
    if path.endswith("_cny"):
        try:
            return figures(value) or "—"
        except ArithmeticError:
            return str(value)
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, list):
        return ("、" if lang != "en" else ", ").join(str(v) for v in value)
    return str(value)


def comparison(a: dict[str, Any], b: dict[str, Any], lang: str) -> dict[str, Any]:
    """Rows of the measures (status and amount on each side, changed ones marked) and of the facts
    that differ, from two evaluated sides (`facts`, §4 `result`, `url`)."""
    rows = []
    for ma, mb in zip(a["result"]["measures"], b["result"]["measures"], strict=True):
        rows.append({
            "clause": ma["clause"], "title": ma["title_en"] if lang == "en" else ma["title"],
            "a": {"status": ma["status"], "label": STATUS_LABELS[ma["status"]], "amount": figures(ma["amount_cny"])},
            "b": {"status": mb["status"], "label": STATUS_LABELS[mb["status"]], "amount": figures(mb["amount_cny"])},
            "changed": (ma["status"], ma["amount_cny"]) != (mb["status"], mb["amount_cny"]),
        })
    fa, fb = _flat(a["facts"]), _flat(b["facts"])
    facts = [{"label": labels.field(path, lang), "a": _shown(path, fa.get(path), lang),
              "b": _shown(path, fb.get(path), lang)}
             for path in dict.fromkeys([*fa, *fb]) if fa.get(path) != fb.get(path)]
    totals = [figures(side["result"]["total_amount_cny"]) for side in (a, b)]
    return {"rows": rows, "facts": facts, "totals": totals, "urls": [a["url"], b["url"]],
            "total_changed": totals[0] != totals[1]}
