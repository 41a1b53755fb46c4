"""The filing pages (我的申请, the wizard, the application page) through Django's test client."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from applications import services
from applications.models import Application, Attachment, State
from tests.personas import (
    PDF,
    PNG,
    REQUIRED_FOR_DATA_CENTRE,
    applicant,
    application_facts,
    city_admin,
    other_enterprise,
    reviewer,
    upload,
)

from .html import element

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

ENTERPRISE_STEP = {"enterprise.sectors": ["cloud_computing", "artificial_intelligence"],
                   "enterprise.activities": ["operation"], "enterprise.qualifications": ["high_tech_enterprise"]}
PROJECT_STEP = {
    "has_project": "yes",
    "project.code": "2406-630202-04-01-532198",
    "project.name": "乐都绿色算力中心一期",
    "project.kind": "new",
    "project.category": "data_center",
    "project.region": "630202",
    "project.in_industrial_park": "yes",
    "project.standard_racks": "1200",
    "project.equipment_investment_cny": "320000000.00",
    "project.completed_on": "2025-01-15",
}
CIRCUMSTANCES_STEP = {"circumstances.ai_model_training": "industry_model", "circumstances.green_data_center": "on",
                      "circumstances.high_level_talents": "3"}


@pytest.fixture
def alice(client):
    user = applicant()
    client.force_login(user)
    return user


def step_url(app_id: int, step: str) -> str:
    return reverse("application-step", args=[app_id, step])


def detail_url(app_id: int) -> str:
    return reverse("application-detail", args=[app_id])


def html_of(response) -> str:
    return response.content.decode()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def new_draft(client) -> Application:
    response = client.post(reverse("application-new"))
    app = Application.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == step_url(app.pk, "enterprise")
    return app


def filed(user, **project) -> Application:
    """A complete application (the DESIGN §4 example) with every required attachment."""
    app = services.application_create(user=user, facts=application_facts(**project))
    for kind in REQUIRED_FOR_DATA_CENTRE:
        services.attachment_add(application_id=app.pk, user=user, kind=kind, upload=upload(f"{kind}.pdf"))
    return app


def submitted(user) -> Application:
    app = filed(user)
    services.application_submit(application_id=app.pk, user=user, declaration=True)
    return Application.objects.get(pk=app.pk)


# --- access ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["my-applications"])
def test_it_sends_anonymous_visitors_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_it_sends_anonymous_visitors_to_login_from_every_application_page(client):
    app = submitted(applicant())
    attachment = app.attachments.first()
    for url in (detail_url(app.pk), step_url(app.pk, "project"), reverse("application-withdraw", args=[app.pk]),
                reverse("attachment-download", args=[app.pk, attachment.pk])):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_it_answers_404_for_another_enterprises_application_on_every_page(client):
    app = filed(applicant())
    attachment = app.attachments.first()
    client.force_login(other_enterprise())
    for url in (detail_url(app.pk), *(step_url(app.pk, s) for s in ("enterprise", "project", "circumstances",
                                                                      "attachments", "review")),
                reverse("application-withdraw", args=[app.pk]),
                reverse("attachment-download", args=[app.pk, attachment.pk])):
        assert client.get(url).status_code == 404, url
    assert client.post(step_url(app.pk, "enterprise"), ENTERPRISE_STEP).status_code == 404
    assert client.post(step_url(app.pk, "review"), {"declaration": "yes"}).status_code == 404
    assert client.post(reverse("application-withdraw", args=[app.pk])).status_code == 404
    assert Application.objects.get(pk=app.pk).state == State.DRAFT
    assert text_of(html_of(client.get(reverse("my-applications")))).count("申请编号") == 0


def test_it_lets_the_reviewer_of_the_jurisdiction_read_but_not_edit(client):
    app = submitted(applicant())
    client.force_login(reviewer("park"))
    assert client.get(detail_url(app.pk)).status_code == 200
    assert client.get(reverse("attachment-download", args=[app.pk, app.attachments.first().pk])).status_code == 200
    assert client.get(step_url(app.pk, "project")).status_code == 403
    client.force_login(reviewer("630203"))
    assert client.get(detail_url(app.pk)).status_code == 404


def test_it_does_not_let_a_reviewer_start_an_application(client):
    client.force_login(city_admin())
    assert client.post(reverse("application-new")).status_code == 403
    assert "开始新的申请" not in html_of(client.get(reverse("my-applications")))


def test_it_answers_404_for_an_unknown_step(client, alice):
    app = new_draft(client)
    assert client.get(reverse("application-step", args=[app.pk, "payment"])).status_code == 404


# --- my applications ---------------------------------------------------------------------------

def test_it_lists_my_applications_with_status_dates_and_project(client, alice):
    html = html_of(client.get(reverse("my-applications")))
    assert "<h1>我的申请</h1>" in html
    assert "还没有申请" in html
    app = submitted(alice)
    draft = services.application_create(user=alice, facts={})
    html = html_of(client.get(reverse("my-applications")))
    card = element(html, id=f"application-{app.pk}")
    assert "已提交" in card
    assert "乐都绿色算力中心一期" in card
    assert "2406-630202-04-01-532198" in card
    assert "2025-03-01 10:00" in card
    assert "继续填写" not in card
    draft_card = element(html, id=f"application-{draft.pk}")
    assert "草稿" in draft_card
    assert "未申报项目" in draft_card
    assert f'href="{step_url(draft.pk, "enterprise")}"' in draft_card


def test_it_starts_a_draft_with_the_enterprise_from_the_account(client, alice):
    app = new_draft(client)
    assert app.state == State.DRAFT
    assert app.facts["enterprise"]["credit_code"] == "91630202MA7ABCDE1Y"
    assert app.created_by == alice
    assert client.get(reverse("application-new")).status_code == 405


# --- the wizard --------------------------------------------------------------------------------

def test_it_shows_the_identity_read_only_and_saves_the_fields(client, alice):
    app = new_draft(client)
    html = html_of(client.get(step_url(app.pk, "enterprise")))
    assert "第 1 步，共 5 步：企业信息" in text_of(html)
    identity = element(html, class_="group identity")
    assert "91630202MA7ABCDE1Y" in identity
    assert "630202 乐都区" in identity
    assert 'name="enterprise.credit_code"' not in html
    assert 'name="enterprise.name"' not in html
    response = client.post(step_url(app.pk, "enterprise"), ENTERPRISE_STEP)
    assert response.status_code == 302
    assert response["Location"] == step_url(app.pk, "project")
    app.refresh_from_db()
    assert app.facts["enterprise"]["sectors"] == ["cloud_computing", "artificial_intelligence"]
    assert app.facts["enterprise"]["qualifications"] == ["high_tech_enterprise"]
    html = html_of(client.get(step_url(app.pk, "enterprise")))
    assert 'value="artificial_intelligence" id="f-enterprise.sectors_3" checked' in html


def test_it_saves_the_project_and_comes_back_to_it(client, alice):
    app = new_draft(client)
    response = client.post(step_url(app.pk, "project"), PROJECT_STEP)
    assert response["Location"] == step_url(app.pk, "circumstances")
    app.refresh_from_db()
    assert app.facts["project"]["equipment_investment_cny"] == "320000000.00"
    assert app.facts["project"]["in_industrial_park"] is True
    assert app.jurisdiction == "park"
    html = html_of(client.get(step_url(app.pk, "project")))
    assert 'value="320000000.00"' in html
    assert 'name="has_project" value="yes" required id="f-has_project_0" checked' in html


def test_it_keeps_everything_entered_and_shows_the_error_beside_the_field(client, alice):
    app = new_draft(client)
    data = {**PROJECT_STEP, "project.equipment_investment_cny": "3.2亿", "project.code": "2406-630202"}
    response = client.post(step_url(app.pk, "project"), data)
    assert response.status_code == 200
    html = html_of(response)
    investment = element(html, data_field="project.equipment_investment_cny")
    assert "机架及算力设备实际投资额（元）格式不正确" in investment
    assert 'value="3.2亿"' in investment
    assert "投资项目统一代码格式不正确" in element(html, data_field="project.code")
    assert 'value="乐都绿色算力中心一期"' in html
    assert 'value="2025-01-15"' in html
    assert "error-summary" in html
    app.refresh_from_db()
    assert "project" not in app.facts  # nothing half-saved


def test_it_does_not_drop_project_details_when_no_project_is_chosen(client, alice):
    app = new_draft(client)
    response = client.post(step_url(app.pk, "project"), {**PROJECT_STEP, "has_project": "no"})
    assert response.status_code == 200
    assert "您填写了项目信息" in element(html_of(response), data_field="has_project")
    response = client.post(step_url(app.pk, "project"), {"has_project": "no"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert "project" not in app.facts


def test_it_removes_the_project_when_the_applicant_says_there_is_none(client, alice):
    app = filed(alice)
    response = client.post(step_url(app.pk, "project"), {"has_project": "no"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert "project" not in app.facts
    assert app.project_code == ""


def test_it_requires_a_project_code_to_describe_a_project(client, alice):
    app = new_draft(client)
    response = client.post(step_url(app.pk, "project"), {"has_project": "yes", "project.name": "一期"})
    assert "投资项目统一代码必填" in element(html_of(response), data_field="project.code")


def test_it_saves_the_circumstances(client, alice):
    app = new_draft(client)
    response = client.post(step_url(app.pk, "circumstances"), CIRCUMSTANCES_STEP)
    assert response["Location"] == step_url(app.pk, "attachments")
    app.refresh_from_db()
    assert app.facts["circumstances"]["green_data_center"] is True
    assert app.facts["circumstances"]["high_level_talents"] == 3
    assert app.facts["circumstances"]["ai_model_training"] == "industry_model"
    client.post(step_url(app.pk, "circumstances"), {"circumstances.ai_model_training": "none"})
    app.refresh_from_db()
    assert app.facts["circumstances"]["green_data_center"] is False
    assert app.facts["circumstances"]["high_level_talents"] == 0


def test_it_lets_the_applicant_leave_and_resume_where_they_left_off(client, alice):
    app = new_draft(client)
    response = client.post(step_url(app.pk, "enterprise"), {**ENTERPRISE_STEP, "then": "leave"})
    assert response["Location"] == reverse("my-applications")
    html = html_of(client.get(reverse("my-applications")))
    assert "草稿已保存" in html
    card = element(html, id=f"application-{app.pk}")
    assert f'href="{step_url(app.pk, "project")}"' in card
    assert "继续填写" in card


# --- attachments -------------------------------------------------------------------------------

def test_it_marks_the_required_attachments(client, alice):
    app = filed(alice)
    Attachment.objects.filter(application=app).delete()
    html = html_of(client.get(step_url(app.pk, "attachments")))
    for kind in REQUIRED_FOR_DATA_CENTRE:
        assert "必须提交" in element(html, id=f"a-{kind}")
    services.application_update(application_id=app.pk, user=alice, patch={"project": None})
    html = html_of(client.get(step_url(app.pk, "attachments")))
    assert "必须提交" in element(html, id="a-business_license")
    assert "可选" in element(html, id="a-rack_acceptance")


def test_it_uploads_and_replaces_an_attachment_keeping_the_earlier_version(client, alice):
    app = new_draft(client)
    url = step_url(app.pk, "attachments")
    response = client.post(url, {"kind": "business_license", "file": upload("执照.pdf", PDF)})
    assert response.status_code == 302
    assert response["Location"] == url + "#a-business_license"
    client.post(url, {"kind": "business_license", "file": upload("执照-新.png", PNG, "image/png")})
    html = html_of(client.get(url))
    section = element(html, id="a-business_license")
    assert "执照-新.png" in element(section, class_="attachment__current")
    assert "执照.pdf" in element(section, class_="attachment__history")
    current = app.attachments.get(superseded_at__isnull=True)
    assert current.content_type == "image/png"
    download = client.get(reverse("attachment-download", args=[app.pk, current.pk]))
    assert b"".join(download.streaming_content) == PNG
    assert download["Content-Type"] == "image/png"


def test_it_refuses_a_file_that_is_not_a_pdf_beside_its_kind(client, alice):
    app = new_draft(client)
    response = client.post(step_url(app.pk, "attachments"),
                           {"kind": "project_filing", "file": upload("filing.pdf", b"MZ not a pdf")})
    assert response.status_code == 200
    html = html_of(response)
    section = element(html, id="a-project_filing")
    assert "项目备案（核准）文件只接受PDF、JPEG或PNG文件（按文件内容识别）" in section
    assert 'aria-invalid="true"' in section
    assert not app.attachments.exists()


def test_it_refuses_a_file_over_20_mb_beside_its_kind(client, alice):
    app = new_draft(client)
    big = PDF + b"0" * (21 * 1024 * 1024)
    response = client.post(step_url(app.pk, "attachments"), {"kind": "investment_audit",
                                                             "file": upload("audit.pdf", big)})
    assert "投资审计或决算报告超过20 MB" in element(html_of(response), id="a-investment_audit")
    assert not app.attachments.exists()


def test_it_asks_for_a_file_when_none_is_chosen(client, alice):
    app = new_draft(client)
    response = client.post(step_url(app.pk, "attachments"), {"kind": "business_license"})
    assert "营业执照必填" in element(html_of(response), id="a-business_license")


# --- review and submit -------------------------------------------------------------------------

def test_it_shows_the_live_evaluation_and_what_is_missing(client, alice):
    app = new_draft(client)
    client.post(step_url(app.pk, "project"), {**PROJECT_STEP, "project.equipment_investment_cny": ""})
    html = html_of(client.get(step_url(app.pk, "review")))
    missing = element(html, id="still-missing")
    assert f'href="{step_url(app.pk, "enterprise")}#f-enterprise.sectors"' in missing
    assert f'href="{step_url(app.pk, "project")}#f-project.equipment_investment_cny"' in missing
    assert f'href="{step_url(app.pk, "attachments")}#f-attachments.business_license"' in missing
    m4 = element(html, id="r4")
    assert f'href="{step_url(app.pk, "project")}#f-project.equipment_investment_cny"' in m4
    assert "#calculator-form" not in html
    assert "承诺书" in html


def test_it_shows_the_estimated_amount_in_figures_and_capitals(client, alice):
    app = filed(alice)
    html = html_of(client.get(step_url(app.pk, "review")))
    assert "¥1,000,000.00" in element(html, id="r4")
    assert "人民币壹佰万元整" in element(html, class_="total")
    assert "无需补充" in element(html, id="still-missing")
    summary = element(html, class_="review-facts")
    assert "乐都绿色算力中心一期" in summary
    assert "¥320,000,000.00" in summary


def test_it_refuses_to_submit_without_the_declaration(client, alice):
    app = filed(alice)
    response = client.post(step_url(app.pk, "review"), {})
    assert response.status_code == 200
    html = html_of(response)
    assert "承诺书必填" in element(html, data_field="declaration")
    assert "申请未提交" in element(html, id="error-summary")
    assert Application.objects.get(pk=app.pk).state == State.DRAFT


def test_it_refuses_to_submit_naming_every_missing_fact_and_attachment(client, alice):
    app = new_draft(client)
    response = client.post(step_url(app.pk, "review"), {"declaration": "yes"})
    summary = text_of(element(html_of(response), id="error-summary"))
    for label in ("所属领域", "从事环节", "营业执照"):
        assert f"缺少{label}" in summary
    assert "承诺书" not in summary
    assert Application.objects.get(pk=app.pk).state == State.DRAFT


def test_it_submits_and_shows_the_frozen_evaluation_on_the_application_page(client, alice):
    app = filed(alice)
    response = client.post(step_url(app.pk, "review"), {"declaration": "yes"})
    assert response.status_code == 302
    assert response["Location"] == detail_url(app.pk)
    html = html_of(client.get(detail_url(app.pk)))
    assert "已提交" in element(html, id="application-status")
    assert "已提交" in html and "申请编号" in html
    evaluation = element(html, id="evaluations")
    assert "人民币壹佰万元整" in evaluation
    assert "¥1,000,000.00" in evaluation
    assert "2025-03-01" in evaluation
    assert app.evaluations.get().rules_version in evaluation
    history = text_of(element(html, class_="timeline"))
    assert "草稿" in history and "已提交" in history
    assert "撤回申请" not in html
    assert "继续填写" not in html


def test_it_sends_the_wizard_of_a_submitted_application_to_its_page(client, alice):
    app = submitted(alice)
    for step in ("enterprise", "attachments", "review"):
        response = client.get(step_url(app.pk, step))
        assert response.status_code == 302
        assert response["Location"] == detail_url(app.pk)
    response = client.post(step_url(app.pk, "project"), PROJECT_STEP, follow=True)
    assert "不能再修改" in html_of(response)
    response = client.post(step_url(app.pk, "attachments"), {"kind": "business_license", "file": upload()})
    assert response.status_code == 302
    assert app.attachments.count() == len(REQUIRED_FOR_DATA_CENTRE)


# --- returned, withdrawn, decided --------------------------------------------------------------

def test_it_shows_the_reviewers_note_and_lets_the_applicant_correct_and_resubmit(client, alice):
    app = submitted(alice)
    park = reviewer("park")
    services.application_return(application_id=app.pk, reviewer=park, note="请补充机架验收证明的盖章页。")
    html = html_of(client.get(detail_url(app.pk)))
    assert "退回修改" in element(html, id="application-status")
    assert "请补充机架验收证明的盖章页。" in element(html, class_="notice notice--warning")
    assert "修改并重新提交" in html
    assert "撤回申请" in html
    review = html_of(client.get(step_url(app.pk, "review")))
    assert "重新提交申请" in review
    client.post(step_url(app.pk, "attachments"), {"kind": "rack_acceptance", "file": upload("验收-盖章.pdf")})
    client.post(step_url(app.pk, "review"), {"declaration": "yes"})
    app.refresh_from_db()
    assert app.state == State.SUBMITTED
    html = html_of(client.get(detail_url(app.pk)))
    assert html.count('class="evaluation"') == 2
    assert "验收-盖章.pdf" in element(html, id="attachments")


def test_it_withdraws_a_draft_after_confirmation(client, alice):
    app = new_draft(client)
    url = reverse("application-withdraw", args=[app.pk])
    html = html_of(client.get(url))
    assert "确认撤回" in html
    app.refresh_from_db()
    assert app.state == State.DRAFT
    response = client.post(url, {"note": "项目延期"})
    assert response["Location"] == detail_url(app.pk)
    app.refresh_from_db()
    assert app.state == State.WITHDRAWN
    html = html_of(client.get(detail_url(app.pk)))
    assert "已撤回" in element(html, id="application-status")
    assert "项目延期" in element(html, class_="timeline")
    assert client.get(url)["Location"] == detail_url(app.pk)


def test_it_shows_a_determination_placeholder_once_decided(client, alice):
    app = submitted(alice)
    assert 'id="determination"' not in html_of(client.get(detail_url(app.pk)))
    services.application_approve(application_id=app.pk, reviewer=reviewer("park"), note="材料齐全，予以支持。")
    html = html_of(client.get(detail_url(app.pk)))
    section = element(html, id="determination")
    assert "决定书" in section
    assert "<a " not in section  # nothing to download yet
    assert "材料齐全，予以支持。" in element(html, class_="notes")
    assert "已批准" in element(html, id="application-status")


# --- every page --------------------------------------------------------------------------------

def test_it_has_no_inline_scripts_or_styles_on_any_filing_page(client, alice):
    app = filed(alice)
    urls = [reverse("my-applications"), detail_url(app.pk), reverse("application-withdraw", args=[app.pk]),
            *(step_url(app.pk, s) for s in ("enterprise", "project", "circumstances", "attachments", "review"))]
    for url in urls:
        html = html_of(client.get(url))
        assert "<script" not in html, url
        assert "style=" not in html, url
        assert "<style" not in html, url


def test_it_shows_the_filing_pages_in_english_when_chosen(client, alice):
    from django.conf import settings

    app = filed(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = html_of(client.get(step_url(app.pk, "review")))
    assert '<html lang="en">' in html
    assert "Step 5 of 5: Review and submit" in text_of(html)
    assert "Declaration of truthfulness" in html
    assert "人民币壹佰万元整" in html
    html = html_of(client.get(reverse("my-applications")))
    assert "<h1>My applications</h1>" in html
    assert "Draft" in html
