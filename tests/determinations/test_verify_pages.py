"""The public verification pages (/verify/, /verify/<code>/): the not-found page, the public facts
of a found determination, and the comparison of an uploaded file.

Strings added with these pages are not yet in the zh-hans catalogue: the Chinese tests assert on
what needs no catalogue (codes, names, numbers, markup) or on strings already translated; the
wording is asserted in English, with the language cookie."""

import hashlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.models import Evaluation
from review import services as review_services
from tests.personas import PDF, PNG, applicant, reviewer, submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

UNKNOWN = "AAAA-BBBB-CCCC-DDDD"


@pytest.fixture
def approved():
    """An approved park data centre (the DESIGN §4 example): ¥1,000,000.00 under Art. 4."""
    app = submitted(applicant())
    return review_services.application_approve(application_id=app.pk, reviewer=reviewer("park")).determination


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def code_input(html: str) -> str:
    start = html.index('<input id="f-code"')
    return html[start:html.index(">", start) + 1]


# --- an unknown code -------------------------------------------------------------------------------

def test_it_answers_an_unknown_code_with_its_own_404_page_keeping_the_code(client):
    r = client.get(f"/verify/{UNKNOWN}/")
    html = r.content.decode()
    assert r.status_code == 404
    assert r.templates[0].name == "verify/index.html"
    assert '<html lang="zh-Hans">' in html
    assert 'id="not-found"' in html and 'role="alert"' in html
    assert f'value="{UNKNOWN}"' in code_input(html)
    assert 'action="/verify/"' in html and 'method="get"' in html  # the same form as /verify/
    assert UNKNOWN in html[html.index('id="not-found"'):]  # the code is named in the statement
    assert "页面不存在" not in html  # not the generic 404 page
    assert "验证码" in html and ">验证</button>" in html  # already in the catalogue


def test_it_says_in_chinese_that_a_determination_not_found_may_not_be_genuine(client):
    html = client.get(f"/verify/{UNKNOWN}/").content.decode()
    assert "<h1>查无此决定书</h1>" in html
    assert f"本服务未签发验证码为{UNKNOWN}的决定书。如您持有载有此验证码的决定书，它可能不是真实的，请向出具机关核实。" in html


def test_it_says_in_english_that_a_determination_not_found_may_not_be_genuine(english):
    r = english.get(f"/verify/{UNKNOWN}/")
    html = r.content.decode()
    assert r.status_code == 404
    assert '<html lang="en">' in html
    assert "<h1>No determination found</h1>" in html
    assert "<title>No determination found" in html
    assert (f"This service has not issued a determination with the verification code {UNKNOWN}. If you hold a "
            "determination bearing this code, it may not be genuine: check with the authority that issued it.") in html
    assert f'value="{UNKNOWN}"' in code_input(html)
    assert ">Verify</button>" in html
    assert "Page not found" not in html


@pytest.mark.parametrize("code", ["abc", "0000-0000-0000-0000-0000", "I0O1-I0O1-I0O1-I0O1"])
def test_it_answers_a_malformed_code_with_the_same_not_found_page(english, code):
    r = english.get(f"/verify/{code}/")
    assert r.status_code == 404
    html = r.content.decode()
    assert "No determination found" in html and f'value="{code}"' in code_input(html)


def test_it_escapes_the_code_it_repeats(english):
    r = english.get("/verify/%3Cb%3Ex%22%3Ci%3E/")
    html = r.content.decode()
    assert r.status_code == 404 and "No determination found" in html
    assert "<b>x" not in html
    assert 'value="&lt;b&gt;x&quot;&lt;i&gt;"' in code_input(html)
    assert "verification code &lt;b&gt;x&quot;&lt;i&gt;." in html


def test_it_types_an_unknown_code_into_the_form_and_lands_on_the_not_found_page(english):
    r = english.get("/verify/", {"code": "aaaa bbbb cccc dddd"}, follow=True)
    assert r.redirect_chain == [("/verify/aaaabbbbccccdddd/", 302)]
    assert r.status_code == 404 and 'value="aaaabbbbccccdddd"' in code_input(r.content.decode())


def test_it_still_throttles_the_not_found_page(client, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "verify": "2/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    assert [client.get(f"/verify/{UNKNOWN}/").status_code for _ in range(3)] == [404, 404, 429]


# --- a found determination -------------------------------------------------------------------------

def test_it_shows_the_public_facts_of_a_determination(client, approved):
    r = client.get(f"/verify/{approved.verification_code}/")
    html = r.content.decode()
    assert r.status_code == 200
    for expected in ("东园补决〔2025〕1号", "海东工业园区管理委员会", "青海示例算力科技有限公司", "乐都绿色算力中心一期",
                     "2406-630202-04-01-532198", "¥1,000,000.00", "人民币壹佰万元整", approved.verification_code,
                     approved.sha256, '<time id="determination-issued-on" datetime="2025-03-01">2025年3月1日</time>',
                     "已批准", "决定书", "文号", "项目代码", "出具日期", "第4条投资补助"):  # the last: in the catalogue
        assert expected in html, expected
    assert 'id="determination-authority">海东工业园区管理委员会<' in html
    assert 'id="determination-project-code">2406-630202-04-01-532198<' in html
    assert '<code class="hash" id="determination-sha256">' in html


def test_it_labels_the_facts_and_a_non_pdf_in_chinese(client, approved):
    html = client.get(f"/verify/{approved.verification_code}/").content.decode()
    for expected in ("<dt>出具机关</dt>", "<dt>企业名称</dt>", "<dt>项目名称</dt>"):
        assert expected in html, expected
    assert "这不是PDF文件" in post(client, approved, PNG, "scan.png", "image/png").content.decode()


def test_it_labels_the_facts_in_english(english, approved):
    html = english.get(f"/verify/{approved.verification_code}/").content.decode()
    for expected in ("<dt>Issuing authority</dt>", "<dt>Enterprise name</dt>", "<dt>Project name</dt>",
                     "<dt>Project code</dt>", "<dt>Investment subsidy (Art. 4)</dt>", "Approved",
                     'datetime="2025-03-01">March 1, 2025</time>', "人民币壹佰万元整", "¥1,000,000.00"):
        assert expected in html, expected


def test_it_shows_a_dash_for_absent_project_and_amount(client, approved):
    Evaluation.objects.filter(pk=approved.evaluation_id).update(
        facts={**approved.evaluation.facts, "project": None})
    type(approved).objects.filter(pk=approved.pk).update(amount_cny=None)
    html = client.get(f"/verify/{approved.verification_code}/").content.decode()
    assert 'id="determination-project-name">—<' in html
    assert 'id="determination-project-code">—<' in html
    assert 'id="determination-amount">—<' in html
    assert "人民币" not in html


# --- the uploaded file -----------------------------------------------------------------------------

def post(client, determination, content: bytes, name: str = "d.pdf", content_type: str = "application/pdf"):
    return client.post(f"/verify/{determination.verification_code}/",
                       {"file": SimpleUploadedFile(name, content, content_type)})


def test_it_says_a_png_is_not_a_pdf_beside_the_file_field(english, approved):
    html = post(english, approved, PNG, "scan.png", "image/png").content.decode()
    error = html[html.index('id="f-file-error"'):]
    assert error.startswith('id="f-file-error">This is not a PDF file')
    assert 'aria-describedby="f-file-error"' in html and "field--invalid" in html
    assert "Not identical" not in html and 'id="match-result"' not in html


def test_it_says_a_png_is_not_a_pdf_even_when_sent_as_application_pdf(client, approved):
    html = post(client, approved, PNG).content.decode()
    assert 'id="f-file-error"' in html and 'id="match-result"' not in html


def test_it_still_compares_a_pdf_that_is_not_the_issued_one(english, approved):
    html = post(english, approved, PDF).content.decode()
    assert 'data-match="no"' in html and "Not identical" in html
    assert hashlib.sha256(PDF).hexdigest() in html
    assert 'id="f-file-error"' not in html


def test_it_asks_for_a_file_when_none_or_an_empty_one_is_sent(client, approved):
    missing = client.post(f"/verify/{approved.verification_code}/", {}).content.decode()
    empty = post(client, approved, b"").content.decode()
    for html in (missing, empty):
        assert 'id="f-file-error">请选择要比对的PDF文件。<' in html  # already in the catalogue
        assert 'id="match-result"' not in html


def test_it_refuses_a_file_larger_than_the_limit(client, approved, monkeypatch):
    monkeypatch.setattr("determinations.views.MAX_UPLOAD", 16)
    html = post(client, approved, PDF).content.decode()
    assert 'id="f-file-error">文件超过20MB，不可能是出具的决定书。<' in html  # already in the catalogue
    assert 'id="match-result"' not in html
