"""Account pages: enterprise registration, login with the lockout, logout, password change and
reset, and the header, through Django's test client."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts.models import Enterprise, Role, User
from tests.personas import APPLICANT_CODE, PASSWORD, applicant, valid_code

from .html import INLINE_SCRIPT, element

pytestmark = pytest.mark.django_db

NEW_CODE = valid_code("91630223MA7QRT012")  # 互助县
REGISTRATION = {
    "username": "huzhu_cloud",
    "password1": "Green-Compute-2025",
    "password2": "Green-Compute-2025",
    "name": "互助云算科技有限公司",
    "credit_code": NEW_CODE,
    "registered_region": "630223",
    "contact_person": "李四",
    "phone": "0972-1234567",
    "email": "contact@huzhu-cloud.example",
}


def html_of(response) -> str:
    return response.content.decode()


def field_block(html: str, name: str) -> str:
    return element(html, data_field=name)


# --- registration ------------------------------------------------------------------------------

def test_it_renders_the_registration_form_in_chinese(client):
    html = html_of(client.get(reverse("register")))
    assert "<h1>企业注册</h1>" in html
    for label in ("用户名", "密码", "再次输入密码", "企业名称", "统一社会信用代码", "注册地行政区划代码", "联系人",
                  "联系电话", "电子邮箱"):
        assert f">{label}</label>" in html, label
    assert '<option value="630202">630202 乐都区</option>' in html
    assert 'autocomplete="new-password"' in html
    assert not INLINE_SCRIPT.search(html) and "style=" not in html


def test_it_registers_an_enterprise_and_logs_its_user_in(client):
    response = client.post(reverse("register"), REGISTRATION)
    assert response.status_code == 302
    assert response["Location"] == reverse("my-applications")
    user = User.objects.get(username="huzhu_cloud")
    assert user.role == Role.ENTERPRISE
    assert user.enterprise.credit_code == NEW_CODE
    assert user.enterprise.registered_region == "630223"
    assert user.enterprise.contact_person == "李四"
    assert user.check_password("Green-Compute-2025")
    html = html_of(client.get(reverse("my-applications")))
    assert "企业注册成功" in html
    assert "互助云算科技有限公司" in html


def test_it_shows_a_wrong_check_character_beside_the_field_and_keeps_the_rest(client):
    data = {**REGISTRATION, "credit_code": NEW_CODE[:17] + ("0" if NEW_CODE[17] != "0" else "1")}
    response = client.post(reverse("register"), data)
    assert response.status_code == 200
    html = html_of(response)
    credit = field_block(html, "credit_code")
    assert "统一社会信用代码校验位不正确（应为18位统一社会信用代码）" in credit
    assert 'aria-invalid="true"' in credit
    assert f'value="{data["credit_code"]}"' in credit
    for name in ("username", "name", "contact_person", "phone", "email"):
        assert f'value="{data[name]}"' in field_block(html, name), name
    assert 'value="Green-Compute-2025"' not in html  # passwords are never sent back
    assert 'href="#f-credit_code"' in element(html, id="error-summary")
    assert not User.objects.filter(username="huzhu_cloud").exists()


def test_it_shows_every_problem_at_once(client):
    data = {**REGISTRATION, "name": "", "credit_code": "92630202MA7ABCDE1U", "password2": "something-else",
            "email": "not-an-email"}
    html = html_of(client.post(reverse("register"), data))
    assert "企业名称必填" in field_block(html, "name")
    assert "不是企业的代码" in field_block(html, "credit_code")
    assert "两次输入不一致" in field_block(html, "password2")
    assert "电子邮箱格式不正确" in field_block(html, "email")


def test_it_refuses_an_enterprise_registered_twice_and_a_taken_username(client):
    applicant("taken")
    data = {**REGISTRATION, "username": "Taken", "credit_code": APPLICANT_CODE}
    html = html_of(client.post(reverse("register"), data))
    assert "统一社会信用代码已注册" in field_block(html, "credit_code")
    assert "用户名已被使用" in field_block(html, "username")
    assert Enterprise.objects.count() == 1


def test_it_refuses_a_weak_password_saying_why(client):
    data = {**REGISTRATION, "password1": "12345678", "password2": "12345678"}
    html = html_of(client.post(reverse("register"), data))
    block = field_block(html, "password1")
    assert "密码不符合密码要求" in block
    assert "这个密码太常见了" in block


def test_it_refuses_a_region_outside_haidong(client):
    html = html_of(client.post(reverse("register"), {**REGISTRATION, "registered_region": "110105"}))
    assert "注册地行政区划代码不是可选的值" in field_block(html, "registered_region")
    assert not User.objects.filter(username="huzhu_cloud").exists()


def test_it_sends_a_signed_in_user_from_registration_to_my_applications(client):
    client.force_login(applicant())
    assert client.get(reverse("register"))["Location"] == reverse("my-applications")


# --- login, lockout, logout --------------------------------------------------------------------

def test_it_logs_in_and_goes_to_my_applications(client):
    applicant()
    response = client.post(reverse("login"), {"username": "applicant", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("my-applications")


def test_it_returns_to_the_page_asked_for_after_login(client):
    applicant()
    response = client.get(reverse("my-applications"))
    login_url = response["Location"]
    html = html_of(client.get(login_url))
    assert "请登录后继续" in html
    assert f'name="next" value="{reverse("my-applications")}"' in html
    response = client.post(login_url, {"username": "applicant", "password": PASSWORD,
                                       "next": reverse("my-applications")})
    assert response["Location"] == reverse("my-applications")


def test_it_says_so_beside_the_form_when_the_password_is_wrong(client):
    applicant()
    response = client.post(reverse("login"), {"username": "applicant", "password": "wrong"})
    assert response.status_code == 200
    html = html_of(response)
    assert "error-summary" in html
    assert 'value="applicant"' in html


def test_it_locks_out_after_repeated_failures_with_a_clear_message(client):
    applicant()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(reverse("login"), {"username": "applicant", "password": "wrong"}).status_code == 200
    response = client.post(reverse("login"), {"username": "applicant", "password": "wrong"})
    assert response.status_code == 429
    html = html_of(response)
    assert "<h1>登录已暂停</h1>" in html
    assert "登录失败次数过多" in html
    assert reverse("password_reset") in html
    # The right password does not help while locked out.
    response = client.post(reverse("login"), {"username": "applicant", "password": PASSWORD})
    assert response.status_code == 429


def test_it_shows_login_and_register_to_visitors_and_my_applications_and_logout_when_signed_in(client):
    header = element(html_of(client.get(reverse("calculator"))), class_="site-header")
    assert reverse("login") in header and reverse("register") in header
    assert "我的申请" not in header
    client.force_login(applicant())
    header = element(html_of(client.get(reverse("calculator"))), class_="site-header")
    assert "我的申请" in header
    assert ">applicant</a>" in header
    logout = element(header, class_="account-nav__logout")
    assert 'method="post"' in logout and "csrfmiddlewaretoken" in logout and "退出登录" in logout
    assert reverse("login") not in header


def test_it_logs_out_by_post(client):
    client.force_login(applicant())
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("my-applications")).status_code == 302


# --- passwords ---------------------------------------------------------------------------------

def test_it_changes_the_password(client):
    user = applicant()
    client.force_login(user)
    html = html_of(client.get(reverse("password_change")))
    assert "<h1>修改密码</h1>" in html
    response = client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": "Another-Pass-2026",
                                                        "new_password2": "Another-Pass-2026"})
    assert response["Location"] == reverse("password_change_done")
    assert "您的密码已修改" in html_of(client.get(reverse("password_change_done")))
    user.refresh_from_db()
    assert user.check_password("Another-Pass-2026")


def test_it_shows_a_wrong_old_password_beside_the_field(client):
    client.force_login(applicant())
    response = client.post(reverse("password_change"), {"old_password": "nope", "new_password1": "Another-Pass-2026",
                                                        "new_password2": "Another-Pass-2026"})
    assert response.status_code == 200
    assert "field__error" in element(html_of(response), data_field="old_password")


def test_it_resets_a_forgotten_password_by_email(client):
    user = applicant()
    html = html_of(client.get(reverse("password_reset")))
    assert "<h1>重置密码</h1>" in html
    response = client.post(reverse("password_reset"), {"email": "applicant@example.com"})
    assert response["Location"] == reverse("password_reset_done")
    assert "请查收邮件" in html_of(client.get(reverse("password_reset_done")))
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(link)  # redirects to the set-password form with the token in the session
    form_url = response["Location"]
    assert "设置新密码" in html_of(client.get(form_url))
    response = client.post(form_url, {"new_password1": "Fresh-Start-2026", "new_password2": "Fresh-Start-2026"})
    assert response["Location"] == reverse("password_reset_complete")
    assert "新密码已设置" in html_of(client.get(reverse("password_reset_complete")))
    user.refresh_from_db()
    assert user.check_password("Fresh-Start-2026")
    assert "已过期或已被使用" in html_of(client.get(link, follow=True))


def test_it_does_not_tell_whether_an_email_has_an_account(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


@pytest.mark.parametrize("name", ["login", "register", "password_reset"])
def test_it_has_no_inline_scripts_or_styles_on_account_pages(client, name):
    html = html_of(client.get(reverse(name)))
    assert not INLINE_SCRIPT.search(html) and "style=" not in html and "<style" not in html
    assert '<html lang="zh-Hans">' in html
