"""The filing pages (我的申请, the wizard, the application page) through Django's test client."""

from __future__ import annotations

import hashlib
import re
from html import unescape

import pytest
from django.urls import reverse

from applications.models import Application, Attachment, Determination, State
from filing import services
from review import services as review_services
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

from .html import INLINE_SCRIPT, element

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
def alice(alice, client):
    """The shared applicant (tests/conftest.py), signed in."""
    client.force_login(alice)
    return alice


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
    # "3,2" is no amount (issue 12: 3.2亿, 32000万 and 320,000,000 are read, this is not).
    data = {**PROJECT_STEP, "project.equipment_investment_cny": "3,2", "project.code": "2406-630202"}
    response = client.post(step_url(app.pk, "project"), data)
    assert response.status_code == 200
    html = html_of(response)
    investment = element(html, data_field="project.equipment_investment_cny")
    assert "机架及算力设备实际投资额（元）无法识别" in investment
    assert 'value="3,2"' in investment and "3.2亿" in investment  # kept, with an example of a good value
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


def test_it_removes_the_project_when_the_applicant_says_there_is_none_and_confirms(client, alice):
    app = filed(alice)
    response = client.post(step_url(app.pk, "project"), {"has_project": "no"})
    assert response.status_code == 200
    assert "删除已保存的项目信息？" in element(html_of(response), id="remove-project")
    app.refresh_from_db()
    assert app.facts["project"]["name"] == "乐都绿色算力中心一期"  # nothing removed before the confirmation
    response = client.post(step_url(app.pk, "project"), {"has_project": "no", "remove_project": "confirm"})
    assert response.status_code == 302
    assert response["Location"] == step_url(app.pk, "circumstances")
    app.refresh_from_db()
    assert "project" not in app.facts
    assert app.project_code == ""


def test_it_offers_to_remove_the_saved_project_without_clearing_every_field(client, alice):
    app = filed(alice)
    html = html_of(client.get(step_url(app.pk, "project")))
    assert 'value="乐都绿色算力中心一期"' in html
    # What the browser sends when only "No" is chosen: every saved value is still in its field.
    response = client.post(step_url(app.pk, "project"), {**PROJECT_STEP, "has_project": "no"})
    assert response.status_code == 200
    html = html_of(response)
    confirmation = element(html, id="remove-project")
    assert "乐都绿色算力中心一期" in confirmation and "2406-630202-04-01-532198" in confirmation
    assert 'name="remove_project" value="confirm"' in confirmation
    assert "confirm-removal__unsaved" not in confirmation  # nothing typed beyond what is saved
    assert "error-summary" not in html
    assert 'value="320000000.00"' in element(html, data_field="project.equipment_investment_cny")
    # The first button of the form (pressing Enter in a field) keeps the project, never removes it.
    assert html.index('value="keep"') < html.index('value="confirm"') < html.index('name="then"')
    response = client.post(step_url(app.pk, "project"),
                           {**PROJECT_STEP, "has_project": "no", "remove_project": "confirm"}, follow=True)
    assert response.redirect_chain == [(step_url(app.pk, "circumstances"), 302)]
    assert "已从申请中删除项目信息" in element(html_of(response), class_="flash")
    app.refresh_from_db()
    assert "project" not in app.facts
    assert app.jurisdiction == "630202"
    html = html_of(client.get(step_url(app.pk, "project")))
    assert 'name="has_project" value="no" required id="f-has_project_1" checked' in html
    assert 'value="乐都绿色算力中心一期"' not in html


def test_it_names_unsaved_project_values_before_removing_and_keeps_them_on_request(client, alice):
    app = filed(alice)
    data = {**PROJECT_STEP, "has_project": "no", "project.name": "乐都绿色算力中心二期", "project.standard_racks": ""}
    response = client.post(step_url(app.pk, "project"), data)
    assert response.status_code == 200
    html = html_of(response)
    unsaved = text_of(element(html, class_="confirm-removal__unsaved"))
    assert "项目名称" in unsaved
    assert "标准机架数" not in unsaved  # cleared, not typed: nothing of it would be lost
    assert 'value="乐都绿色算力中心二期"' in element(html, data_field="project.name")
    response = client.post(step_url(app.pk, "project"), {**data, "remove_project": "keep"})
    assert response.status_code == 200
    html = html_of(response)
    assert 'id="remove-project"' not in html
    assert "项目信息已保留" in element(html, class_="flash")
    assert 'name="has_project" value="yes" required id="f-has_project_0" checked' in html
    assert 'value="乐都绿色算力中心二期"' in element(html, data_field="project.name")
    app.refresh_from_db()
    assert app.facts["project"]["name"] == "乐都绿色算力中心一期"
    assert app.facts["project"]["standard_racks"] == 1200


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


def test_it_has_one_upload_form_with_a_file_input_per_kind(client, alice):
    app = new_draft(client)
    html = html_of(client.get(step_url(app.pk, "attachments")))
    form = element(html, id="attachments-form")
    assert form.count('enctype="multipart/form-data"') == 1
    for kind in REQUIRED_FOR_DATA_CENTRE:
        assert f'name="attachments.{kind}" id="f-attachments.{kind}"' in element(form, id=f"a-{kind}")
    assert form.count('type="file"') == len(REQUIRED_FOR_DATA_CENTRE)
    assert form.count('value="upload"') == 1
    assert "<form" not in form[1:]  # no form of its own per kind


def test_it_uploads_every_chosen_file_at_once_and_replaces_keeping_the_earlier_version(client, alice):
    app = new_draft(client)
    url = step_url(app.pk, "attachments")
    response = client.post(url, {"attachments.business_license": upload("执照.pdf", PDF),
                                 "attachments.project_filing": upload("备案.pdf", PDF), "then": "upload"})
    assert response.status_code == 302
    assert response["Location"] == url
    html = html_of(client.get(url))
    flash = text_of(element(html, class_="flash"))
    assert "已上传：营业执照（执照.pdf）" in flash and "已上传：项目备案（核准）文件（备案.pdf）" in flash
    assert "备案.pdf" in element(html, id="a-project_filing")
    client.post(url, {"attachments.business_license": upload("执照-新.png", PNG, "image/png"), "then": "upload"})
    html = html_of(client.get(url))
    section = element(html, id="a-business_license")
    assert "执照-新.png" in element(section, class_="attachment__current")
    assert "执照.pdf" in element(section, class_="attachment__history")
    assert set(app.attachments.filter(superseded_at__isnull=True).values_list("kind", flat=True)) == {
        "business_license", "project_filing"}
    current = app.attachments.get(kind="business_license", superseded_at__isnull=True)
    assert current.content_type == "image/png"
    download = client.get(reverse("attachment-download", args=[app.pk, current.pk]))
    assert b"".join(download.streaming_content) == PNG
    assert download["Content-Type"] == "image/png"


def test_it_stores_the_good_files_and_refuses_the_bad_one_beside_its_kind(client, alice):
    app = new_draft(client)
    response = client.post(step_url(app.pk, "attachments"), {
        "attachments.business_license": upload("执照.pdf", PDF),
        "attachments.project_filing": upload("filing.pdf", b"MZ not a pdf"),
        "attachments.investment_audit": upload("决算.png", PNG, "image/png"),
        "then": "upload",
    })
    assert response.status_code == 200
    html = html_of(response)
    section = element(html, id="a-project_filing")
    assert "项目备案（核准）文件只接受PDF、JPEG或PNG文件（按文件内容识别）" in element(section, class_="field__error")
    assert 'aria-invalid="true"' in section
    summary = element(html, id="error-summary")
    assert "部分文件未上传" in summary
    assert 'href="#f-attachments.project_filing"' in summary
    for kind, name in (("business_license", "执照.pdf"), ("investment_audit", "决算.png")):
        stored = element(html, id=f"a-{kind}")
        assert "刚刚上传" in stored and name in stored
        assert "field__error" not in stored
    flash = text_of(element(html, class_="flash"))
    assert "执照.pdf" in flash and "决算.png" in flash and "filing.pdf" not in flash
    assert sorted(app.attachments.values_list("kind", flat=True)) == ["business_license", "investment_audit"]


def test_it_refuses_a_file_over_20_mb_beside_its_kind(client, alice):
    app = new_draft(client)
    big = PDF + b"0" * (20 * 1024 * 1024 + 1024)  # over 20 MB, under the 21 MB cap on a request body
    response = client.post(step_url(app.pk, "attachments"), {"attachments.investment_audit": upload("audit.pdf", big)})
    assert "投资审计或决算报告超过20 MB" in element(html_of(response), id="a-investment_audit")
    assert not app.attachments.exists()


def test_it_asks_for_a_file_when_none_is_chosen(client, alice):
    app = new_draft(client)
    response = client.post(step_url(app.pk, "attachments"), {"then": "upload"})
    assert response.status_code == 200
    assert "请至少为一类材料选择文件" in element(html_of(response), id="error-summary")
    assert not app.attachments.exists()


def test_it_uploads_the_chosen_files_before_continuing_or_leaving(client, alice):
    app = new_draft(client)
    url = step_url(app.pk, "attachments")
    response = client.post(url, {"attachments.business_license": upload("执照.pdf"), "then": "next"})
    assert response["Location"] == step_url(app.pk, "review")
    response = client.post(url, {"attachments.rack_acceptance": upload("验收.pdf"), "then": "leave"})
    assert response["Location"] == reverse("my-applications")
    assert sorted(app.attachments.values_list("kind", flat=True)) == ["business_license", "rack_acceptance"]
    assert client.post(url, {"then": "next"})["Location"] == step_url(app.pk, "review")
    # A refused file keeps the applicant on the step, with the error beside it.
    response = client.post(url, {"attachments.project_filing": upload("x.pdf", b"not a pdf"), "then": "next"})
    assert response.status_code == 200
    assert "field__error" in element(html_of(response), id="a-project_filing")


# --- review and submit -------------------------------------------------------------------------

def test_it_shows_the_live_evaluation_and_what_is_missing(client, alice):
    app = new_draft(client)
    client.post(step_url(app.pk, "project"), {**PROJECT_STEP, "project.equipment_investment_cny": ""})
    html = html_of(client.get(step_url(app.pk, "review")))
    missing = element(html, id="still-missing")
    # Each link opens the step and, once saved, comes back to the review (issue 12).
    back = "?return=review"
    assert f'href="{step_url(app.pk, "enterprise")}{back}#f-enterprise.sectors"' in missing
    assert f'href="{step_url(app.pk, "project")}{back}#f-project.equipment_investment_cny"' in missing
    assert f'href="{step_url(app.pk, "attachments")}{back}#f-attachments.business_license"' in missing
    m4 = element(html, id="r4")
    assert f'href="{step_url(app.pk, "project")}{back}#f-project.equipment_investment_cny"' in m4
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
    response = client.post(step_url(app.pk, "attachments"), {"attachments.business_license": upload()})
    assert response.status_code == 302
    assert app.attachments.count() == len(REQUIRED_FOR_DATA_CENTRE)


# --- returned, withdrawn, decided --------------------------------------------------------------

def test_it_shows_the_reviewers_note_and_lets_the_applicant_correct_and_resubmit(client, alice):
    app = submitted(alice)
    park = reviewer("park")
    review_services.application_return(application_id=app.pk, reviewer=park, note="请补充机架验收证明的盖章页。")
    html = html_of(client.get(detail_url(app.pk)))
    assert "退回修改" in element(html, id="application-status")
    assert "请补充机架验收证明的盖章页。" in element(html, class_="notice notice--warning")
    assert "修改并重新提交" in html
    assert "撤回申请" in html
    review = html_of(client.get(step_url(app.pk, "review")))
    assert "重新提交申请" in review
    client.post(step_url(app.pk, "attachments"), {"attachments.rack_acceptance": upload("验收-盖章.pdf")})
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


def test_it_shows_the_determination_with_its_pdf_and_verification_link_once_approved(client, alice):
    app = submitted(alice)
    assert 'id="determination"' not in html_of(client.get(detail_url(app.pk)))
    review_services.application_approve(application_id=app.pk, reviewer=reviewer("park"), note="材料齐全，予以支持。")
    determination = Determination.objects.get(application=app)
    html = html_of(client.get(detail_url(app.pk)))
    section = element(html, id="determination")
    text = text_of(section)
    assert "东园补决〔2025〕1号" in element(section, id="determination-number")
    assert "已批准" in text
    assert "¥1,000,000.00" in element(section, id="determination-amount")
    assert "人民币壹佰万元整" in element(section, id="determination-amount")
    assert '<time datetime="2025-03-01">2025-03-01</time>' in section
    verify = element(section, id="determination-verify")
    assert f'href="/verify/{determination.verification_code}/"' in verify
    assert determination.verification_code in verify
    assert element(section, id="determination-sha256") == (
        f'<code class="hash" id="determination-sha256">{determination.sha256}</code>')
    pdf_url = reverse("api:determination-pdf", args=[app.pk])
    assert pdf_url == f"/api/v1/applications/{app.pk}/determination.pdf"
    assert f'href="{pdf_url}"' in element(section, id="determination-pdf")
    timeline = element(html, class_="timeline")
    assert "材料齐全，予以支持。" in timeline  # the note, once, in the history
    assert "海东工业园区" in timeline and "reviewer_park" not in timeline  # the department, not the login
    assert "已批准" in element(html, id="application-status")
    # The links work with the enterprise's session: the PDF as issued, and the public verification.
    response = client.get(pdf_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == determination.sha256
    assert client.get(f"/verify/{determination.verification_code}/").status_code == 200


def test_it_shows_a_rejection_without_an_amount(client, alice):
    app = submitted(alice)
    review_services.application_reject(application_id=app.pk, reviewer=reviewer("park"), note="项目未竣工验收")
    section = element(html_of(client.get(detail_url(app.pk))), id="determination")
    assert "未予批准" in text_of(section)
    assert 'id="determination-amount"' not in section
    assert f'href="/api/v1/applications/{app.pk}/determination.pdf"' in section


def test_it_keeps_the_placeholder_for_a_decision_without_a_determination(client, alice):
    app = submitted(alice)
    Application.objects.filter(pk=app.pk).update(state=State.APPROVED)  # a decision recorded before determinations
    section = element(html_of(client.get(detail_url(app.pk))), id="determination")
    assert "决定书" in section
    assert "<a " not in section


def test_it_shows_the_latest_return_note_at_the_top_of_every_step(client, alice):
    app = submitted(alice)
    park = reviewer("park")
    review_services.application_return(application_id=app.pk, reviewer=park, note="请补充机架验收证明的盖章页。")
    services.application_submit(application_id=app.pk, user=alice, declaration=True)
    review_services.application_return(application_id=app.pk, reviewer=park, note="请核实设备投资额。\n并上传发票。")
    content_of = {"enterprise": 'id="step-form"', "project": 'id="step-form"', "circumstances": 'id="step-form"',
                  "attachments": 'id="attachments-form"', "review": 'id="still-missing"'}
    for step, content in content_of.items():
        html = html_of(client.get(step_url(app.pk, step)))
        note = element(html, id="return-note")
        assert "请核实设备投资额。<br>并上传发票。" in note, step
        assert "审核意见" in note and "2025-03-01 10:00" in note, step
        assert "请补充机架验收证明的盖章页。" not in html, step  # only the latest return
        assert html.index('class="steps"') < html.index('id="return-note"') < html.index(content), step
    draft = services.application_create(user=alice, facts={})
    for step in content_of:
        assert 'id="return-note"' not in html_of(client.get(step_url(draft.pk, step))), step


# --- every page --------------------------------------------------------------------------------

def test_it_has_no_inline_scripts_or_styles_on_any_filing_page(client, alice):
    app = filed(alice)
    urls = [reverse("my-applications"), detail_url(app.pk), reverse("application-withdraw", args=[app.pk]),
            *(step_url(app.pk, s) for s in ("enterprise", "project", "circumstances", "attachments", "review"))]
    for url in urls:
        html = html_of(client.get(url))
        assert not INLINE_SCRIPT.search(html), url
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


# --- issue 12: wizard fixes -----------------------------------------------------------------------

def test_it_preselects_no_project_answer_on_a_new_draft(client, alice):
    app = new_draft(client)
    html = html_of(client.get(step_url(app.pk, "project")))
    radios = re.findall(r'<input type="radio" name="has_project"[^>]*>', html)
    assert len(radios) == 2 and not any("checked" in r for r in radios)


def test_it_words_the_completion_date_help_for_an_application(client, alice):
    app = new_draft(client)
    help_text = element(html_of(client.get(step_url(app.pk, "project"))), id="f-project.completed_on_helptext")
    assert "不晚于提交申请之日" in help_text and "评估日期" not in help_text


def test_it_comes_back_to_the_review_after_a_change(client, alice):
    app = new_draft(client)
    page = html_of(client.get(step_url(app.pk, "enterprise") + "?return=review"))
    assert 'name="return_to" value="review"' in page
    response = client.post(step_url(app.pk, "enterprise"), {**ENTERPRISE_STEP, "return_to": "review", "then": "next"})
    assert response["Location"] == step_url(app.pk, "review")


def test_it_marks_the_steps_done(client, alice):
    app = new_draft(client)
    client.post(step_url(app.pk, "enterprise"), {**ENTERPRISE_STEP, "then": "next"})
    steps = element(html_of(client.get(step_url(app.pk, "project"))), class_="steps")
    assert "✓" in steps and steps.count("✓") == 1


def test_it_puts_a_claim_of_no_money_first_and_asks_to_confirm_it(client, alice):
    app = new_draft(client)
    client.post(step_url(app.pk, "enterprise"), {**ENTERPRISE_STEP, "then": "next"})
    client.post(step_url(app.pk, "project"), {"has_project": "no", "then": "next"})
    client.post(step_url(app.pk, "attachments"), {"attachments.business_license": upload("l.pdf"), "then": "next"})
    html = html_of(client.get(step_url(app.pk, "review")))
    assert html.index('id="no-money"') < html.index('id="still-missing"')
    assert "¥0.00" in element(html, id="no-money")
    refused = html_of(client.post(step_url(app.pk, "review"), {"declaration": "yes"}))
    assert 'id="f-acknowledge_no_money_error"' in refused
    app.refresh_from_db()
    assert app.state == "draft"
    done = client.post(step_url(app.pk, "review"), {"declaration": "yes", "acknowledge_no_money": "yes"})
    assert done.status_code == 302
    app.refresh_from_db()
    assert app.state == "submitted"


def test_it_tells_the_enterprise_what_happens_next_with_dates(client, alice, frozen_now):
    from review import services as review_services
    from tests.personas import reviewer

    app = submitted(alice)  # Saturday 2025-03-01: ten working days later is Friday 2025-03-14
    html = html_of(client.get(reverse("application-detail", args=[app.pk])))
    assert "2025-03-14" in element(html, id="next-steps")
    review_services.application_return(application_id=app.pk, reviewer=reviewer("park"), note="补充发票")
    html = html_of(client.get(reverse("application-detail", args=[app.pk])))
    assert "2025-03-14" in element(html, id="next-steps")  # the correction deadline, 10 working days
