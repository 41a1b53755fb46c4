"""The audit log's system notes (issue 12, item 8): written as a code with parameters
(`audit.messages.NOTES`), shown in the reader's language; a note typed by a person, and the whole note
of an entry written before notes had codes, shown as stored."""

from __future__ import annotations

import string

import pytest

from accounts import services as accounts_services
from applications.models import Determination, Transition
from applications.transitions import ConflictOfInterest
from audit import messages
from audit import services as audit
from audit.models import AuditEntry
from filing import services as filing_services
from filing.services import DECLARATION_NOTE
from review import presentation
from review import services as review_services
from tests.personas import OTHER_CODE, PASSWORD, applicant, application_facts, auth, reviewer, submitted, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

SHA = "ab" * 32
# Parameters for every code of the table, as its writer stores them.
EXAMPLES: dict[str, dict] = {
    "consent_given": {"version": "2026-12-01"},
    "consent_withdrawn": {},
    "attachment_added": {"kind": "business_license", "name": "x.pdf", "sha256": SHA},
    "attachment_replaced": {"kind": "business_license", "name": "x.pdf", "sha256": SHA},
    "declaration_made": {},
    "determination_issued": {"number": "东园补决〔2025〕1号"},
    "conflict_of_interest": {"action": "approve"},
    "enterprise_registered": {"credit_code": OTHER_CODE},
    "account_created": {"role": "city_admin", "username": "cityadmin"},
    "account_created_enterprise": {"role": "enterprise", "username": "alice", "enterprise": "青海示例算力科技有限公司",
                                   "credit_code": OTHER_CODE},
    "account_created_jurisdiction": {"role": "reviewer", "username": "rev", "jurisdiction": "630202"},
    "password_changed": {},
    "password_changed_tokens_revoked": {},
    "password_reset": {},
    "password_reset_tokens_revoked": {},
    "api_token_revoked": {},
    "admin_account_created": {"fields": ["username", "password1", "role"]},
    "admin_account_changed": {"fields": ["jurisdiction"]},
    "admin_enterprise_created": {"credit_code": OTHER_CODE, "fields": ["name", "credit_code"]},
    "admin_enterprise_changed": {"credit_code": OTHER_CODE, "fields": []},
    "notice_opened": {"starts_on": "2025-10-09", "ends_on": "2025-10-14", "amount": "1000000.00"},
    "notice_opened_over_budget": {"starts_on": "2025-10-09", "ends_on": "2025-10-14", "amount": "1000000.00",
                                  "payer": "park", "year": 2025, "remaining": "500000.50"},
    "notice_withdrawn": {},
    "objection_received": {"reference": "YY2025-7K3Q9M"},
    "objection_upheld": {"reference": "YY2025-7K3Q9M"},
    "objection_dismissed": {"reference": "YY2025-7K3Q9M"},
    "payment_recorded": {"amount": "600000.00", "paid_on": "2025-11-20", "reference": "海财拨〔2025〕118号",
                         "total": "600000.00"},
    "budget_set": {"payer": "630202", "year": 2025, "amount": "5000000.00"},
}


def is_chinese(char: str) -> bool:
    return "\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef"


def notes(**filters) -> list[tuple[str, dict, str]]:
    return [(e.note_code, e.note_params, e.note) for e in AuditEntry.objects.filter(**filters).order_by("pk")]


# --- the table --------------------------------------------------------------------------------------

def test_it_has_an_example_for_every_code_of_the_table():
    assert set(EXAMPLES) == set(messages.NOTES)


@pytest.mark.parametrize("code", sorted(messages.NOTES))
def test_it_renders_every_code_in_chinese_and_english(code):
    zh, en = (messages.note_text(code, EXAMPLES[code], lang) for lang in ("zh-hans", "en"))
    for text in (zh, en):
        assert "{" not in text and code not in text
    assert zh != en and any(is_chinese(c) for c in zh)
    for value in EXAMPLES[code].values():  # names and numbers given in Chinese stay so
        en = en.replace(str(value), "")
    assert not any(is_chinese(c) for c in en)
    # Each template uses exactly the parameters its writer stores.
    for template in messages.NOTES[code]:
        assert {name for _, name, _, _ in string.Formatter().parse(template) if name} == set(EXAMPLES[code])


def test_it_renders_the_attachment_note_in_words():
    params = EXAMPLES["attachment_added"]
    assert messages.note_text("attachment_added", params, "zh-hans") == f"已上传 营业执照：x.pdf（SHA-256 {SHA}）"
    assert messages.note_text("attachment_added", params, "en") == f"Uploaded business licence: x.pdf (SHA-256 {SHA})"
    assert messages.note_text("attachment_replaced", params, "en").endswith("replacing an earlier file")
    assert "替换" in messages.note_text("attachment_replaced", params, "zh-hans")


def test_it_puts_roles_jurisdictions_actions_and_fields_into_words():
    assert messages.note_text("account_created_jurisdiction", EXAMPLES["account_created_jurisdiction"], "zh-hans") == (
        "创建审核人员账号 rev，辖区 乐都区")
    assert messages.note_text("account_created_jurisdiction", {"role": "reviewer", "username": "rev",
                                                               "jurisdiction": "park"}, "en") == (
        "Created the reviewer account rev for Haidong Industrial Park")
    assert messages.note_text("conflict_of_interest", {"action": "claim"}, "zh-hans").startswith("“认领”操作被拒绝")
    assert messages.note_text("admin_account_changed", {"fields": ["email", "phone"]}, "zh-hans") == (
        "在管理后台修改账号：电子邮箱、电话")
    assert messages.note_text("admin_enterprise_changed", EXAMPLES["admin_enterprise_changed"], "en") == (
        f"Enterprise {OTHER_CODE} changed in the admin: nothing")


def test_it_shows_an_unknown_code_or_a_missing_parameter_as_stored_rather_than_failing():
    assert messages.note_text("from_a_newer_version", {"a": 1}, "en") == "from_a_newer_version (a=1)"
    assert messages.note_text("attachment_added", {"kind": "business_license"}, "zh-hans") == (
        "attachment_added (kind=business_license)")


def test_it_refuses_to_record_a_code_the_table_does_not_know():
    with pytest.raises(ValueError, match="unknown audit note code"):
        audit.record(action="account", object_type="accounts.user", note_code="made_up")
    assert not AuditEntry.objects.exists()


# --- the writers ------------------------------------------------------------------------------------

def test_it_records_attachments_as_codes_with_kind_name_and_digest():
    alice = applicant()
    app = filing_services.application_create(user=alice, facts=application_facts())
    first = filing_services.attachment_add(application_id=app.pk, user=alice, kind="business_license",
                                           upload=upload("营业执照.pdf"))
    second = filing_services.attachment_add(application_id=app.pk, user=alice, kind="business_license",
                                            upload=upload("b.pdf"))
    assert notes(action="attachment") == [
        ("attachment_added", {"kind": "business_license", "name": "营业执照.pdf", "sha256": first.sha256}, ""),
        ("attachment_replaced", {"kind": "business_license", "name": "b.pdf", "sha256": second.sha256}, ""),
    ]


def test_it_records_the_declaration_as_a_code_and_keeps_the_history_note():
    app = submitted(applicant())
    assert notes(application=app, to_state="submitted") == [("declaration_made", {}, "")]
    assert Transition.objects.get(application=app, to_state="submitted").note == DECLARATION_NOTE


def test_it_records_account_notes_as_codes():
    admin_user = reviewer("630202", username="rev")
    user = accounts_services.enterprise_register(
        username="pingan", password=PASSWORD, name="平安云数据有限公司", credit_code=OTHER_CODE,
        registered_region="630203", contact_person="张三", phone="0972-1234567", email="pingan@example.com")
    auth(user)
    accounts_services.revoke_token(user=user, actor=user)
    accounts_services.password_changed(user=user, actor=user, how="changed")
    auth(user)
    accounts_services.password_changed(user=user, actor=user, how="reset")
    accounts_services.account_changed(user=user, actor=user, note="admin changed: email, phone")
    accounts_services.account_changed(user=user, actor=user, note=f"admin created enterprise {OTHER_CODE}: nothing")
    accounts_services.account_changed(user=user, actor=user, note="unlocked after a call")
    assert notes(object_id=str(admin_user.pk)) == [
        ("account_created_jurisdiction", {"role": "reviewer", "username": "rev", "jurisdiction": "630202"}, "")]
    assert notes(object_id=str(user.pk)) == [
        ("enterprise_registered", {"credit_code": OTHER_CODE}, ""),
        ("api_token_revoked", {}, ""),
        ("password_changed", {}, ""),
        ("password_reset_tokens_revoked", {}, ""),
        ("admin_account_changed", {"fields": ["email", "phone"]}, ""),
        ("admin_enterprise_created", {"fields": [], "credit_code": OTHER_CODE}, ""),
        ("", {}, "unlocked after a call"),
    ]


def test_it_records_a_determination_and_a_conflict_of_interest_as_codes():
    alice = applicant()
    app = submitted(alice)
    linked = reviewer("park", username="linked")
    linked.email = "applicant@example.com"
    linked.save()
    with pytest.raises(ConflictOfInterest):
        review_services.application_claim(application_id=app.pk, reviewer=linked)
    review_services.application_approve(application_id=app.pk, reviewer=reviewer("park"), note="材料齐全")
    assert notes(action="refused") == [("conflict_of_interest", {"action": "claim"}, "")]
    [(code, params, note)] = notes(action="determination")
    assert code == "determination_issued" and note == "" and params["number"] == Determination.objects.get(application=app).number
    # The reviewer's own note stays free text.
    assert notes(application=app, to_state="approved") == [("", {}, "材料齐全")]


# --- what the log shows -----------------------------------------------------------------------------

def test_it_shows_a_code_in_the_readers_language_and_a_typed_note_as_typed():
    coded = audit.record(action="attachment", object_type="applications.attachment", object_id="1",
                         note_code="attachment_added", note_params=EXAMPLES["attachment_added"])
    typed = audit.record(action="transition", object_type="applications.application", note="请补充发票")
    both = audit.record(action="transition", object_type="applications.application", note="另附说明",
                        note_code="declaration_made")
    zh = {row["id"]: row["note"] for row in presentation.audit_rows([coded, typed, both], "zh-hans")}
    en = {row["id"]: row["note"] for row in presentation.audit_rows([coded, typed, both], "en")}
    assert zh[coded.pk] == f"已上传 营业执照：x.pdf（SHA-256 {SHA}）"
    assert en[coded.pk] == f"Uploaded business licence: x.pdf (SHA-256 {SHA})"
    assert zh[typed.pk] == en[typed.pk] == "请补充发票"
    assert (zh[both.pk], en[both.pk]) == ("已签署承诺书\n另附说明", "Declaration of truthfulness made\n另附说明")


def test_it_still_shows_the_free_text_note_of_an_old_entry():
    old = AuditEntry.objects.create(action="attachment", object_type="applications.attachment", object_id="7",
                                    note=f"business_license: x.pdf sha256 {SHA} (replaces an earlier file)")
    for lang in ("zh-hans", "en"):
        assert presentation.audit_rows([old], lang)[0]["note"] == old.note
