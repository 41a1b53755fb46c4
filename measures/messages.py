"""Every user-facing text of the rules, in zh-hans and en, in one table.

Rules return codes and parameters; this module writes them out in the requested language, so
outcomes and codes never depend on the language (DESIGN §4).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from measures import labels, regions

LANGUAGES = ("zh-hans", "en")
DEFAULT_LANGUAGE = "zh-hans"

# key "code.check" (or a Reason's own message_key) -> (zh-hans, en)
REASONS: dict[str, tuple[str, str]] = {
    # 第七部分: validity and scope
    "policy_not_in_force.failed": (
        "评估日期{as_of}不在本措施有效期（{valid_from}至{valid_to}）内",
        "{as_of} is outside the period the measures are in force ({valid_from} to {valid_to})"),
    "registered_in_haidong.passed": (
        "注册地{region}在海东市行政区域内", "Registered in {region}, inside the Haidong administrative area"),
    "registered_in_haidong.failed": (
        "注册地{region}不在海东市行政区域内，本措施适用于在海东行政区内注册的企业",
        "Registered in {region}, outside Haidong: the measures apply to enterprises registered in Haidong"),
    "registered_in_haidong.missing": (
        "缺少注册地：请填写注册地行政区划代码或统一社会信用代码",
        "Registration unknown: give the registered region code or the credit code"),
    "is_enterprise.passed": (
        "统一社会信用代码以{prefix}开头，属于企业", "The credit code starts with {prefix}: an enterprise"),
    "is_enterprise.failed": (
        "统一社会信用代码以{prefix}开头，不属于企业（91为企业；92为个体工商户，93为农民专业合作社）",
        "The credit code starts with {prefix}: not an enterprise (91 is an enterprise; 92 an individual "
        "business, 93 a farmers' co-operative)"),
    "is_enterprise.unchecked": (
        "未提供统一社会信用代码，暂按企业评估，申请时核验",
        "No credit code given: assessed as an enterprise, to be verified on application"),
    "listed_sector.passed": (
        "所属领域{sectors}属于本措施列明的新兴技术领域", "{sectors}: a field listed by the measures"),
    "listed_sector.failed": (
        "所属领域不属于大数据、云计算、软件和信息技术服务、人工智能、物联网、区块链等新兴技术领域",
        "No listed field: big data, cloud computing, software and IT services, AI, IoT, blockchain or "
        "another emerging technology"),
    "listed_sector.missing": ("缺少所属领域", "Sectors not given"),
    "listed_activity.passed": (
        "从事{activities}，属于研发、生产、运营环节",
        "Works in {activities}: one of research, production and operation"),
    "listed_activity.failed": ("未从事研发、生产、运营", "Not engaged in research, production or operation"),
    "listed_activity.missing": ("缺少从事环节（研发、生产、运营）", "Activities not given (research, production, operation)"),
    # 第1–3条
    "green_power_supply.passed": (
        "本市为绿色算力产业提供{share}%以上绿电用能保障，实行双（多）回路供电（面向全行业的保障，由电力部门落实）",
        "The city secures at least {share}% green power for the green computing industry, with a dual (multi-)circuit supply: an industry-wide commitment, delivered by the power utilities"),
    "provincial_green_power_price.passed": (
        "本市对绿色算力企业执行青海省绿电价格，并保持用电价格处于全国较低水平（面向全行业，由价格主管部门和电网企业落实）",
        "Green computing enterprises are charged the Qinghai green power price, kept among the lowest in China: industry-wide, set by the price authority and the grid company"),
    "green_power_traceability.passed": (
        "本市为绿色算力产业提供绿电溯源服务，支持企业参与绿电、绿证交易，并为参与碳排放市场交易提供技术支持和服务保障",
        "The city gives the industry green power traceability, supports green power and certificate trading, and offers technical support for carbon trading"),
    # 第4条
    "project_declared.failed": (
        "未申报新建、扩建项目，不涉及投资补助", "No new or expanded project declared: no investment subsidy claim"),
    "project_category.passed": ("项目类别为{category}", "Project category: {category}"),
    "project_category.failed": (
        "项目类别{category}不属于数据中心或绿色算力产业重点项目",
        "Category {category} is neither a data centre nor a green computing key project"),
    "project_category.missing": ("缺少项目类别", "Project category not given"),
    "project_kind.passed": ("建设性质为{kind}", "Project kind: {kind}"),
    "project_kind.failed": (
        "建设性质为{kind}：第4条仅适用于新建、扩建项目",
        "The project is a {kind}: Article 4 covers only new builds and expansions"),
    "project_kind.missing": ("缺少建设性质（新建或扩建）", "Project kind not given (new or expansion)"),
    "project_in_haidong.passed": ("项目位于{region}", "The project is in {region}"),
    "project_in_haidong.failed": (
        "项目所在地{region}不在海东市行政区域内", "The project is in {region}, outside Haidong"),
    "project_in_haidong.missing": ("缺少项目所在县区", "Project county/district not given"),
    "project_in_haidong.city_level": (
        "项目所在地{region}为市级代码，请填写项目所在县区，以确定补助资金承担方",
        "{region} is the city-level code: give the project's county or district, which decides who pays"),
    "payer_determined.park": (
        "项目位于海东工业园区：补助由海东工业园区管委会给予",
        "The project is in Haidong Industrial Park: the park's administrative committee pays the subsidy"),
    "payer_determined.county": (
        "项目不在海东工业园区：补助由项目所在县区本级财政给予",
        "The project is outside the industrial park: its county or district government pays from its own budget"),
    "payer_determined.missing": (
        "缺少项目是否位于海东工业园区（决定补助资金承担方）",
        "Not stated whether the project is in Haidong Industrial Park (decides who pays)"),
    "built_within_period.passed": (
        "项目于{completed_on}实际建成：在本措施施行日（{not_before}）之后，且不晚于所依据的日期（{as_of}）",
        "Built on {completed_on}: after the measures took effect ({not_before}) and by the date judged ({as_of})"),
    "built_within_period.not_yet_built": (
        "实际建成日期{completed_on}晚于评估日期{as_of}，项目尚未实际建成",
        "Completion date {completed_on} is after {as_of}: not yet built"),
    "built_within_period.before_policy": (
        "实际建成日期{completed_on}早于本措施施行日期{not_before}",
        "Completed on {completed_on}, before the measures took effect on {not_before}"),
    "built_within_period.missing": ("缺少实际建成日期", "Completion date not given"),
    "standard_racks.passed": (
        "实际建成标准机架{racks}个（按每个{kw}kW计，依据工业和信息化部《全国数据中心应用发展指引》）",
        "{racks} standard racks built (counted at {kw} kW each, as in MIIT's data centre guideline)"),
    "standard_racks.failed": (
        "数据中心实际建成标准机架{racks}个，少于{minimum}个", "A data centre with {racks} built standard racks, fewer than {minimum}"),
    "standard_racks.missing": ("缺少实际建成标准机架数", "Standard racks built not given"),
    "standard_racks.category_unknown": (
        "实际建成标准机架{racks}个：数据中心须有标准机架，请填写项目类别以便判断",
        "{racks} standard racks built: a data centre needs racks, so give the project category to judge this"),
    "standard_racks.not_required": (
        "绿色算力产业重点项目不要求标准机架", "A green computing key project needs no standard racks"),
    "investment_tier.passed.declared": (
        "申报的标准机架和算力设备实际投资额{investment}元，对应一次性补助{amount}元（以审核认定为准）",
        "Declared actual investment in standard racks and computing equipment CNY {investment}: a one-time subsidy of CNY {amount}, subject to the reviewer's recognition"),
    "investment_tier.passed.recognised": (
        "经认定的实际投资额{investment}元，对应一次性补助{amount}元",
        "Recognised investment CNY {investment}: a one-time subsidy of CNY {amount}"),
    "investment_tier.failed.declared": (
        "申报的实际投资额{investment}元，低于补助起点{minimum}元",
        "Declared actual investment CNY {investment} is below the CNY {minimum} threshold"),
    "investment_tier.failed.recognised": (
        "经认定的实际投资额{investment}元，低于补助起点{minimum}元",
        "Recognised investment CNY {investment} is below the CNY {minimum} threshold"),
    "provincial_funds.passed": (
        "同时积极申报争取省级专项补助资金，到位资金按要求全额用于项目奖补",
        "The city also applies for provincial special funds; any funds received go in full to project awards"),
    "infrastructure_support.failed": (
        "未申报项目：基础配套保障面向算力重点项目", "No project declared: infrastructure support is for key computing projects"),
    "investment_tier.missing": (
        "缺少标准机架及算力设备实际投资额", "Actual investment in racks and computing equipment not given"),
    "one_time.passed": ("该项目尚未获得投资补助", "The project has not yet received this subsidy"),
    "already_granted.failed": (
        "该项目代码已获批投资补助，按项目一次性给予，不再重复补助",
        "This project code already received the subsidy, which is one-time per project"),
    # 第5–7条
    "provincial_voucher_standard.passed": (
        "市里全力争取省级“算力券”及奖补资金；落实到位的，按省级确定的标准执行（是否获得及金额以省级认定为准）",
        "The city seeks provincial computing vouchers and award funds; what is secured is granted at the provincial standard (whether and how much is decided at the provincial level)"),
    "model_training_key_support.passed": (
        "在市域内开展{training}：予以重点奖补支持（以落实到位的资金为限）",
        "{training} in Haidong: singled out for key support, within the funds secured"),
    "tax_authority_referral.passed": (
        "依法依规落实国家支持科技创新、西部大开发等税费优惠政策，涉及企业所得税、房产税、城镇土地使用税、城市维护建设税等；符合条件的企业依法自行判别、申报享受，以税务机关认定为准",
        "The state's tax incentives for innovation and western development apply in full, covering corporate income tax, property tax, urban land use tax, urban maintenance and construction tax and others; eligible enterprises judge and declare them themselves, and the tax authority decides"),
    "preferential_cit_rate.passed": (
        "已具备{qualifications}：符合条件的，可依法申报按{rate}%税率缴纳企业所得税",
        "As a {qualifications}, the enterprise may declare corporate income tax at {rate}% if it meets the conditions"),
    "preferential_cit_not_cumulative.passed": (
        "两项优惠税率不能叠加享受，择一适用",
        "The two preferential rates cannot be combined: one of them applies"),
    "research_achievement.passed": (
        "取得重大科研成果：市里积极申报争取省级科研经费，到位资金全额用于奖励，标准按省级确定标准执行",
        "A major research achievement: the city seeks provincial research funds, and any funds received go in full to awards at the provincial standard"),
    "research_achievement.failed": ("未申报重大科研成果", "No major research achievement declared"),
    # 第8–9条
    "needs_land.passed": (
        "有用地需求：优先规划保障产业用地，并享受招商优惠政策",
        "Needs land: industrial land is planned with priority, with the city's investment-promotion incentives"),
    "needs_land.failed": ("未申报产业用地需求", "No need for land declared"),
    "leases_standard_factory.passed": (
        "承租园区标准厂房：按“一事一议”“一企一策”落实相应优惠政策（具体优惠由园区商定）",
        "Leases standard factory space in a park: concessions are agreed case by case (一事一议, 一企一策) with the park"),
    "leases_standard_factory.failed": ("未承租园区标准厂房", "Leases no standard factory space in a park"),
    # 第10–12条
    "cultivation_guidance.passed": (
        "指导申报认定国家级、省级科技型企业、高新技术企业和专精特新企业",
        "Guidance in applying for national or provincial tech-SME, high-tech and specialised-SME status"),
    "qualifications_held.passed": ("已具备：{qualifications}", "Already holds: {qualifications}"),
    "qualifications_to_apply.passed": ("可申报：{qualifications}", "May apply for: {qualifications}"),
    "innovation_platform.passed": (
        "已被认定为{qualifications}：按省级落实的奖补资金及相关标准给予奖励或运营经费支持",
        "Recognised as a {qualifications}: an award or operating funds, from the provincial funds secured and at their standard"),
    "innovation_platform.failed": (
        "未被认定为科技小巨人企业或国家技术创新中心", "Not recognised as a little giant or national innovation centre"),
    "scheduling_pilot.passed": (
        "参与一体化算力网调度试点", "Takes part in the integrated compute-network scheduling pilot"),
    "scheduling_pilot.failed": ("未参与一体化算力网调度试点", "Not in the scheduling pilot"),
    "scheduled_compute.passed": (
        "纳入集成调度的算力规模{pflops} PFLOPS：按规模积极争取省级专项资金给予支持",
        "{pflops} PFLOPS under integrated scheduling: the city seeks provincial special funds by that scale"),
    "scheduled_compute.missing": (
        "参与调度试点：请填写纳入集成调度的算力规模（按规模争取省级资金）",
        "In the scheduling pilot: give the computing scale under integrated scheduling (provincial funds are sought by scale)"),
    # 第13–14条
    "high_level_talents.passed": (
        "直接引进高层次人才{count}名：经认定为杰出人才、领军人才或拔尖人才的，执行昆仑英才行动计划相关政策（以人才主管部门认定为准）",
        "High-level talents brought in: {count}. Those recognised as outstanding, leading or top talents receive the Kunlun Talent programme's treatment; the talent authority decides"),
    "high_level_talents.failed": ("未申报直接引进的高层次人才", "No high-level talents declared"),
    "joint_training.passed": (
        "鼓励和支持与科研院所、高校、职业院校联合培养高层次人才，共建公共实训基地",
        "Joint training with research institutes, universities and colleges is encouraged and supported, as are shared training bases"),
    "joint_training.failed": ("未申报联合培养人才", "No joint training declared"),
    # 第15–20条
    "fast_track_approval.passed": (
        "纳入“高效办成一件事”，享受极简审批、不见面审批、容缺受理和快报快批绿色通道",
        "One-stop service, minimal and remote approval, fast track"),
    "simplified_review.passed": (
        "环境影响评价、节能审查适用简便快捷审批流程", "Simplified EIA and energy review"),
    "eia_exemption.passed": (
        "申报为绿色数据中心：按照建设项目环境影响评价分类管理规定实行环评豁免（以生态环境部门认定为准）",
        "Declared a green data centre: exempt from EIA under the classified management rules (the environment authority decides)"),
    "infrastructure_support.passed": (
        "算力重点项目：全力保障水、电、气、网市政公用基础设施建设，竣工验收后直接办理接入",
        "A key computing project: water, power, gas and network connections are secured, and connected directly after acceptance"),
    "seeks_financing.passed": (
        "有融资需求：市里积极争取省级高质量发展政府投资基金，并鼓励金融机构对算力产业倾斜支持（是否支持由基金和金融机构决定）",
        "Seeks financing: the city seeks provincial government investment funds and encourages banks to favour the computing industry; the funds and banks decide"),
    "seeks_financing.failed": ("未申报融资需求", "No financing need declared"),
    "non_fossil_cap_exclusion.passed": (
        "本市支持绿色算力企业新增用能需求；非化石能源消费不纳入能源消耗总量和强度控制",
        "The city supports new energy demand of green computing enterprises; non-fossil energy use is excluded from energy consumption caps"),
    "network_services.passed": (
        "本市鼓励通信企业优化面向算力网的资费结构、提供优质网络服务（服务由通信企业提供）",
        "The city encourages telecom operators to price and serve the computing network well; the services come from the operators"),
}

WARNINGS: dict[str, tuple[str, str]] = {
    "credit_code_region_differs": (
        "声明的注册地{declared}与统一社会信用代码中的行政区划{credit_code_region}不一致，请审核人员核实注册地",
        "The declared registration {declared} differs from the credit code's region {credit_code_region}: "
        "the reviewer must verify it"),
    "one_time_not_checked": (
        "未登录查询不核查该项目是否已获投资补助（每个项目一次性给予）",
        "Anonymous queries do not check whether the project already received the one-time subsidy"),
}

# Validation error codes -> (zh-hans, en); the field's label is put in front.
FIELD_ERRORS: dict[str, tuple[str, str]] = {
    "required": ("必填", "is required"),
    "unknown_field": ("不是可识别的字段", "is not a known field"),
    "invalid_type": ("类型不正确", "has the wrong type"),
    "invalid_format": ("格式不正确", "is not in the expected format"),
    "invalid_checksum": ("校验位不正确", "has a wrong check character"),
    "invalid_choice": ("不是可选的值", "is not one of the allowed values"),
    "invalid_date": ("不是有效的日期", "is not a valid date"),
    "negative": ("不能为负数", "must not be negative"),
    "too_many_decimals": ("最多保留两位小数", "allows at most two decimal places"),
    "too_large": ("数值过大", "is too large"),
    "out_of_range": ("超出允许范围", "is out of range"),
    "blank": ("不能为空", "must not be blank"),
    "too_long": ("过长", "is too long"),
    "not_an_object": ("必须是JSON对象", "must be a JSON object"),
    "invalid_json": ("不是有效的JSON", "is not valid JSON"),
    "invalid_character": ("含有不允许的字符（空字符或孤立的代理码位）", "contains a character that is not allowed (NUL or a lone surrogate)"),
    # Accounts and applications
    "not_your_enterprise": ("与本账号所属企业不一致", "is not your account's enterprise"),
    "already_registered": ("已注册，请联系本企业已有账号的人员", "is already registered: ask your enterprise's existing user"),
    "outside_haidong": ("不在海东市行政区域内", "is outside Haidong"),
    "not_an_enterprise": ("不是企业的代码（企业以91开头）", "is not an enterprise's code (enterprises start with 91)"),
    "already_taken": ("已被使用", "is already taken"),
    # Profiles (免申即享)
    "duplicate": ("与画像中另一个项目重复", "is the same as another project's in the profile"),
    "too_many": ("超过了画像可保存的项目数（20个）", "holds more projects than a profile keeps (20)"),
    "confusable": ("与已有用户名过于相似，请换一个", "looks too much like a username already taken: choose another"),
    "weak_password": ("不符合密码要求", "does not meet the password rules"),
    "password_mismatch": ("两次输入不一致", "does not match"),
    "unsupported_type": ("只接受PDF、JPEG或PNG文件（按文件内容识别）", "must be a PDF, JPEG or PNG file (judged by its content)"),
    "file_too_large": ("超过20 MB", "is larger than 20 MB"),
    "above_declared": ("不能高于申报的投资额", "must not exceed the declared investment"),
    "not_noticed_amount": ("须与公示时认定的投资额一致；如需变更，请先撤回公示", "must be the figure publicly noticed; withdraw the proposal to change it"),
    "above_unpaid": ("超过尚未拨付的金额", "is more than the amount still unpaid"),
    "not_positive": ("必须大于零", "must be more than zero"),
    "in_the_future": ("不能晚于今天", "must not be later than today"),
    "before_determination": ("不能早于决定书印发日期", "must not be before the determination was issued"),
}

FIELD_ERROR_HINTS: dict[str, tuple[str, str]] = {
    "enterprise.credit_code": ("应为18位统一社会信用代码", "18 characters, GB 32100-2015"),
    "project.code": ("格式如2406-630202-04-01-532198", "like 2406-630202-04-01-532198"),
    "project.equipment_investment_cny": ("以元为单位，最多两位小数", "in CNY, at most two decimals"),
    "enterprise.registered_region": ("6位行政区划代码，如630202", "6-digit division code, e.g. 630202"),
    "project.region": ("6位行政区划代码，如630202", "6-digit division code, e.g. 630202"),
}

_GROUPS = {"sectors": "sector", "activities": "activity", "qualifications": "qualification",
           "training": "ai_model_training", "category": "category", "kind": "kind"}


def language(lang: str | None) -> str:
    return "en" if lang and lang.lower().startswith("en") else DEFAULT_LANGUAGE


def _format(name: str, value: Any, lang: str) -> str:
    group = _GROUPS.get(name)
    if group:
        values = value if isinstance(value, list | tuple) else [value]
        if lang != "en":
            return "、".join(labels.choice(group, str(v), lang) for v in values)
        # Inside an English sentence: "works in operation", not "works in Operation".
        return ", ".join(_in_sentence(labels.choice(group, str(v), lang)) for v in values)
    if name in ("region", "declared", "credit_code_region") and regions.is_haidong(value):
        code = regions.normalize(value)
        place = regions.county_name(code, lang) if code in regions.COUNTIES else ("海东市" if lang != "en" else "Haidong")
        return f"{place}（{value}）" if lang != "en" else f"{place} ({value})"
    if isinstance(value, Decimal):
        return f"{value:,.2f}" if name in ("investment", "amount", "minimum") else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _in_sentence(label: str) -> str:
    first = label.split(" ", 1)[0]
    return label if first.isupper() or first in ("AI", "IoT") else label[:1].lower() + label[1:]


def _fill(template: str, params: Mapping[str, Any] | None, lang: str) -> str:
    if not params:
        return template
    return template.format(**{k: _format(k, v, lang) for k, v in params.items()})


def reason(key: str, params: Mapping[str, Any] | None, lang: str) -> str:
    zh, en = REASONS[key]
    if lang != "en":
        return _fill(zh, params, lang)
    text = _fill(en, params, lang)
    return text[:1].upper() + text[1:]


def warning(code: str, params: Mapping[str, Any] | None, lang: str) -> str:
    zh, en = WARNINGS[code]
    return _fill(en if lang == "en" else zh, params, lang)


def field_error(field: str, code: str, lang: str) -> str:
    zh, en = FIELD_ERRORS.get(code, FIELD_ERRORS["invalid_format"])
    # An unknown field has no label: name it as the client wrote it, not after its parent.
    label = f"“{field.rsplit('.', 1)[-1]}”" if code == "unknown_field" else labels.field(field, lang)
    hint = FIELD_ERROR_HINTS.get(field) if code in ("invalid_format", "invalid_checksum") else None
    if lang == "en":
        text = f"{label} {en}"
        return f"{text} ({hint[1]})" if hint else text
    text = f"{label}{zh}"
    return f"{text}（{hint[0]}）" if hint else text
