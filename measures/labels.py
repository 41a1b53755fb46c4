"""Display names (zh-hans, en) of the facts' enum values and fields. Used by messages and pages."""

from __future__ import annotations

import datetime as dt

CHOICES: dict[str, dict[str, tuple[str, str]]] = {
    "sector": {
        "big_data": ("大数据", "Big data"),
        "cloud_computing": ("云计算", "Cloud computing"),
        "software_it_services": ("软件和信息技术服务", "Software and IT services"),
        "artificial_intelligence": ("人工智能", "Artificial intelligence"),
        "iot": ("物联网", "Internet of things"),
        "blockchain": ("区块链", "Blockchain"),
        "other_emerging_tech": ("其他新兴技术", "Other emerging technology"),
        "other": ("其他行业", "Other industry"),
    },
    "activity": {
        "research": ("研发", "Research and development"),
        "production": ("生产", "Production"),
        "operation": ("运营", "Operation"),
    },
    "qualification": {
        "high_tech_enterprise": ("高新技术企业", "High-tech enterprise"),
        "tech_sme": ("科技型中小企业", "Technology-based SME"),
        "specialized_sme": ("专精特新企业", "Specialised and innovative SME"),
        "western_encouraged_industry": ("西部地区鼓励类产业企业", "Western-development encouraged industry"),
        "tech_little_giant": ("绿色算力领域科技小巨人企业", "Technology 'little giant' in green computing"),
        "national_innovation_center": ("绿色算力领域国家技术创新中心", "National technology innovation centre"),
    },
    "kind": {
        "new": ("新建", "New build"),
        "expansion": ("扩建", "Expansion"),
        "renovation": ("改建", "Renovation"),
        "other": ("其他", "Other"),
    },
    "category": {
        "data_center": ("数据中心", "Data centre"),
        "green_computing_key_project": ("绿色算力产业重点项目", "Green computing key project"),
    },
    "ai_model_training": {
        "none": ("无", "None"),
        "foundation_model": ("人工智能基础大模型训练", "AI foundation model training"),
        "industry_model": ("行业大模型训练", "Industry model training"),
    },
}

FIELDS: dict[str, tuple[str, str]] = {
    "body": ("请求内容", "Request body"),
    "as_of": ("评估日期", "Evaluation date"),
    "enterprise": ("企业信息", "Enterprise"),
    "enterprise.name": ("企业名称", "Enterprise name"),
    "enterprise.credit_code": ("统一社会信用代码", "Unified social credit code"),
    "enterprise.registered_region": ("注册地行政区划代码", "Registered region code"),
    "enterprise.sectors": ("所属领域", "Sectors"),
    "enterprise.activities": ("从事环节", "Activities"),
    "enterprise.qualifications": ("已获资质", "Qualifications held"),
    "project": ("项目信息", "Project"),
    "project.code": ("投资项目统一代码", "Investment project code"),
    "project.name": ("项目名称", "Project name"),
    "project.kind": ("建设性质", "Project kind"),
    "project.category": ("项目类别", "Project category"),
    "project.region": ("项目所在县区", "Project county/district"),
    "project.in_industrial_park": ("是否位于海东工业园区", "Inside Haidong Industrial Park"),
    "project.standard_racks": ("实际建成标准机架数", "Standard racks built"),
    "project.equipment_investment_cny": ("机架及算力设备实际投资额（元）", "Actual investment in racks and computing equipment (CNY)"),
    "project.completed_on": ("实际建成日期", "Completion date"),
    "circumstances": ("其他情况", "Circumstances"),
    "circumstances.ai_model_training": ("在市域内开展的大模型训练", "Model training in Haidong"),
    "circumstances.scheduling_pilot": ("参与一体化算力网调度试点", "Takes part in the scheduling pilot"),
    "circumstances.scheduled_compute_pflops": ("纳入集成调度的算力规模（PFLOPS）", "Compute under integrated scheduling (PFLOPS)"),
    "circumstances.green_data_center": ("属于绿色数据中心", "Green data centre"),
    "circumstances.research_achievement": ("取得重大科研成果", "Major research achievement"),
    "circumstances.high_level_talents": ("直接引进的高层次人才人数", "High-level talents brought in"),
    "circumstances.joint_training": ("与高校、科研院所联合培养人才", "Joint training with universities"),
    "circumstances.needs_land": ("需要产业用地", "Needs industrial land"),
    "circumstances.leases_standard_factory": ("承租园区标准厂房", "Leases standard factory space in a park"),
    "circumstances.seeks_financing": ("有融资需求", "Seeks financing"),
    # Applications: attachments, the declaration and the fields of a request
    "attachments": ("附件", "Attachments"),
    "attachments.business_license": ("营业执照", "Business licence"),
    "attachments.project_filing": ("项目备案（核准）文件", "Project filing or approval"),
    "attachments.investment_audit": ("投资审计或决算报告", "Investment audit or final accounts"),
    "attachments.equipment_invoice": ("设备购置发票", "Equipment purchase invoices"),
    "attachments.rack_acceptance": ("机架验收证明", "Rack acceptance certificate"),
    "declaration": ("承诺书", "Declaration of truthfulness"),
    "kind": ("附件类型", "Attachment kind"),
    "file": ("文件", "File"),
    "note": ("说明", "Note"),
    "recognized_investment_cny": ("认定投资额（元）", "Recognised investment (CNY)"),
    # 公示, objections, payments, budgets (DESIGN §11)
    "amount_cny": ("金额（元）", "Amount (CNY)"),
    "paid_on": ("拨付日期", "Paid on"),
    "reference": ("凭证号", "Voucher or reference"),
    "objection.name": ("姓名或单位", "Name or organisation"),
    "objection.contact": ("联系方式", "Contact"),
    "objection.text": ("异议内容", "Objection"),
    "outcome": ("处理结果", "Outcome"),
    "year": ("年度", "Year"),
    "status": ("状态", "Status"),
    "page": ("页码", "Page"),
    "payer": ("资金承担单位", "Payer"),
    # Accounts: enterprise registration
    "account.username": ("用户名", "Username"),
    "account.password": ("密码", "Password"),
    "enterprise.contact_person": ("联系人", "Contact person"),
    "enterprise.phone": ("联系电话", "Phone"),
    "enterprise.email": ("电子邮箱", "Email"),
}


MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")


def long_date(day: dt.date, lang: str) -> str:
    """2024年7月1日 / 1 July 2024."""
    if lang == "en":
        return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


def choice(group: str, value: str, lang: str) -> str:
    zh, en = CHOICES[group][value]
    return en if lang == "en" else zh


def field(path: str, lang: str) -> str:
    """The label of a dotted path; list items (`enterprise.sectors.0`) take their list's label, and a
    profile's project (`projects.1.code`) its place and the project's label."""
    if path.startswith("projects."):
        place, _dot, rest = path.removeprefix("projects.").partition(".")
        if place.isdigit():
            inner = field(f"project.{rest}", lang) if rest else field("project", lang)
            return f"Project {int(place) + 1}: {inner}" if lang == "en" else f"第{int(place) + 1}个项目的{inner}"
    if path == "projects":
        return "Projects" if lang == "en" else "项目"
    parts = path.split(".")
    while parts:
        label = FIELDS.get(".".join(parts))
        if label:
            return label[1] if lang == "en" else label[0]
        parts.pop()
    return path
