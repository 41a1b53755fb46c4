"""The audit log's system notes in words. The system writes a note as a code and parameters
(`audit.record(note_code=…, note_params=…)`); the log shows it in the reader's language (zh-hans or
en), on the page and in the CSV. Plain tables, as `measures.messages`: no .po file is needed. A note
typed by a person (a reviewer's return note) stays free text in `note` and is shown as typed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from measures import labels, regions

# code → (zh-hans, en): `str.format` templates over the entry's note_params, each parameter put into
# words by PARAMS below (others as they are). The one table of the log's system notes.
NOTES: dict[str, tuple[str, str]] = {
    "attachment_added": ("已上传 {kind}：{name}（SHA-256 {sha256}）", "Uploaded {kind}: {name} (SHA-256 {sha256})"),
    "attachment_replaced": ("已上传 {kind}：{name}（SHA-256 {sha256}），替换此前上传的文件",
                            "Uploaded {kind}: {name} (SHA-256 {sha256}), replacing an earlier file"),
    "declaration_made": ("已签署承诺书", "Declaration of truthfulness made"),
    "determination_issued": ("决定书文号 {number}", "Determination no. {number}"),
    "consent_given": ("同意主动比对与消息推送（告知书版本 {version}）",
                      "Consented to proactive screening and messages (notice version {version})"),
    "consent_withdrawn": ("撤回主动比对与消息推送的同意", "Withdrew the consent to proactive screening and messages"),
    "conflict_of_interest": ("“{action}”操作被拒绝：与申请企业存在关联（电子邮箱或电话相同），应当回避",
                             "“{action}” refused: conflict of interest (the same email or phone as the enterprise)"),
    "enterprise_registered": ("注册企业，统一社会信用代码 {credit_code}",
                              "Registered the enterprise with credit code {credit_code}"),
    "account_created": ("创建{role}账号 {username}", "Created the {role} account {username}"),
    "account_created_enterprise": ("创建{role}账号 {username}，所属企业 {enterprise}（{credit_code}）",
                                   "Created the {role} account {username} of {enterprise} ({credit_code})"),
    "account_created_jurisdiction": ("创建{role}账号 {username}，辖区 {jurisdiction}",
                                     "Created the {role} account {username} for {jurisdiction}"),
    "password_changed": ("修改了密码", "Changed the password"),
    "password_changed_tokens_revoked": ("修改了密码；API 令牌已全部撤销", "Changed the password; API tokens revoked"),
    "password_reset": ("重置了密码", "Reset the password"),
    "password_reset_tokens_revoked": ("重置了密码；API 令牌已全部撤销", "Reset the password; API tokens revoked"),
    "api_token_revoked": ("API 令牌已撤销", "API token revoked"),
    "admin_account_created": ("在管理后台创建账号，填写了：{fields}", "Account created in the admin, with: {fields}"),
    "admin_account_changed": ("在管理后台修改账号：{fields}", "Account changed in the admin: {fields}"),
    "admin_enterprise_created": ("在管理后台创建企业 {credit_code}，填写了：{fields}",
                                 "Enterprise {credit_code} created in the admin, with: {fields}"),
    "admin_enterprise_changed": ("在管理后台修改企业 {credit_code}：{fields}",
                                 "Enterprise {credit_code} changed in the admin: {fields}"),
    "notice_opened": ("公示 {starts_on} 至 {ends_on}，金额 {amount} 元",
                      "Public notice {starts_on} to {ends_on}, {amount} CNY"),
    "notice_opened_over_budget": (
        "公示 {starts_on} 至 {ends_on}，金额 {amount} 元；"
        "超出{payer} {year} 年度预算剩余额度 {remaining} 元（提示，不影响公示）",
        "Public notice {starts_on} to {ends_on}, {amount} CNY; beyond the {year} budget of {payer} "
        "({remaining} CNY remaining): a warning, the notice stands"),
    "notice_withdrawn": ("撤回公示", "Public notice withdrawn"),
    "objection_received": ("收到异议 {reference}", "Objection {reference} received"),
    "objection_upheld": ("异议 {reference} 成立：撤回公示，退回审核",
                         "Objection {reference} upheld: notice withdrawn, back to review"),
    "objection_dismissed": ("异议 {reference} 不成立", "Objection {reference} dismissed"),
    "payment_recorded": ("拨付 {amount} 元（{paid_on}，凭证号 {reference}），累计 {total} 元",
                         "Paid {amount} CNY ({paid_on}, reference {reference}), {total} CNY in all"),
    "budget_set": ("设置{payer} {year} 年度预算 {amount} 元", "Set the {year} budget of {payer} to {amount} CNY"),
}

ROLES: dict[str, tuple[str, str]] = {
    "enterprise": ("企业用户", "enterprise user"),
    "reviewer": ("审核人员", "reviewer"),
    "finance": ("财务人员", "finance officer"),
    "city_admin": ("市级管理员", "city administrator"),
    "system_admin": ("系统管理员", "system administrator"),
}
ACTIONS: dict[str, tuple[str, str]] = {
    "claim": ("认领", "Claim"),
    "release": ("放回队列", "Release"),
    "return": ("退回", "Return"),
    "approve": ("批准", "Approve"),
    "reject": ("不予批准", "Reject"),
    "propose": ("提请公示", "Propose for public notice"),
    "withdraw_proposal": ("撤回公示", "Withdraw the proposal"),
    "resolve_objection": ("处理异议", "Resolve an objection"),
}
JURISDICTIONS: dict[str, tuple[str, str]] = {"park": ("海东工业园区", "Haidong Industrial Park")}
# The form fields an admin change names (accounts and enterprises in the Django admin).
FIELDS: dict[str, tuple[str, str]] = {
    "username": ("用户名", "user name"),
    "password": ("密码", "password"),
    "password1": ("密码", "password"),
    "password2": ("确认密码", "password confirmation"),
    "usable_password": ("密码登录", "password-based login"),
    "first_name": ("名", "first name"),
    "last_name": ("姓", "last name"),
    "email": ("电子邮箱", "email"),
    "phone": ("电话", "phone"),
    "role": ("角色", "role"),
    "enterprise": ("所属企业", "enterprise"),
    "jurisdiction": ("辖区", "jurisdiction"),
    "is_active": ("启用状态", "active"),
    "name": ("名称", "name"),
    "credit_code": ("统一社会信用代码", "credit code"),
    "registered_region": ("注册地", "registered region"),
    "contact_person": ("联系人", "contact person"),
}
NOTHING = ("无", "nothing")


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def _from(table: Mapping[str, tuple[str, str]]) -> Callable[[Any, str], str]:
    return lambda value, lang: _pick(table[value], lang) if value in table else str(value)


def _kind(value: Any, lang: str) -> str:
    path = f"attachments.{value}"
    if path not in labels.FIELDS:
        return str(value)
    label = labels.field(path, lang)
    return label[:1].lower() + label[1:] if lang == "en" else label  # inside a sentence


def _jurisdiction(value: Any, lang: str) -> str:
    if value in JURISDICTIONS:
        return _pick(JURISDICTIONS[value], lang)
    return regions.county_name(value, lang) if regions.is_haidong_county(value) else str(value)


def _fields(value: Any, lang: str) -> str:
    names = [_from(FIELDS)(name, lang) for name in (value or [])]
    return ("、" if lang != "en" else ", ").join(names) or _pick(NOTHING, lang)


PARAMS: dict[str, Callable[[Any, str], str]] = {
    "kind": _kind,
    "role": _from(ROLES),
    "action": _from(ACTIONS),
    "jurisdiction": _jurisdiction,
    "payer": _jurisdiction,
    "fields": _fields,
}


def note_text(code: str, params: Mapping[str, Any] | None, lang: str) -> str:
    """The system note `code` with its parameters in words, in `lang` ("en", else zh-hans). A code
    this version does not know (or a parameter it lacks) is shown as stored rather than hidden."""
    params = params or {}
    try:
        template = _pick(NOTES[code], lang)
        return template.format(**{k: PARAMS[k](v, lang) if k in PARAMS else str(v) for k, v in params.items()})
    except (KeyError, IndexError, ValueError):
        shown = ", ".join(f"{k}={v}" for k, v in params.items())
        return f"{code} ({shown})" if shown else code


def entry_note(code: str, params: Mapping[str, Any] | None, note: str, lang: str) -> str:
    """What an entry's note column shows: the system note in words, then the free text (a person's
    note, or the whole note of an entry written before notes had codes)."""
    return "\n".join(part for part in (note_text(code, params, lang) if code else "", note) if part)
