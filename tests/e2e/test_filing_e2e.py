"""Filing an application in a real headless Chromium (Debian's /usr/bin/chromium) against a live
server: register an enterprise, go through every wizard step (leaving and resuming once), upload
the attachments, submit with the declaration, and see the status and the frozen evaluation."""

from __future__ import annotations

import pytest

from .helpers import by_id, by_name, click, expect, fits

# The clock stands inside the policy's validity, so the evaluation on "today" stays eligible
# once the real date passes 2029-06-30.
pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("policy_clock")]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n" \
      b"trailer<</Root 1 0 R>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")

REGISTRATION = {
    "username": "ledu_green",
    "password1": "Green-Compute-2025",
    "password2": "Green-Compute-2025",
    "name": "青海示例算力科技有限公司",
    "credit_code": "91630202MA7ABCDE1Y",
    "contact_person": "张三",
    "phone": "0972-8888888",
    "email": "contact@ledu-green.example",
}
PROJECT = {
    "project.code": "2406-630202-04-01-532198",
    "project.name": "乐都绿色算力中心一期",
    "project.region": "630202",
    "project.standard_racks": "1200",
    "project.equipment_investment_cny": "320000000.00",
    "project.completed_on": "2025-01-15",
}
ATTACHMENTS = {
    "business_license": ("营业执照.png", PNG),
    "project_filing": ("项目备案.pdf", PDF),
    "investment_audit": ("决算报告.pdf", PDF),
    "equipment_invoice": ("设备发票.pdf", PDF),
    "rack_acceptance": ("机架验收.pdf", PDF),
}


def register(page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.locator(".account-nav").get_by_role("link", name="注册").click()
    expect(page.locator("h1")).to_have_text("企业注册")
    fits(page)
    for name, value in REGISTRATION.items():
        by_name(page, name).fill(value)
    by_name(page, "registered_region").select_option("630202")
    click(page, "注册")
    expect(page.locator("h1")).to_have_text("我的申请")
    expect(page.locator(".flash")).to_contain_text("企业注册成功")
    expect(page.locator(".account-nav")).to_contain_text(REGISTRATION["username"])


def test_it_files_an_application_from_registration_to_submission(live_server, new_page, tmp_path):
    # A phone-sized window with JavaScript off: the whole flow works with plain forms.
    page = new_page(width=375, javascript=False)
    register(page, live_server.url)

    click(page, "开始新的申请")
    expect(page.locator("h1")).to_have_text("第 1 步，共 5 步：企业信息")
    expect(page.locator(".identity")).to_contain_text("91630202MA7ABCDE1Y")
    expect(page.locator(".identity")).to_contain_text("630202 乐都区")
    fits(page)
    for name, value in (("enterprise.sectors", "cloud_computing"), ("enterprise.sectors", "artificial_intelligence"),
                        ("enterprise.activities", "operation"), ("enterprise.qualifications", "high_tech_enterprise")):
        page.locator(f'[name="{name}"][value="{value}"]').check()
    click(page, "保存并继续")

    expect(page.locator("h1")).to_have_text("第 2 步，共 5 步：项目信息")
    page.locator('[name="has_project"][value="yes"]').check()
    for name, value in PROJECT.items():
        if name.endswith("region"):  # a select of the counties by name, codes as values
            by_name(page, name).select_option(value)
        else:
            by_name(page, name).fill(value)
    by_name(page, "project.kind").select_option("new")
    by_name(page, "project.category").select_option("data_center")
    page.locator('[name="project.in_industrial_park"][value="yes"]').check()
    # A typo first: the error stands beside the field and nothing typed is lost.
    by_name(page, "project.equipment_investment_cny").fill("3,2")
    click(page, "保存并继续")
    expect(page.locator('[data-field="project.equipment_investment_cny"] .field__error')).to_have_text(
        "机架及算力设备实际投资额（元）无法识别（例如：3.2亿、32000万、320,000,000）")
    expect(by_name(page, "project.name")).to_have_value("乐都绿色算力中心一期")
    expect(page.locator('[name="project.in_industrial_park"][value="yes"]')).to_be_checked()
    fits(page)
    by_name(page, "project.equipment_investment_cny").fill("3.2亿")  # read as 320,000,000.00 (no JS here)
    click(page, "保存并继续")
    expect(page.locator("h1")).to_have_text("第 3 步，共 5 步：其他情况")

    # Leave for My applications, then resume where the applicant left off.
    page.locator(".site-nav").get_by_role("link", name="我的申请").click()
    card = page.locator(".app-card").first
    expect(card.locator(".status")).to_have_text("草稿")
    expect(card).to_contain_text("乐都绿色算力中心一期")
    fits(page)
    card.get_by_role("link", name="继续填写").click()
    expect(page.locator("h1")).to_have_text("第 3 步，共 5 步：其他情况")
    by_name(page, "circumstances.ai_model_training").select_option("industry_model")
    by_name(page, "circumstances.green_data_center").check()
    click(page, "保存并继续")

    expect(page.locator("h1")).to_have_text("第 4 步，共 5 步：附件")
    for kind in ATTACHMENTS:
        expect(page.locator(f"#a-{kind} .tag--required")).to_have_text("必须提交")
    fits(page)
    # One form, one button: every chosen file is uploaded; a refused one is reported beside its
    # kind and holds back none of the others.
    for kind, (name, content) in ATTACHMENTS.items():
        path = tmp_path / name
        path.write_bytes(content if kind != "rack_acceptance" else b"MZ not a document")
        by_id(page, f"f-attachments.{kind}").set_input_files(str(path))
    click(page, "上传所选文件")
    expect(page.locator("#error-summary")).to_contain_text("部分文件未上传")
    expect(page.locator('[data-field="attachments.rack_acceptance"] .field__error')).to_contain_text(
        "机架验收证明只接受PDF、JPEG或PNG文件")
    for kind, (name, _content) in ATTACHMENTS.items():
        if kind != "rack_acceptance":
            expect(page.locator(f"#a-{kind} .attachment__current")).to_contain_text(name)
    fits(page)
    name, content = ATTACHMENTS["rack_acceptance"]
    (tmp_path / name).write_bytes(content)
    by_id(page, "f-attachments.rack_acceptance").set_input_files(str(tmp_path / name))
    click(page, "上传所选文件")
    expect(page.locator("#a-rack_acceptance .attachment__current")).to_contain_text(name)
    expect(page.locator(".flash")).to_contain_text("已上传：机架验收证明")
    click(page, "继续：核对并提交")

    expect(page.locator("h1")).to_have_text("第 5 步，共 5 步：核对并提交")
    expect(page.locator("#still-missing")).to_contain_text("无需补充")
    expect(page.locator("#r4 .badge")).to_have_text("可享受")
    expect(page.locator("#r4")).to_contain_text("¥1,000,000.00")
    expect(page.locator(".total")).to_contain_text("人民币壹佰万元整")
    fits(page)
    # Submitting without the declaration is refused beside the checkbox.
    click(page, "提交申请")
    expect(page.locator('[data-field="declaration"] .field__error')).to_have_text("承诺书必填")
    page.locator("#f-declaration").check()
    click(page, "提交申请")

    expect(page.locator("#application-status")).to_have_text("已提交")
    expect(page.locator(".flash")).to_contain_text("已提交")
    evaluation = page.locator("#evaluations .evaluation").first
    expect(evaluation).to_contain_text("提交时评估")
    expect(evaluation.locator(".total")).to_contain_text("人民币壹佰万元整")
    expect(evaluation).to_contain_text("规则版本")
    expect(evaluation.locator(".result__meta time")).to_have_text("2025-03-01")  # the live server's clock too
    expect(page.locator(".timeline")).to_contain_text("已提交")
    expect(page.locator("#attachments")).to_contain_text("营业执照.png")
    expect(page.get_by_role("link", name="撤回申请")).to_have_count(0)
    fits(page)

    page.locator(".site-nav").get_by_role("link", name="我的申请").click()
    expect(page.locator(".app-card").first.locator(".status")).to_have_text("已提交")


def test_it_shows_the_lockout_after_repeated_failed_logins(live_server, new_page):
    from django.conf import settings

    page = new_page()
    page.goto(live_server.url + "/accounts/login/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        by_name(page, "username").fill("nobody")
        by_name(page, "password").fill("wrong-password")
        click(page, "登录")
    expect(page.locator("h1")).to_have_text("登录已暂停")
    expect(page.locator('[role="alert"]')).to_contain_text("登录失败次数过多")
