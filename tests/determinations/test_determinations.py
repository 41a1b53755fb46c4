"""Determinations (决定书): the PDF's text, the number series, stored once, public verification."""

import hashlib
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader
from rest_framework.authtoken.models import Token

from applications.models import Determination, NumberSeries
from determinations.pdf import chinese_date
from filing import services
from review import services as review_services
from tests.personas import (
    REQUIRED_FOR_DATA_CENTRE,
    application_facts,
    other_enterprise,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def submitted(user, circumstances=None, qualifications=None, **project):
    facts = application_facts(**project)
    if circumstances:
        facts["circumstances"].update(circumstances)
    if qualifications:
        facts["enterprise"]["qualifications"] = qualifications
    app = services.application_create(user=user, facts=facts)
    for kind in REQUIRED_FOR_DATA_CENTRE:
        services.attachment_add(application_id=app.pk, user=user, kind=kind, upload=upload())
    services.application_submit(application_id=app.pk, user=user, declaration=True)
    return app


def text_of(determination) -> tuple[str, int]:
    reader = PdfReader(determination.pdf.path)
    return "".join(page.extract_text() for page in reader.pages).replace("\n", ""), len(reader.pages)


def test_it_writes_an_approval_with_number_amount_payer_clauses_and_remedies(alice, park):
    app = submitted(alice)
    evaluation = review_services.application_approve(application_id=app.pk, reviewer=park, note="材料齐全")
    determination = evaluation.determination
    text, pages = text_of(determination)
    for expected in ("东园补决〔2025〕1号", "海东工业园区管理委员会", "青海示例算力科技有限公司", "人民币壹佰万元整",
                     "1,000,000.00", "第4条", "第1条", "东政办〔2024〕59号",
                     evaluation.rules_version, "行政复议", "行政诉讼", "60日", "6个月", determination.verification_code,
                     "二〇二五年三月一日", "一次性"):
        assert expected in text, expected
    assert pages <= 3


def test_it_writes_rare_characters_and_markup_of_a_name_as_they_are(park):
    from accounts.services import account_create
    from tests.personas import PASSWORD, valid_code

    # 堃 and 喆 are outside GB 2312, Ö outside CJK; "#", "*" and "[" are Typst markup: text, never read as markup;
    # 𪛖 (CJK extension B) and 🙂 are in none of the fonts: set as 〓, the name kept whole in facts.json.
    name = "青海堃喆Ö算力 #set *科技* [有限] 公司𪛖🙂"
    rare = account_create(username="rare", password=PASSWORD, role="enterprise", credit_code=valid_code("91630202MA7RARE01"),
                          enterprise_name=name, email="rare@example.com")
    facts = application_facts()
    facts["enterprise"]["credit_code"] = rare.enterprise.credit_code
    app = services.application_create(user=rare, facts=facts)
    for kind in REQUIRED_FOR_DATA_CENTRE:
        services.attachment_add(application_id=app.pk, user=rare, kind=kind, upload=upload())
    services.application_submit(application_id=app.pk, user=rare, declaration=True)
    determination = review_services.application_approve(application_id=app.pk, reviewer=park,
                                                        note="材料齐全\ue000，予以批准").determination
    text, _pages = text_of(determination)
    assert text.count("青海堃喆Ö算力") >= 2 and "#set *科技* [有限]" in text
    assert "公司〓〓" in text and "材料齐全〓，予以批准" in text and "𪛖" not in text
    attached = PdfReader(determination.pdf.path).attachments["facts.json"][0].decode()
    assert json.loads(attached)["enterprise"]["name"] == name


def test_it_writes_a_rejection_with_its_reasons_and_clauses(alice, park):
    app = submitted(alice, completed_on="2025-04-01")  # not yet built on 2025-03-01
    evaluation = review_services.application_reject(application_id=app.pk, reviewer=park, note="项目尚未实际建成")
    text, _pages = text_of(evaluation.determination)
    for expected in ("东园补决〔2025〕1号", "不予批准", "项目尚未实际建成", "第4条", "晚于评估日期", "行政复议",
                     evaluation.rules_version, "东政办〔2024〕59号"):
        assert expected in text, expected
    assert "人民币壹佰万元整" not in text


def test_it_fits_a_determination_citing_all_twenty_measures_on_three_pages(alice, park):
    everything = {"ai_model_training": "foundation_model", "scheduling_pilot": True, "scheduled_compute_pflops": "50",
                  "green_data_center": True, "research_achievement": True, "high_level_talents": 3,
                  "joint_training": True, "needs_land": True, "leases_standard_factory": True,
                  "seeks_financing": True}
    app = submitted(alice, circumstances=everything,
                    qualifications=["high_tech_enterprise", "western_encouraged_industry", "tech_little_giant"])
    evaluation = review_services.application_approve(application_id=app.pk, reviewer=park)
    statuses = {m["number"]: m["status"] for m in evaluation.outcome["measures"]}
    assert set(statuses.values()) <= {"eligible", "referred"} and len(statuses) == 20
    text, pages = text_of(evaluation.determination)
    assert all(f"第{n}条" in text for n in range(1, 21))
    assert pages <= 3


def test_it_numbers_each_authority_and_year_without_gaps(alice, park, frozen_now, monkeypatch):
    first = submitted(alice)
    second = submitted(alice, code="2406-630202-04-01-000002")
    broken = submitted(alice, code="2406-630202-04-01-000003")
    review_services.application_approve(application_id=first.pk, reviewer=park)
    monkeypatch.setattr("determinations.services.render_pdf", lambda d: (_ for _ in ()).throw(OSError("disk")))
    with pytest.raises(OSError):
        review_services.application_approve(application_id=broken.pk, reviewer=park)
    monkeypatch.undo()
    review_services.application_reject(application_id=second.pk, reviewer=park, note="不符合")
    review_services.application_approve(application_id=broken.pk, reviewer=park)
    assert list(Determination.objects.order_by("serial").values_list("number", flat=True)) == [
        "东园补决〔2025〕1号", "东园补决〔2025〕2号", "东园补决〔2025〕3号"]
    frozen_now.move_to("2026-01-05 10:00+08:00")
    new_year = submitted(alice, code="2406-630202-04-01-000004")
    assert review_services.application_approve(application_id=new_year.pk, reviewer=park).determination.number == \
        "东园补决〔2026〕1号"
    assert NumberSeries.objects.get(authority="park", year=2025).last_serial == 3


def test_it_renders_before_taking_the_number_lock(alice, park, monkeypatch):
    from determinations import services as determination_services

    first = submitted(alice)
    review_services.application_approve(application_id=first.pk, reviewer=park)
    seen = []
    real_render = determination_services.render_pdf

    def spy(determination):
        seen.append((determination.number, NumberSeries.objects.get(authority="park", year=2025).last_serial))
        return real_render(determination)

    monkeypatch.setattr("determinations.services.render_pdf", spy)
    second = submitted(alice, code="2406-630202-04-01-000002")
    determination = review_services.application_approve(application_id=second.pk, reviewer=park).determination
    assert seen == [("东园补决〔2025〕2号", 1)]  # made once, while the series still said 1: not under its lock
    assert determination.number == "东园补决〔2025〕2号" and "东园补决〔2025〕2号" in text_of(determination)[0]


def test_it_makes_the_document_again_when_its_expected_number_was_taken_meanwhile(alice, park, monkeypatch):
    from determinations import services as determination_services

    rendered = []
    real_render = determination_services.render_pdf

    def another_approval_commits_first(determination):
        if not rendered:  # between the guess and the lock, another approval of the park takes number 1
            NumberSeries.objects.update_or_create(authority="park", year=2025, defaults={"last_serial": 1})
        rendered.append(determination.number)
        return real_render(determination)

    monkeypatch.setattr("determinations.services.render_pdf", another_approval_commits_first)
    app = submitted(alice)
    determination = review_services.application_approve(application_id=app.pk, reviewer=park).determination
    assert rendered == ["东园补决〔2025〕1号", "东园补决〔2025〕2号"]
    text = text_of(determination)[0]
    assert determination.number == "东园补决〔2025〕2号" and "东园补决〔2025〕2号" in text
    assert "东园补决〔2025〕1号" not in text
    assert NumberSeries.objects.get(authority="park", year=2025).last_serial == 2


def test_it_stores_the_pdf_once_and_serves_those_bytes(client, alice, park):
    app = submitted(alice)
    determination = review_services.application_approve(application_id=app.pk, reviewer=park).determination
    stored = determination.pdf.open("rb").read()
    assert hashlib.sha256(stored).hexdigest() == determination.sha256
    token = Token.objects.create(user=alice).key
    r = client.get(f"/api/v1/applications/{app.pk}/determination.pdf", HTTP_AUTHORIZATION=f"Token {token}")
    served = b"".join(r.streaming_content)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and served == stored
    assert "%E5%86%B3%E5%AE%9A%E4%B9%A6" in r["Content-Disposition"]  # 决定书 in the file name
    other = Token.objects.create(user=other_enterprise()).key
    assert client.get(f"/api/v1/applications/{app.pk}/determination.pdf",
                      HTTP_AUTHORIZATION=f"Token {other}").status_code == 404
    from determinations.services import store_pdf

    with pytest.raises(ValueError):
        store_pdf(determination, b"%PDF-again")
    assert determination.pdf.open("rb").read() == stored


def test_it_verifies_by_code_publicly(client, alice, park):
    app = submitted(alice)
    determination = review_services.application_approve(application_id=app.pk, reviewer=park).determination
    r = client.get(f"/api/v1/verify/{determination.verification_code}")
    assert r.json() == {"valid": True, "number": "东园补决〔2025〕1号", "enterprise_name": "青海示例算力科技有限公司",
                        "decision": "approved", "amount_cny": "1000000.00", "issued_on": "2025-03-01",
                        "sha256": determination.sha256,
                        "signature": {"valid": True, "signer": "海东工业园区管理委员会（测试）",
                                      "signed_at": "2025-03-01T10:00:00+08:00"}}
    assert client.get(f"/api/v1/verify/{determination.verification_code.lower().replace('-', '')}").status_code == 200
    missing = client.get("/api/v1/verify/AAAA-BBBB-CCCC-DDDD")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"
    page = client.get(f"/verify/{determination.verification_code}/")
    assert page.status_code == 200 and "东园补决〔2025〕1号".encode() in page.content
    assert client.get("/verify/AAAA-BBBB-CCCC-DDDD/").status_code == 404
    assert client.get("/verify/", {"code": determination.verification_code}).status_code == 302


def test_it_tells_whether_an_uploaded_pdf_is_the_issued_one(client, alice, park):
    app = submitted(alice)
    determination = review_services.application_approve(application_id=app.pk, reviewer=park).determination
    original = determination.pdf.open("rb").read()
    url = f"/verify/{determination.verification_code}/"
    same = client.post(url, {"file": SimpleUploadedFile("d.pdf", original, "application/pdf")})
    assert b"notice--success" in same.content and b"Not identical" not in same.content
    tampered = bytearray(original)
    tampered[len(tampered) // 2] ^= 1
    changed = client.post(url, {"file": SimpleUploadedFile("d.pdf", bytes(tampered), "application/pdf")})
    assert b"notice--warning" in changed.content
    assert hashlib.sha256(bytes(tampered)).hexdigest().encode() in changed.content


def test_it_throttles_verification_lookups(client, alice, park, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "verify": "3/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    codes = [client.get("/api/v1/verify/AAAA-BBBB-CCCC-DDDD").status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]
    assert client.get("/verify/AAAA-BBBB-CCCC-DDDD/").status_code == 429


def test_it_writes_dates_in_chinese_numerals():
    import datetime as dt

    assert chinese_date(dt.date(2025, 3, 1)) == "二〇二五年三月一日"
    assert chinese_date(dt.date(2030, 12, 31)) == "二〇三〇年十二月三十一日"
    assert chinese_date(dt.date(2026, 10, 20)) == "二〇二六年十月二十日"


def test_it_answers_approve_with_the_determination_and_its_pdf_url(client, alice, park):
    app = submitted(alice)
    token = Token.objects.create(user=park).key
    r = client.post(f"/api/v1/applications/{app.pk}/approve", "{}", content_type="application/json",
                    HTTP_AUTHORIZATION=f"Token {token}")
    body = r.json()["determination"]
    assert set(body) == {"number", "verification_code", "decision", "amount_cny", "sha256", "pdf_url"}
    assert body["pdf_url"].endswith(f"/api/v1/applications/{app.pk}/determination.pdf")
    assert len(body["sha256"]) == 64
    pdf = client.get(body["pdf_url"], HTTP_AUTHORIZATION=f"Token {token}")
    assert hashlib.sha256(b"".join(pdf.streaming_content)).hexdigest() == body["sha256"]


def test_it_warns_at_start_up_when_a_font_is_missing(monkeypatch):
    from determinations import checks, pdf

    assert checks.pdf_requirements() == []  # this machine has them (make test installs them)
    real = pdf._font_file
    monkeypatch.setattr(pdf, "_font_file", lambda pattern, stem: None if "DejaVu" in pattern else real(pattern, stem))
    warnings = checks.pdf_requirements()
    assert [w.id for w in warnings] == ["applications.W001"]
    assert "DejaVu Serif" in warnings[0].msg and "fonts-dejavu-core" in warnings[0].msg


def test_it_issues_nothing_without_the_fonts_and_says_so(alice, park, monkeypatch):
    from determinations import pdf
    from kernel.errors import Unavailable

    monkeypatch.setattr(pdf, "drawable", lambda: frozenset())
    app = submitted(alice)
    with pytest.raises(Unavailable, match="字体未安装"):
        review_services.application_approve(application_id=app.pk, reviewer=park)
    assert not Determination.objects.exists() and not NumberSeries.objects.filter(last_serial__gt=0).exists()


def test_it_leaves_no_file_when_the_determination_row_cannot_be_written(alice, park, monkeypatch, settings):
    from pathlib import Path

    app = submitted(alice)
    files_before = {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}
    monkeypatch.setattr(Determination, "save", lambda self, *a, **kw: (_ for _ in ()).throw(RuntimeError("db")))
    with pytest.raises(RuntimeError):
        review_services.application_approve(application_id=app.pk, reviewer=park)
    assert {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()} == files_before
    assert not Determination.objects.exists()
