"""办事指南: a service guide per measure (`/measures/<n>/guide/`), in the style of a government 办事指南.

Table-driven: `GUIDES` holds, per measure number, who it is for (beyond 第七部分), how it is delivered,
who delivers it and where to go, each as a (zh-hans, en) pair. Values that the policy dates
(`{share}`, `{tiers}`, …) are read from `measures.parameters` on the day the page is shown, never
written here. Only measure 4 is applied for on this service; for the others the guide says who
delivers them and where to go, and promises nothing the text does not.

Contacts per jurisdiction come from `settings.JURISDICTION_CONTACTS` (same shape as
`DEFAULT_CONTACTS`); the defaults are placeholders, and the page says so.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from applications.models import AttachmentKind
from eligibility import presentation
from eligibility.views import _lang, _page
from measures import catalogue, labels, parameters, regions

Pair = tuple[str, str]  # (zh-hans, en)

# Administrative reconsideration within 60 days (行政复议法 第二十条) or a lawsuit within 6 months
# (行政诉讼法 第四十六条) of receiving the determination: the same terms the determination states
# (determinations/pdf.py, a package above this one, so not imported).
REMEDY_DAYS, REMEDY_MONTHS = 60, 6
# Attachments are PDF, JPEG or PNG, checked by content, at most 20 MB each (DESIGN §5, filing.services).
ATTACHMENT_MAX_MB = 20

# --- how a measure is delivered ----------------------------------------------------------------

ROUTES: dict[str, Pair] = {
    "online": ("在线申报（本服务受理）", "Online application on this service"),
    "service": ("无需申请：按条款提供服务或指导", "No application: provided as a service or as guidance"),
    "provincial": ("按省级确定的标准，由市有关部门争取资金并组织落实",
                   "At the standard the province sets; the city's departments seek the funds and pass them on"),
    "tax": ("依法自行判别、申报享受（税务机关认定）",
            "Judge and declare it yourself under the law (the tax authority decides)"),
    "case_by_case": ("“一事一议”“一企一策”", "Case by case (一事一议, 一企一策)"),
}

# One entry per measure: route, who it is for beyond the scope (each line a pair, `{name}` filled
# from `params`, name → parameter), who delivers it, and where to go.
GUIDES: dict[int, dict[str, Any]] = {
    1: {
        "route": "service",
        "conditions": [("适用范围内的绿色算力企业均可享受，无另外条件：绿色算力产业用电实现{share}%以上绿电用能保障，"
                        "实行双（多）回路供电。",
                        "Every green computing enterprise within the scope, with no further condition: at least "
                        "{share}% of its electricity is assured as green power, supplied over dual (multiple) "
                        "circuits.")],
        "params": {"share": "m01.green_power_share_percent"},
        "delivered_by": ("条文未指定承办部门；电力由供电企业供应。",
                         "The clause names no department; electricity is supplied by the grid company."),
        "where": ("用电报装和双（多）回路供电向供电企业办理；"
                  "绿色微电网、源网荷储一体化或储能项目，可先向所在园区或县区咨询。",
                  "Apply to the grid company for the connection and the dual-circuit supply; for green microgrid, "
                  "source-grid-load-storage or storage projects, ask your park or county first."),
    },
    2: {
        "route": "service",
        "conditions": [("适用范围内的绿色算力企业执行青海省绿电价格，无另外条件。",
                        "Every green computing enterprise within the scope pays the Qinghai provincial green power "
                        "price, with no further condition.")],
        "delivered_by": ("电价按青海省价格政策执行，由供电企业结算。",
                         "The price follows Qinghai's provincial pricing policy; the grid company bills it."),
        "where": ("电价执行问题向供电企业咨询，价格政策问题向价格主管部门咨询。本服务不核定电价。",
                  "Ask the grid company about the price billed and the pricing authority about the policy. "
                  "This service sets no prices."),
    },
    3: {
        "route": "service",
        "conditions": [("适用范围内的绿色算力企业均可享受绿电溯源服务，并可参与绿电、绿证交易，无另外条件。",
                        "Every green computing enterprise within the scope may use the traceability service and "
                        "take part in green power and certificate trading, with no further condition.")],
        "delivered_by": ("条文未指定承办部门；绿电、绿证交易通过电力交易机构进行。",
                         "The clause names no department; green power and certificates are traded through the "
                         "power trading institutions."),
        "where": ("绿电溯源和绿电、绿证交易事宜，可先向所在园区或县区咨询，再按指引到电力交易机构办理。",
                  "For traceability and green power or certificate trading, ask your park or county first, then "
                  "go to the power trading institution as guided."),
    },
    4: {
        "route": "online",
        "conditions": [
            ("项目类别：{categories}；建设性质：{kinds}（改建等其他性质不在补助范围内）。",
             "Project category: {categories}; project kind: {kinds} (renovation and other kinds are not subsidised)."),
            ("项目位于海东市行政区域内的县区：{counties}。",
             "The project lies in a county or district of Haidong: {counties}."),
            ("项目已实际建成：实际建成日期不早于{built_not_before}（本服务的理解：措施施行之日），且不晚于申请之日。",
             "The project is actually built: completed on or after {built_not_before} (this service's reading: "
             "the day the measures took effect) and no later than the application."),
            ("数据中心至少实际建成{min_racks}个标准机架（每个按{rack_kw} kW计，本服务的理解）；"
             "绿色算力产业重点项目不要求标准机架。",
             "A data centre has at least {min_racks} standard rack(s) built (counted at {rack_kw} kW each, this "
             "service's reading); a green computing key project needs no racks."),
            ("按实际建成的标准机架和购买算力设备的实际投资额（以审核认定为准）一次性给予补助，标准为：{tiers}。",
             "A one-time subsidy by the actual investment in built standard racks and purchased computing "
             "equipment (as the reviewer recognises it): {tiers}."),
            ("按项目一次性给予：同一项目（投资项目统一代码）已获补助的，不再重复补助。",
             "Once per project: a project (by its investment project code) that has received it gets no more."),
        ],
        "params": {"categories": "m04.eligible_categories", "kinds": "m04.eligible_kinds",
                   "built_not_before": "m04.built_not_before", "min_racks": "m04.min_racks_data_center",
                   "rack_kw": "m04.rack_power_kw", "tiers": "m04.tiers"},
        "delivered_by": ("位于海东工业园区（含零碳产业园）的项目：{park_payer}；"
                         "其他项目：项目所在县区人民政府（本级财政）。",
                         "Projects in Haidong Industrial Park (incl. the Zero-Carbon Industrial Park): the "
                         "{park_payer}; other projects: the government of the project's county or district (its "
                         "own budget)."),
        "where": ("在本服务在线申报。受理单位按项目所在地确定："
                  "位于海东工业园区的由园区管委会受理，其他由项目所在县区受理。",
                  "Apply online on this service. The project's location decides who reviews it: the park "
                  "committee for projects in Haidong Industrial Park, otherwise the project's county or district."),
    },
    5: {
        "route": "provincial",
        "conditions": [("适用范围内的企业；在市域内开展人工智能基础大模型训练、行业大模型训练的项目予以重点奖补支持。"
                        "“算力券”和奖补资金以省级落实到位的为限，标准按省级确定。",
                        "Enterprises within the scope; projects training AI foundation models or industry models "
                        "in Haidong are singled out for key support. Vouchers and awards are limited to the "
                        "provincial funds actually secured, at the standard the province sets.")],
        "delivered_by": ("省级确定“算力券”和奖补标准；市有关部门全力争取省级资金，到位后按省级标准组织落实。",
                         "The province sets the voucher and award standards; the city's departments seek the "
                         "provincial funds and pass on what is secured at that standard."),
        "where": ("关注省、市有关部门发布的申报通知并按通知申报。本服务不受理“算力券”申请，也不承诺是否获得或金额。",
                  "Watch for the provincial and city departments' calls and apply as they say. This service takes "
                  "no voucher applications and promises neither a voucher nor an amount."),
    },
    6: {
        "route": "tax",
        "conditions": [("符合国家税费优惠政策（支持科技创新、西部大开发等）规定条件的绿色算力企业，"
                        "涉及企业所得税、房产税、城镇土地使用税、城市维护建设税等。"
                        "例如高新技术企业、西部地区鼓励类产业企业可依法按{rate}%的税率缴纳企业所得税，"
                        "两项优惠不能叠加，择一适用。",
                        "Green computing enterprises that meet the conditions of the state's tax incentives (for "
                        "innovation, western development and others), covering corporate income tax, property tax, "
                        "urban land use tax, urban maintenance and construction tax and more. For example a high-tech "
                        "enterprise or a western-development encouraged industry may pay corporate income tax at "
                        "{rate}%; the two cannot be combined, one of them applies.")],
        "params": {"rate": "m06.preferential_cit_rate_percent"},
        "delivered_by": ("税务机关。条文不设市级审批，是否享受、享受多少以税务机关认定为准。",
                         "The tax authority. The clause sets up no city approval; the tax authority decides "
                         "whether and how much."),
        "where": ("企业依法自行判别、申报享受：在纳税申报时向主管税务机关申报享受并留存备查资料；"
                  "有疑问的向主管税务机关咨询。",
                  "Enterprises judge for themselves and declare it under the law (依法自行判别、申报享受): claim it "
                  "in the tax return to your tax office and keep the supporting documents; ask your tax office "
                  "when in doubt."),
    },
    7: {
        "route": "provincial",
        "conditions": [("在绿色算力发展、基地建设、创新应用等领域取得重大科研成果的算力企业。"
                        "奖励以争取到位的省级科研经费为限，标准按省级确定。",
                        "Computing enterprises with a major research achievement in green computing, base building, "
                        "innovative applications or similar fields. Awards are limited to the provincial research "
                        "funds secured, at the standard the province sets.")],
        "delivered_by": ("市有关部门积极申报争取省级科研经费，到位资金全额用于奖励，标准按省级确定。",
                         "The city's departments apply for provincial research funds; what is secured goes in full "
                         "to awards, at the provincial standard."),
        "where": ("关注省、市有关部门的申报通知并按通知申报。本服务不受理该项奖励，也不承诺是否获得或金额。",
                  "Watch for the provincial and city departments' calls and apply as they say. This service takes "
                  "no applications for this award and promises neither an award nor an amount."),
    },
    8: {
        "route": "service",
        "conditions": [("有产业用地需求的算力企业：作为产业招商重点，享受招商优惠政策，优先规划保障产业用地。",
                        "Computing enterprises that need industrial land: treated as investment-promotion priorities "
                        "with the incentives that go with it, and land is planned for them with priority.")],
        "delivered_by": ("海东工业园区（零碳产业园）及县区工业园区统筹安排用地功能布局。",
                         "Haidong Industrial Park (Zero-Carbon Industrial Park) and the county industrial parks, "
                         "which plan the land use."),
        "where": ("向拟落地的海东工业园区或县区工业园区提出用地需求；用地手续按自然资源管理规定办理。",
                  "Tell the park or county industrial park where you plan to settle what land you need; the land "
                  "procedures follow the land administration rules."),
    },
    9: {
        "route": "case_by_case",
        "conditions": [("承租海东工业园区（零碳产业园）或县区工业园区标准厂房的企业。",
                        "Enterprises that lease standard factory space in Haidong Industrial Park (Zero-Carbon "
                        "Industrial Park) or a county industrial park.")],
        "delivered_by": ("出租标准厂房的园区，按“一事一议”“一企一策”落实。",
                         "The park that leases the space, case by case (一事一议, 一企一策)."),
        "where": ("向厂房所在园区的管理机构提出，具体优惠以双方商定为准；条文未规定统一标准，本服务不承诺优惠内容。",
                  "Ask the administration of the park where the space is; the concessions are what you agree with "
                  "it. The clause sets no common standard and this service promises none."),
    },
    10: {
        "route": "service",
        "conditions": [("适用范围内的算力企业均可获得申报指导，无另外条件："
                        "指导申报认定国家级、省级科技型企业、高新技术企业和专精特新企业，"
                        "并在创新风险弥补、人才引进培养、土地供应要素保障方面予以倾斜。",
                        "Every computing enterprise within the scope may get guidance, with no further condition: "
                        "guidance in applying for national or provincial technology-based enterprise, high-tech "
                        "enterprise and specialised-and-innovative status, with preference in innovation risk "
                        "compensation, talent and land.")],
        "delivered_by": ("各项资质由国家、省级主管部门按各自认定办法认定；市里提供申报指导。",
                         "Each status is recognised by the national or provincial authority under its own rules; "
                         "the city gives guidance in applying."),
        "where": ("向所在园区或县区咨询申报指导；认定申请按各认定办法向主管部门提交。",
                  "Ask your park or county for guidance; file the applications with the recognising authorities "
                  "under their rules."),
    },
    11: {
        "route": "provincial",
        "conditions": [("被认定为绿色算力领域科技小巨人企业或绿色算力领域国家技术创新中心等研发平台的。",
                        "Enterprises recognised as a technology little giant in green computing, or as a national "
                        "technology innovation centre or similar R&D platform in green computing.")],
        "delivered_by": ("按省级落实的奖补资金及相关标准给予奖励或运营经费支持，由市有关部门组织落实。",
                         "An award or operating funds from the provincial funds secured and at their standard, "
                         "passed on by the city's departments."),
        "where": ("取得认定后，关注省、市有关部门的通知并按要求申报。本服务不受理该项资金申请，也不承诺金额。",
                  "Once recognised, watch for the provincial and city departments' calls and apply as they say. "
                  "This service takes no applications for these funds and promises no amount."),
    },
    12: {
        "route": "provincial",
        "conditions": [("开展一体化算力网调度试点的机构和企业；按纳入集成调度的算力规模积极争取省级专项资金给予支持。",
                        "Institutions and enterprises in the integrated compute-network scheduling pilot; provincial "
                        "special funds are sought for them by the computing scale under integrated scheduling.")],
        "delivered_by": ("市有关部门按纳入集成调度的算力规模争取省级专项资金；是否支持及金额以省级确定为准。",
                         "The city's departments seek provincial special funds by the scale scheduled; the province "
                         "decides whether and how much."),
        "where": ("参与试点的，关注省、市有关部门的通知并按要求申报。本服务不受理该项资金申请，也不承诺金额。",
                  "If you take part in the pilot, watch for the provincial and city departments' calls and apply "
                  "as they say. This service takes no applications for these funds and promises no amount."),
    },
    13: {
        "route": "service",
        "conditions": [("绿色算力领域高层次人才；直接引进的杰出人才、领军人才、拔尖人才执行“昆仑英才”行动计划相关政策，"
                        "享受住房保障、配偶就业、子女教育等待遇。",
                        "High-level talents in green computing; outstanding, leading and top talents brought in "
                        "directly receive the Kunlun Talent programme's treatment (housing, spouse employment, "
                        "children's education and more).")],
        "delivered_by": ("人才认定和待遇由人才工作主管部门按青海省“昆仑英才”行动计划办理，以其认定为准。",
                         "The talent authority recognises talents and grants the treatment under Qinghai's Kunlun "
                         "Talent programme; its decision counts."),
        "where": ("按“昆仑英才·高端创新创业人才”项目的申报通知申报。",
                  "Apply under the calls of the Kunlun Talent high-end innovation and entrepreneurship programme."),
    },
    14: {
        "route": "service",
        "conditions": [("与科研院所、高校、职业院校联合培养高层次人才，或合作共建公共实训基地、开展岗位技能培训和"
                        "“订单、定向、定量”培养的企业。",
                        "Enterprises that train high-level talents jointly with research institutes, universities or "
                        "colleges, or build shared training bases, run skills training or train to order.")],
        "delivered_by": ("条文未指定承办部门；市里积极指导申报创建国家级和省级基地。",
                         "The clause names no department; the city guides applications for national and provincial "
                         "bases."),
        "where": ("合作与基地申报事宜可向所在园区或县区咨询；基地创建按国家、省级申报通知办理。",
                  "Ask your park or county about partnerships and base applications; bases are created under the "
                  "national and provincial calls."),
    },
    15: {
        "route": "service",
        "conditions": [("适用范围内的绿色算力企业均可享受，无另外条件：企业开办纳入“高效办成一件事”，提供“极简审批”"
                        "“不见面审批”“容缺受理”和快报快批绿色通道。",
                        "Every green computing enterprise within the scope, with no further condition: setting up "
                        "is a one-stop service, with minimal, remote and accept-with-gaps approval and a fast track.")],
        "delivered_by": ("政务服务部门和各审批部门。", "The government service centres and the approving departments."),
        "where": ("通过政务服务平台或政务服务中心办理企业开办和项目备案，说明属于绿色算力企业以适用绿色通道。",
                  "Set up the enterprise and file projects through the government service platform or centre, "
                  "saying it is a green computing enterprise so that the fast track applies."),
    },
    16: {
        "route": "service",
        "conditions": [("绿色算力产业项目的环境影响评价、节能审查适用简便快捷流程；"
                        "绿色数据中心按建设项目环境影响评价分类管理规定实行环评豁免。",
                        "Green computing projects get a simple, fast environmental impact assessment and energy "
                        "review; green data centres are exempt from the assessment under the classified management "
                        "rules.")],
        "delivered_by": ("生态环境部门（环评）和节能审查机关按各自职责办理；是否豁免以生态环境部门认定为准。",
                         "The environment authority (assessment) and the energy review authority, each in its own "
                         "remit; the environment authority decides on an exemption."),
        "where": ("向项目所在地生态环境部门和节能审查机关办理。",
                  "Go to the environment authority and the energy review authority where the project is."),
    },
    17: {
        "route": "service",
        "conditions": [("算力重点项目（有建设项目的）：全力保障水、电、气、网市政公用基础设施建设，"
                        "工程施工阶段完成相关设施建设，竣工验收后直接办理接入。",
                        "Key computing projects (with a construction project): water, power, gas and network "
                        "connections are secured, built during construction and connected directly after "
                        "acceptance.")],
        "delivered_by": ("各公用事业单位负责接入，园区和县区统筹保障。",
                         "The utilities connect the project; the park or county co-ordinates."),
        "where": ("施工阶段向所在园区或县区报告配套需求；竣工验收后向各公用事业单位直接办理接入。",
                  "Report your needs to your park or county during construction; after acceptance apply to the "
                  "utilities for connection directly."),
    },
    18: {
        "route": "service",
        "conditions": [("有融资需求的算力企业。", "Computing enterprises seeking financing.")],
        "delivered_by": ("市里积极争取青海省高质量发展政府投资基金，并鼓励金融机构倾斜支持；"
                         "是否投资或放贷由基金和金融机构决定。",
                         "The city seeks Qinghai's high-quality development government investment fund and "
                         "encourages banks to favour the industry; the fund and the banks decide whether to invest "
                         "or lend."),
        "where": ("向所在园区或县区提出融资需求，也可直接联系金融机构。",
                  "Tell your park or county what financing you need, or go to the banks directly."),
    },
    19: {
        "route": "service",
        "conditions": [("适用范围内的绿色算力企业均可享受，无另外条件："
                        "支持新增用能需求，非化石能源消费不纳入能源消耗总量和强度控制。",
                        "Every green computing enterprise within the scope, with no further condition: new energy "
                        "demand is supported and non-fossil energy use is excluded from the energy consumption "
                        "caps.")],
        "delivered_by": ("节能审查和能耗控制由节能主管部门按规定执行。",
                         "The energy conservation authority applies it in its reviews and controls."),
        "where": ("新增用能需求在项目节能审查时提出。",
                  "State new energy demand in the project's energy review."),
    },
    20: {
        "route": "service",
        "conditions": [("适用范围内的绿色算力企业均可享受，无另外条件。",
                        "Every green computing enterprise within the scope, with no further condition.")],
        "delivered_by": ("网络服务由通信企业提供；市里鼓励其优化面向算力网的资费结构、提供优质网络服务。",
                         "Network services come from the telecom operators; the city encourages them to price and "
                         "serve the computing network well."),
        "where": ("向通信企业咨询面向算力网的网络和资费方案；对服务有诉求的，可向所在园区或县区反映。",
                  "Ask the telecom operators for network and tariff offers for the computing network; raise "
                  "service concerns with your park or county."),
    },
}

# --- who may apply: 第七部分 in words ---------------------------------------------------------------

SCOPE: Pair = (
    "在海东市行政区域内（{counties}或市本级）注册的企业（统一社会信用代码以{prefixes}开头；个体工商户、农民专业合作社等"
    "不属于企业），所属领域为{sectors}之一，并从事{activities}中至少一个环节。措施自{valid_from}起施行，有效期至{valid_to}。",
    "Enterprises registered in Haidong ({counties}, or at city level), whose credit code starts with {prefixes} "
    "(individual businesses and co-operatives are not enterprises), working in one of these fields: {sectors}; "
    "and in {activities}. The measures are in force from {valid_from} to {valid_to}.",
)

# --- applying online (measure 4) ------------------------------------------------------------------

# Attachment kinds in the order of the wizard, and when each is required (filing.services.required_attachments:
# the business licence always; with a project its filing, investment audit and invoices; a data centre's racks).
MATERIALS: tuple[tuple[str, str], ...] = (
    (AttachmentKind.BUSINESS_LICENSE, "always"),
    (AttachmentKind.PROJECT_FILING, "project"),
    (AttachmentKind.INVESTMENT_AUDIT, "project"),
    (AttachmentKind.EQUIPMENT_INVOICE, "project"),
    (AttachmentKind.RACK_ACCEPTANCE, "data_center"),
)
REQUIRED_WHEN: dict[str, Pair] = {
    "always": ("必须提交", "Always required"),
    "project": ("申报项目的必须提交（申请投资补助须申报项目）",
                "Required with a project (an investment subsidy claim has one)"),
    "data_center": ("项目类别为数据中心的必须提交", "Required when the project is a data centre"),
}
MATERIALS_NOTE: Pair = ("PDF、JPEG或PNG格式（按文件内容识别），每个文件不超过{mb} MB；"
                        "同类材料重新上传的，以最新一份为准。",
                        "PDF, JPEG or PNG (judged by the content), at most {mb} MB per file; uploading a kind "
                        "again replaces the earlier file.")

# (step, URL name or None, its link's text): `{…}` filled from the page's values.
STEPS: tuple[tuple[Pair, str | None, Pair | None], ...] = (
    (("注册企业账号：使用企业名称和统一社会信用代码注册。",
      "Register the enterprise's account with its name and unified social credit code."), "register",
     ("注册账号", "Register")),
    (("在线申报：登录后新建申请，填写企业信息和项目信息（投资项目统一代码、建设性质、项目类别、所在县区、是否位于海东工业园区、"
      "实际建成标准机架数、实际投资额、实际建成日期）。",
      "Apply online: sign in, start an application and enter the enterprise and the project (investment project "
      "code, kind, category, county, whether it is in Haidong Industrial Park, standard racks built, actual "
      "investment, completion date)."), "application-new",
     ("新建申请", "Start an application")),
    (("上传申请材料（见申请材料清单）。", "Upload the materials (see the list of materials)."), None, None),
    (("核对并提交：核对填报信息和预估结果，签署承诺书（对填报信息和材料的真实性作出承诺）后提交。提交后不能修改；"
      "被退回补正的，修改后重新提交。",
      "Check and submit: check the facts and the estimated result and submit under the declaration of "
      "truthfulness (承诺书). A submitted application cannot be changed; one returned for correction can be "
      "corrected and submitted again."), None, None),
    (("审核：受理单位自提交之日起{review_days}个工作日内审核，可退回补正。",
      "Review: the reviewing authority reviews it within {review_days} working days of submission and may return "
      "it for correction."), None, None),
    (("公示：拟给予补助的，公示{notice_days}个工作日。",
      "Public notice: a proposed grant is on public notice for {notice_days} working days."), None, None),
    (("决定：出具决定书（批准或不予批准），可在线下载，并可凭验证码核验真伪。",
      "Decision: a determination (approval or rejection) is issued; download it online and anyone can verify it "
      "with its code."), "verify", ("核验决定书", "Verify a determination")),
    (("拨付：批准的补助由补助承担方一次性拨付。",
      "Payment: the payer pays an approved subsidy in one sum."), None, None),
)

TERMS: dict[str, Pair] = {
    "review": ("受理单位自提交之日起{review_days}个工作日内完成审核；退回补正后重新提交的，自重新提交之日起计算。"
               "工作日按国务院办公厅公布的节假日安排计算（法定节假日除外，调休上班日计入）。",
               "The reviewing authority decides within {review_days} working days of submission; after a return "
               "for correction, from the new submission. Working days follow the State Council's holiday "
               "calendar (public holidays excluded, make-up working days counted)."),
    "notice": ("拟给予补助的，批准前公示{notice_days}个完整工作日，自提出拟补助意见的次一工作日起算；公示期间，"
               "任何单位和个人可以提出异议。",
               "Before a grant is approved it is on public notice for {notice_days} full working "
               "days from the working day after the proposal; anyone may object during the notice."),
    "no_notice": ("目前不设公示期：审核通过即作出决定。", "There is currently no public notice: approval decides."),
    "payment": ("位于海东工业园区（含零碳产业园）的项目由{park_payer}拨付；其他项目由项目所在县区本级财政拨付。"
                "补助按项目一次性给予。",
                "The {park_payer} pays for projects in Haidong Industrial Park (incl. the Zero-Carbon Industrial "
                "Park); the county or district's own budget pays for other projects. The subsidy is paid once per "
                "project."),
    "remedy": ("对决定不服的，可以自收到决定书之日起{remedy_days}日内依法申请行政复议，或者自收到决定书之日起"
               "{remedy_months}个月内依法向人民法院提起行政诉讼。",
               "If you disagree with the determination, you may apply for administrative reconsideration within "
               "{remedy_days} days of receiving it, or bring an administrative lawsuit in a people's court within "
               "{remedy_months} months of receiving it."),
}

# For the measures not applied for here: what an application on this service does for them.
ALSO_IN_APPLICATION: Pair = (
    "通过本服务提交申请（如投资补助申请）的，决定书会一并列明本条的认定意见；本条仍按上述渠道办理，本服务不代为办理。",
    "If you file an application on this service (for the investment subsidy, say), its determination also states "
    "the finding on this measure; the measure itself is still delivered through the channel above, not by this "
    "service.",
)

# --- contacts per jurisdiction --------------------------------------------------------------------

JURISDICTION_NAMES: dict[str, Pair] = {
    "park": ("海东工业园区（含零碳产业园）", "Haidong Industrial Park (incl. the Zero-Carbon Industrial Park)"),
    "city": ("海东市（市本级）", "Haidong City (city level)"),
}  # the counties' names come from the dated parameter `regions.haidong`

ROUTING: Pair = (
    "在线申请由本服务按规则确定受理单位：项目位于海东工业园区的，由园区管委会受理；其他项目由项目所在县区受理；"
    "未申报项目的，由企业注册地县区受理；注册在市本级的，由市级受理。其他事项可向所在园区或县区咨询。",
    "This service routes an online application by rule: a project in Haidong Industrial Park to the park "
    "committee, another project to its county or district, an application without a project to the county where "
    "the enterprise is registered, and an enterprise registered at city level to the city. Ask your park or county "
    "about anything else.",
)
PLACEHOLDER_MARK: Pair = ("（示例，待主管部门确认）", "(placeholder, to be confirmed by the authority)")
PLACEHOLDER_NOTICE: Pair = ("以下联系方式为示例，待主管部门确认后公布，请勿据此联系。",
                            "The contacts below are placeholders until the authorities confirm them: do not use them.")

# Placeholders, marked as such on the page. Operators set the real ones in
# settings.JURISDICTION_CONTACTS (same keys; office and address a string or a (zh-hans, en) pair;
# "placeholder": False, or left out, once confirmed).
DEFAULT_CONTACTS: dict[str, dict[str, Any]] = {
    "park": {"office": ("海东工业园区管理委员会 政策受理窗口", "Haidong Industrial Park Administrative Committee, "
                                                          "policy service desk"),
             "address": ("地址待确认", "address to be confirmed"), "phone": "0972-0000000", "placeholder": True},
    "630202": {"office": ("乐都区 政策受理窗口", "Ledu District, policy service desk"),
               "address": ("地址待确认", "address to be confirmed"), "phone": "0972-0000001", "placeholder": True},
    "630203": {"office": ("平安区 政策受理窗口", "Ping'an District, policy service desk"),
               "address": ("地址待确认", "address to be confirmed"), "phone": "0972-0000002", "placeholder": True},
    "630222": {"office": ("民和回族土族自治县 政策受理窗口", "Minhe County, policy service desk"),
               "address": ("地址待确认", "address to be confirmed"), "phone": "0972-0000003", "placeholder": True},
    "630223": {"office": ("互助土族自治县 政策受理窗口", "Huzhu County, policy service desk"),
               "address": ("地址待确认", "address to be confirmed"), "phone": "0972-0000004", "placeholder": True},
    "630224": {"office": ("化隆回族自治县 政策受理窗口", "Hualong County, policy service desk"),
               "address": ("地址待确认", "address to be confirmed"), "phone": "0972-0000005", "placeholder": True},
    "630225": {"office": ("循化撒拉族自治县 政策受理窗口", "Xunhua County, policy service desk"),
               "address": ("地址待确认", "address to be confirmed"), "phone": "0972-0000006", "placeholder": True},
    "city": {"office": ("海东市 政策受理窗口", "Haidong City, policy service desk"),
             "address": ("地址待确认", "address to be confirmed"), "phone": "0972-0000009", "placeholder": True},
}


# --- building the page ----------------------------------------------------------------------------


def _pick(text: str | Pair | list, lang: str) -> str:
    if isinstance(text, tuple | list):
        return str(text[1] if lang == "en" else text[0])
    return str(text)


def _list(items: list[str], lang: str) -> str:
    return ", ".join(items) if lang == "en" else "、".join(items)


def _either(words: str, lang: str) -> str:
    """"a, b, c" → "a, b or c" in English; Chinese says 中至少一个环节 itself."""
    head, _sep, last = words.rpartition(", ")
    return f"{head} or {last}" if lang == "en" and head else words


def _inline(label: str, lang: str) -> str:
    """A label inside an English sentence: "cloud computing", keeping "IT" and "AI" upper case."""
    return label[:1].lower() + label[1:] if lang == "en" else label


def _counties(today: dt.date, lang: str) -> str:
    return _list([names[1] if lang == "en" else names[0] for names in regions.at(today).counties.values()], lang)


def parameter_words(name: str, today: dt.date, lang: str) -> str:
    """A dated parameter in the words of a sentence."""
    value = parameters.value(name, today)
    if name == "m04.tiers":
        return presentation.tiers_in_words(value, lang)
    if isinstance(value, list):
        group = presentation.VALUE_GROUPS.get(name)
        return _list([_inline(labels.choice(group, v, lang), lang) if group else str(v) for v in value], lang)
    if isinstance(value, dt.date):
        return labels.long_date(value, lang)
    if isinstance(value, dict) and "name" in value:
        return str(value["name_en"] if lang == "en" else value["name"])
    return str(value)


def scope_words(today: dt.date, lang: str) -> str:
    return _pick(SCOPE, lang).format(
        counties=_counties(today, lang),
        prefixes=parameter_words("scope.enterprise_credit_code_prefixes", today, lang),
        sectors=parameter_words("scope.listed_sectors", today, lang),
        activities=_either(parameter_words("scope.listed_activities", today, lang), lang),
        valid_from=parameter_words("policy.valid_from", today, lang),
        valid_to=parameter_words("policy.valid_to", today, lang),
    )


def _values(guide: dict[str, Any], today: dt.date, lang: str) -> dict[str, str]:
    values = {key: parameter_words(name, today, lang) for key, name in guide.get("params", {}).items()}
    notice_days = settings.PUBLIC_NOTICE_WORKING_DAYS  # DESIGN §11; 0: no notice
    values.update(
        counties=_counties(today, lang),
        park_payer=parameter_words("m04.park_payer", today, lang),
        review_days=str(settings.REVIEW_DEADLINE_WORKING_DAYS),
        notice_days=str(notice_days),
        remedy_days=str(REMEDY_DAYS),
        remedy_months=str(REMEDY_MONTHS),
        mb=str(ATTACHMENT_MAX_MB),
    )
    return values


def _online(values: dict[str, str], lang: str) -> dict[str, Any]:
    notice = int(values["notice_days"]) > 0
    steps = []
    for text, url_name, link in STEPS:
        if "{notice_days}" in text[0] and not notice:
            continue
        steps.append({"text": _pick(text, lang).format(**values), "url": reverse(url_name) if url_name else None,
                      "link": _pick(link, lang) if link else None})
    return {
        "materials": [{"kind": str(kind), "label": AttachmentKind(kind).label, "when": _pick(REQUIRED_WHEN[when], lang),
                       "required": when != "data_center"} for kind, when in MATERIALS],
        "materials_note": _pick(MATERIALS_NOTE, lang).format(**values),
        "steps": steps,
        "review": _pick(TERMS["review"], lang).format(**values),
        "notice": _pick(TERMS["notice" if notice else "no_notice"], lang).format(**values),
        "payment": _pick(TERMS["payment"], lang).format(**values),
        "remedy": _pick(TERMS["remedy"], lang).format(**values),
    }


def contacts(today: dt.date, lang: str) -> list[dict[str, Any]]:
    configured = getattr(settings, "JURISDICTION_CONTACTS", DEFAULT_CONTACTS)
    counties = regions.at(today).counties
    rows = []
    for key in ("park", *counties, "city"):
        contact = configured.get(key) or DEFAULT_CONTACTS.get(key)
        if contact is None:
            continue
        name = JURISDICTION_NAMES.get(key) or counties[key]
        phone = str(contact.get("phone", ""))
        rows.append({
            "key": key,
            "name": _pick(name, lang),
            "office": _pick(contact.get("office", ""), lang),
            "address": _pick(contact.get("address", ""), lang),
            "phone": phone,
            "tel": "".join(c for c in phone if c.isdigit() or c == "+"),
            "placeholder": bool(contact.get("placeholder", False)),
        })
    return rows


def guide_context(number: int, today: dt.date, lang: str) -> dict[str, Any]:
    entry = catalogue.entry(number)
    if entry is None:
        raise Http404("no such measure")
    m, guide = entry.measure, GUIDES[number]
    values = _values(guide, today, lang)
    rows = contacts(today, lang)
    chapter_zh, chapter_en = catalogue.CHAPTERS[m.chapter]
    return {
        "number": m.number,
        "clause": presentation.clause_label(m.clause, lang),
        "title": m.title_en if lang == "en" else m.title,
        "chapter": (f"{m.chapter}. {chapter_en}" if lang == "en"
                    else f"{catalogue.CHAPTER_NUMERALS[m.chapter - 1]}、{chapter_zh}"),
        "kind": m.kind.value,
        "kind_label": presentation.KIND_LABELS[m.kind.value],
        "document": parameters.value("policy.document", today),
        "as_of": today,
        "text": entry.text,
        "text_en": entry.text_en,
        "route": guide["route"],
        "route_label": _pick(ROUTES[guide["route"]], lang),
        "scope": scope_words(today, lang),
        "scope_clause": presentation.clause_label(catalogue.SCOPE_CLAUSE, lang),
        "conditions": [_pick(line, lang).format(**values) for line in guide["conditions"]],
        "delivered_by": _pick(guide["delivered_by"], lang).format(**values),
        "where": _pick(guide["where"], lang).format(**values),
        "online": _online(values, lang) if guide["route"] == "online" else None,
        "also_in_application": _pick(ALSO_IN_APPLICATION, lang),
        "routing": _pick(ROUTING, lang),
        "contacts": rows,
        "placeholder_mark": _pick(PLACEHOLDER_MARK, lang),
        "placeholder_notice": _pick(PLACEHOLDER_NOTICE, lang) if any(r["placeholder"] for r in rows) else None,
        "previous": number - 1 if catalogue.entry(number - 1) else None,
        "next": number + 1 if catalogue.entry(number + 1) else None,
    }


@require_safe
def measure_guide(request: HttpRequest, number: int) -> HttpResponse:
    lang = _lang(request)
    today = timezone.localdate()  # Asia/Shanghai (settings.TIME_ZONE)
    ctx = {**_page(request, lang, "guide"), **guide_context(number, today, lang)}
    return render(request, "measures/guide.html", ctx)
