"""The audit log pages (审计日志 and its CSV export, the log of one application on its review page)
through Django's test client."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from applications.models import Application
from audit import messages as notes
from audit import services as audit
from audit.models import AuditEntry
from review import services as review_services
from tests.personas import APPLICANT_CODE, applicant, city_admin, other_enterprise, reviewer

from .html import element
from .test_review_pages import html_of, no_inline_code, review_url, submitted, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

LOG = reverse("audit-log")
EXPORT = reverse("audit-export")


@pytest.fixture
def admin(client):
    user = city_admin()
    client.force_login(user)
    return user


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


# --- who may see it ---------------------------------------------------------------------------------

def test_it_sends_anonymous_visitors_to_login(client):
    for url in (LOG, EXPORT):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("persona", ["enterprise", "park_reviewer", "county_reviewer"])
def test_it_answers_403_to_all_but_city_admins(client, persona):
    user = {"enterprise": applicant, "park_reviewer": lambda: reviewer("park"),
            "county_reviewer": lambda: reviewer("630203")}[persona]()
    client.force_login(user)
    assert client.get(LOG).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_it_is_read_only(client, admin):
    count = AuditEntry.objects.count()
    for url in (LOG, EXPORT):
        assert client.post(url).status_code == 405
        assert client.delete(url).status_code == 405
    assert AuditEntry.objects.count() == count
    html = html_of(client.get(LOG))
    main = html.split('<main id="main"', 1)[1]
    assert 'method="post"' not in main  # the header's logout and language forms come before


# --- the system-wide log ----------------------------------------------------------------------------

def test_it_lists_every_entry_newest_first_with_who_what_and_where(client, admin):
    app = submitted(applicant())
    review_services.application_claim(application_id=app.pk, reviewer=admin)
    response = client.get(LOG)
    assert response.status_code == 200
    html = html_of(response)
    no_inline_code(html)
    assert "<h1>审计日志</h1>" in html
    newest = AuditEntry.objects.first()
    row = text_of(element(html, id=f"audit-{newest.pk}"))
    assert "状态变更" in row and "cityadmin" in row and "已提交 → 审核中" in row
    assert "2025-03-01 10:00:00" in row
    assert f'href="{review_url(app.pk)}"' in element(html, id=f"audit-{newest.pk}")
    ids = [e.pk for e in AuditEntry.objects.all()]
    positions = [html.index(f'id="audit-{pk}"') for pk in ids]
    assert positions == sorted(positions)
    assert "上传或替换附件" in html and "创建或变更账号" in html
    assert f'{AuditEntry.objects.count()} 条记录' in text_of(html)


def test_it_filters_by_action_actor_dates_and_application(client, admin):
    first = submitted(applicant())
    second = submitted(other_enterprise(), code="2406-630202-04-01-888888")
    review_services.application_claim(application_id=second.pk, reviewer=admin)
    audit.record(action="login_failed", actor_name="=cmd|' /C calc'!A0", object_type="auth", note="bad password")
    old = AuditEntry.objects.filter(action="account").first()
    AuditEntry.objects.filter(pk=old.pk).update(at=dt.datetime(2025, 1, 10, 12, tzinfo=dt.UTC))

    def shown(**params) -> set[int]:
        html = html_of(client.get(LOG, params))
        return {e.pk for e in AuditEntry.objects.all() if f'id="audit-{e.pk}"' in html}

    assert shown(action="login_failed") == set(AuditEntry.objects.filter(action="login_failed").values_list(
        "pk", flat=True))
    assert shown(actor="cityadm") == set(AuditEntry.objects.filter(actor_name="cityadmin").values_list("pk",
                                                                                                      flat=True))
    assert shown(application=first.pk) == set(first.audit_entries.values_list("pk", flat=True))
    assert shown(date_to="2025-01-31") == {old.pk}
    assert old.pk not in shown(date_from="2025-02-01")
    html = html_of(client.get(LOG, {"action": "transition", "application": second.pk}))
    assert f'href="{EXPORT}?action=transition&amp;application={second.pk}"' in html
    assert '<option value="transition" selected>' in html


def test_it_puts_a_bad_filter_beside_its_field(client, admin):
    response = client.get(LOG, {"application": "abc", "date_from": "2025-02-30"})
    assert response.status_code == 400
    html = html_of(response)
    assert "field__error" in element(html, data_field="application")
    assert "field__error" in element(html, data_field="date_from")
    assert client.get(EXPORT, {"application": "abc"}).status_code == 400


def test_it_paginates_keeping_the_filters(client, admin):
    for i in range(60):
        audit.record(action="login_failed", actor_name=f"guess{i}", object_type="auth")
    html = html_of(client.get(LOG, {"action": "login_failed"}))
    assert len(re.findall(r'id="audit-\d+"', html)) == 50
    assert 'href="?action=login_failed&amp;page=2"' in element(html, class_="pagination")
    html = html_of(client.get(LOG, {"action": "login_failed", "page": "2"}))
    assert len(re.findall(r'id="audit-\d+"', html)) == 10
    assert "第 2 页，共 2 页" in html


# --- the CSV export ---------------------------------------------------------------------------------

def test_it_exports_the_filtered_log_as_csv_for_excel(client, admin):
    app = submitted(applicant())
    review_services.application_return(application_id=app.pk, reviewer=admin, note="请补充发票，\n并加盖公章")
    audit.record(action="login_failed", actor_name="=HYPERLINK(\"http://evil\")", object_type="auth",
                 note="+1 attempt")
    response = client.get(EXPORT, {"application": app.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="audit-20250301-1000.csv"'
    rows = csv_rows(response)
    assert rows[0] == ["时间（北京时间）", "操作", "操作人", "对象", "申请", "变更前状态", "变更后状态", "说明",
                       "客户端地址"]
    entries = list(app.audit_entries.all())
    assert len(rows) == 1 + len(entries)
    returned = rows[1]
    assert returned == ["2025-03-01 10:00:00", "状态变更", "cityadmin", f"applications.application#{app.pk}",
                        str(app.pk), "已提交", "退回修改", "请补充发票，\n并加盖公章", ""]
    assert [r[1] for r in rows[1:]].count("上传或替换附件") == 5
    rows = csv_rows(client.get(EXPORT, {"action": "login_failed"}))
    # Text typed by users never becomes a spreadsheet formula.
    assert rows[1][2] == "'=HYPERLINK(\"http://evil\")" and rows[1][7] == "'+1 attempt"


def test_it_records_the_client_address_shown_in_the_log(client, admin):
    app = submitted(applicant())
    client.post(review_url(app.pk, "claim"), REMOTE_ADDR="10.1.2.3")
    entry = AuditEntry.objects.filter(application=app, to_state="in_review").get()
    assert entry.client_address == "10.1.2.3"
    assert "10.1.2.3" in element(html_of(client.get(LOG)), id=f"audit-{entry.pk}")
    assert csv_rows(client.get(EXPORT, {"application": app.pk}))[1][8] == "10.1.2.3"


# --- one application's log on its review page ------------------------------------------------------

def test_it_shows_the_applications_log_on_its_review_page(client):
    app = submitted(applicant())
    other = submitted(other_enterprise(), code="2406-630202-04-01-888888")
    client.force_login(reviewer("park"))
    client.post(review_url(app.pk, "return"), {"return-note": "请补充机架验收证明"})
    html = html_of(client.get(review_url(app.pk)))
    section = element(html, id="audit")
    for entry in app.audit_entries.all():
        assert f'id="audit-{entry.pk}"' in section
    for entry in other.audit_entries.all():
        assert f'id="audit-{entry.pk}"' not in section
    newest = text_of(element(section, id=f"audit-{app.audit_entries.first().pk}"))
    assert "审核中 → 退回修改" not in newest  # returned straight from submitted
    assert "已提交 → 退回修改" in newest and "请补充机架验收证明" in newest and "reviewer_park" in newest
    assert 'method="post"' not in section
    assert Application.objects.get(pk=app.pk).state == "returned"


# --- notes in the reader's language (issue 12, item 8) ----------------------------------------------

def attachment_entry(app: Application, kind: str = "business_license") -> AuditEntry:
    attachment = app.attachments.get(kind=kind)
    return AuditEntry.objects.get(action="attachment", object_id=str(attachment.pk))


def test_it_shows_system_notes_in_chinese_by_default(client, admin):
    app = submitted(applicant())
    html = html_of(client.get(LOG, {"application": app.pk}))
    entry = attachment_entry(app)
    name, sha256 = entry.note_params["name"], entry.note_params["sha256"]
    assert f"已上传 营业执照：{name}（SHA-256 {sha256}）" in text_of(element(html, id=f"audit-{entry.pk}"))
    declaration = AuditEntry.objects.get(application=app, to_state="submitted")
    assert text_of(element(element(html, id=f"audit-{declaration.pk}"), class_="audit-table__note")).strip() == (
        notes.note_text("declaration_made", {}, "zh-hans"))
    assert "Uploaded" not in html and "declaration of truthfulness" not in html


def test_it_shows_system_notes_in_english_with_the_english_cookie(client, admin):
    app = submitted(applicant())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = html_of(client.get(LOG))
    entry = attachment_entry(app)
    name, sha256 = entry.note_params["name"], entry.note_params["sha256"]
    assert f"Uploaded business licence: {name} (SHA-256 {sha256})" in text_of(element(html, id=f"audit-{entry.pk}"))
    declaration = AuditEntry.objects.get(application=app, to_state="submitted")
    assert "Declaration of truthfulness made" in text_of(element(html, id=f"audit-{declaration.pk}"))
    created = AuditEntry.objects.get(action="account", object_id=str(app.enterprise.users.get().pk))
    assert (f"Created the enterprise user account applicant of 青海示例算力科技有限公司 ({APPLICANT_CODE})"
            in text_of(element(html, id=f"audit-{created.pk}")))
    assert "已上传" not in html and "已签署承诺书" not in html


def test_it_exports_notes_in_the_readers_language(client, admin):
    app = submitted(applicant())
    query = {"application": app.pk, "action": "attachment"}
    rows = csv_rows(client.get(EXPORT, query))
    assert len(rows) == 6 and all(r[7].startswith("已上传 ") and "（SHA-256 " in r[7] for r in rows[1:])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rows = csv_rows(client.get(EXPORT, query))
    assert rows[0][7] == "Note" and rows[0][1] == "Action"
    assert all(r[7].startswith("Uploaded ") and " (SHA-256 " in r[7] for r in rows[1:])
    assert any(r[7].startswith("Uploaded business licence: ") for r in rows[1:])
    rows = csv_rows(client.get(EXPORT, {"application": app.pk, "action": "transition"}))
    assert [r[7] for r in rows[1:]] == ["Declaration of truthfulness made", ""]  # submitted, then created


def test_it_still_shows_the_free_text_note_of_an_old_entry(client, admin):
    text = f"business_license: x.pdf sha256 {'ab' * 32} (replaces an earlier file)"
    old = AuditEntry.objects.create(action="attachment", object_type="applications.attachment", object_id="7",
                                    note=text)
    assert text in text_of(element(html_of(client.get(LOG)), id=f"audit-{old.pk}"))
    assert csv_rows(client.get(EXPORT))[1][7] == text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert text in text_of(element(html_of(client.get(LOG)), id=f"audit-{old.pk}"))
    assert csv_rows(client.get(EXPORT))[1][7] == text


# --- the filter form's errors -----------------------------------------------------------------------

def test_it_names_the_field_in_every_filter_error(client, admin):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    typed = {"action": "nope", "actor": "x" * 151, "date_from": "2025-02-30", "date_to": "yesterday",
             "application": "abc"}
    response = client.get(LOG, typed)
    assert response.status_code == 400
    html = html_of(response)
    expected = {
        "action": "Choose an action from the list.",
        "actor": "The actor's user name has at most 150 characters.",
        "date_from": "“Date from” is not a valid date: write it as 2025-03-01.",
        "date_to": "“Date until” is not a valid date: write it as 2025-03-01.",
        "application": "“Application no.” must be a whole number from 1 to 999999999999.",
    }
    summary = text_of(element(html, id="error-summary"))
    for field, message in expected.items():
        assert message in text_of(element(html, data_field=field)), field
        assert message in summary, field
    # What was typed stays in the form.
    for field in ("actor", "date_from", "date_to", "application"):
        assert f'value="{typed[field]}"' in element(html, data_field=field), field
    for number in ("0", "1000000000000"):
        html = html_of(client.get(LOG, {"application": number}))
        assert expected["application"] in text_of(element(html, data_field="application"))


def test_it_refuses_a_reversed_date_range_beside_date_to(client, admin):
    submitted(applicant())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    reversed_range = {"date_from": "2025-03-01", "date_to": "2025-02-01"}
    response = client.get(LOG, reversed_range)
    assert response.status_code == 400
    html = html_of(response)
    assert "“Date until” (2025-02-01) is before “Date from” (2025-03-01)." in text_of(
        element(html, data_field="date_to"))
    assert "field__error" not in element(html, data_field="date_from")
    assert 'value="2025-03-01"' in element(html, data_field="date_from")
    assert 'value="2025-02-01"' in element(html, data_field="date_to")
    assert not re.search(r'id="audit-\d+"', html)
    assert client.get(EXPORT, reversed_range).status_code == 400
    assert client.get(LOG, {"date_from": "2025-03-01", "date_to": "2025-03-01"}).status_code == 200


# --- readable at 1280 px ----------------------------------------------------------------------------

def test_it_gives_every_column_a_class_for_a_fixed_layout_without_inline_styles(client, admin):
    app = submitted(applicant())
    html = html_of(client.get(LOG))
    no_inline_code(html)
    for column in ("time", "action", "actor", "object", "application", "states", "note", "address"):
        assert f'<th scope="col" class="audit-table__{column}">' in html, column
    section = element(html_of(client.get(review_url(app.pk))), id="audit")
    assert 'class="audit-table__application"' not in section and 'class="audit-table__states"' in section
    css = Path(finders.find("css/audit.css")).read_text()
    assert "table-layout: fixed" in css and "style=" not in html
