"""The review pages (审核队列, the review page and its actions, the inline view of attachments, 统计概览)
through Django's test client."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.services import account_create
from applications.models import Application, Determination, State, Transition
from audit.models import AuditEntry
from filing import services
from review import services as review_services
from tests.personas import (
    PASSWORD,
    PNG,
    REQUIRED_FOR_DATA_CENTRE,
    applicant,
    application_facts,
    city_admin,
    other_enterprise,
    reviewer,
    upload,
    valid_code,
)

from .html import INLINE_SCRIPT, element

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

QUEUE = reverse("review-queue")
OVERVIEW = reverse("review-overview")


def html_of(response) -> str:
    return response.content.decode()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def review_url(app_id: int, action: str = "") -> str:
    return reverse(f"review-{action}" if action else "review-application", args=[app_id])


def submitted(user, **project) -> Application:
    """The DESIGN §4 example (a park data centre) with every attachment, submitted."""
    facts = application_facts(**project)
    for identity in ("name", "credit_code", "registered_region"):  # the account's, whoever files
        del facts["enterprise"][identity]
    app = services.application_create(user=user, facts=facts)
    for kind in REQUIRED_FOR_DATA_CENTRE:
        content, name = (PNG, f"{kind}.png") if kind == "business_license" else (None, f"{kind}.pdf")
        services.attachment_add(application_id=app.pk, user=user, kind=kind,
                                upload=upload(name, content, "image/png") if content else upload(name))
    services.application_submit(application_id=app.pk, user=user, declaration=True)
    return Application.objects.get(pk=app.pk)


def copies(app: Application, n: int, *, start: dt.datetime | None = None) -> list[Application]:
    """`n` more queue rows like `app`, submitted a minute apart (for sizes the services would make slow)."""
    start = start or app.submitted_at
    rows = []
    for i in range(n):
        row = Application.objects.get(pk=app.pk)
        row.pk = None
        row.project_code = f"2406-630202-04-01-{600000 + i}"
        row.submitted_at = start + dt.timedelta(minutes=i + 1)
        rows.append(row)
    return Application.objects.bulk_create(rows)


@pytest.fixture
def park(park, client):
    """The shared park reviewer (tests/conftest.py), signed in."""
    client.force_login(park)
    return park


@pytest.fixture
def app():
    return submitted(applicant())


def no_inline_code(html: str) -> None:
    assert not INLINE_SCRIPT.search(html) and "style=" not in html


# --- the permission matrix -------------------------------------------------------------------------

def application_pages(app: Application) -> list[str]:
    attachment = app.attachments.first()
    return [review_url(app.pk), reverse("review-attachment", args=[app.pk, attachment.pk])]


def action_urls(app: Application) -> list[str]:
    return [review_url(app.pk, a) for a in ("claim", "release", "return", "reject", "approve")]


def test_it_sends_anonymous_visitors_to_login_from_every_review_page(client, app):
    for url in (QUEUE, OVERVIEW, *application_pages(app)):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url
    for url in (QUEUE, *action_urls(app)):
        response = client.post(url, {"note": "x"})
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
    assert Application.objects.get(pk=app.pk).state == State.SUBMITTED


@pytest.mark.parametrize("persona", ["owner", "other_enterprise", "other_county"])
def test_it_answers_404_on_application_pages_and_403_on_lists_to_those_outside_the_jurisdiction(client, app,
                                                                                                persona):
    user = {"owner": lambda: app.created_by, "other_enterprise": other_enterprise,
            "other_county": lambda: reviewer("630203")}[persona]()
    client.force_login(user)
    for url in application_pages(app):
        assert client.get(url).status_code == 404, url
    for url in action_urls(app):
        assert client.post(url, {"return-note": "x", "reject-note": "x"}).status_code == 404, url
    assert client.get(OVERVIEW).status_code == 403
    if persona == "other_county":
        # Its own queue, without the park's application.
        html = html_of(client.get(QUEUE))
        assert f'id="row-{app.pk}"' not in html
    else:
        assert client.get(QUEUE).status_code == 403
        assert client.post(QUEUE, {"application": [app.pk], "action": "claim"}).status_code == 403
    app.refresh_from_db()
    assert app.state == State.SUBMITTED
    assert not Transition.objects.filter(application=app, to_state=State.IN_REVIEW).exists()


@pytest.mark.parametrize("persona", ["reviewer", "city_admin"])
def test_it_opens_every_review_page_to_the_jurisdictions_reviewer_and_city_admins(client, app, persona):
    user = reviewer("park") if persona == "reviewer" else city_admin()
    client.force_login(user)
    for url in (QUEUE, *application_pages(app)):
        assert client.get(url).status_code == 200, url
    assert client.get(OVERVIEW).status_code == (200 if persona == "city_admin" else 403)


def test_it_shows_the_review_navigation_by_role(client, app):
    client.force_login(app.created_by)
    nav = element(html_of(client.get(reverse("my-applications"))), class_="site-nav")
    assert "我的申请" in nav and "审核队列" not in nav
    client.force_login(reviewer("park"))
    nav = element(html_of(client.get(QUEUE)), class_="site-nav")
    assert f'href="{QUEUE}" aria-current="page">审核队列' in nav
    assert "我的申请" not in nav and "统计概览" not in nav and "审计日志" not in nav
    client.force_login(city_admin())
    nav = element(html_of(client.get(OVERVIEW)), class_="site-nav")
    assert "审核队列" in nav and f'href="{OVERVIEW}" aria-current="page">统计概览' in nav
    assert f'href="{reverse("audit-log")}"' in nav and "我的申请" not in nav


# --- the queue ---------------------------------------------------------------------------------------

def test_it_lists_the_queue_oldest_first_with_figures_waiting_days_and_claims(client, park, app):
    later, = copies(app, 1)
    Application.objects.filter(pk=app.pk).update(submitted_at=dt.datetime(2025, 2, 5, 9, tzinfo=dt.UTC))
    review_services.application_claim(application_id=later.pk, reviewer=park)
    html = html_of(client.get(QUEUE))
    no_inline_code(html)
    assert "<h1>审核队列</h1>" in html
    assert html.index(f'id="row-{app.pk}"') < html.index(f'id="row-{later.pk}"')
    row = text_of(element(html, id=f"row-{app.pk}"))
    for part in ("青海示例算力科技有限公司", "91630202MA7ABCDE1Y", "乐都绿色算力中心一期", "2406-630202-04-01-532198",
                 "¥320,000,000.00", "¥1,000,000.00", "第1档", "已提交", "18 个工作日", "超期", "未认领"):
        assert part in row, part
    assert f'href="{review_url(app.pk)}"' in element(html, id=f"row-{app.pk}")
    claimed = text_of(element(html, id=f"row-{later.pk}"))
    assert "审核中" in claimed and "reviewer_park" in claimed and "超期" not in claimed and "0 个工作日" in claimed


def test_it_filters_and_searches_the_queue_keeping_the_filters_in_the_page_links(client, park, app):
    copies(app, 30)
    in_review = Application.objects.order_by("-submitted_at").first()
    review_services.application_claim(application_id=in_review.pk, reviewer=park)
    html = html_of(client.get(QUEUE, {"status": "submitted"}))
    assert "30 件已提交或审核中的申请" in text_of(html)
    assert f'id="row-{in_review.pk}"' not in html
    assert '<option value="submitted" selected>' in html
    pages = element(html, class_="pagination")
    assert 'href="?status=submitted&amp;page=2"' in pages
    html = html_of(client.get(QUEUE, {"status": "submitted", "page": "2"}))
    assert html.count('name="application"') == 5
    assert '<span class="pagination__current" aria-current="page">2</span>' in html
    assert 'href="?status=submitted"' in element(html, class_="pagination")
    html = html_of(client.get(QUEUE, {"q": "2406-630202-04-01-600003"}))
    assert html.count('name="application"') == 1
    assert 'value="2406-630202-04-01-600003"' in html
    assert html_of(client.get(QUEUE, {"q": "青海示例"})).count('name="application"') == 25
    assert html_of(client.get(QUEUE, {"overdue": "true"})).count('name="application"') == 0
    html = html_of(client.get(QUEUE, {"overdue": "true", "tier": "2"}))
    assert "没有符合筛选条件的申请" in html
    assert f'href="{QUEUE}"' in element(html, id="queue-filters")


def test_it_says_more_than_the_cap_when_it_stopped_counting(client, park, app, monkeypatch):
    from kernel import pagination

    copies(app, 30)
    monkeypatch.setattr(pagination, "COUNT_CAP", 10)
    html = html_of(client.get(QUEUE))
    assert "逾 25 件已提交或审核中的申请" in text_of(html) and "最早提交的在前 · 第 1 页" in text_of(html)
    assert "共" not in re.search(r"<caption>(.*?)</caption>", html, re.S).group(1)
    assert 'href="?page=2"' in element(html, class_="pagination")  # pages beyond the count still open
    html = html_of(client.get(QUEUE, {"page": "2"}))
    assert html.count('name="application"') == 6 and "31 件已提交或审核中的申请" in text_of(html)


def test_it_puts_a_bad_filter_beside_its_field(client, park, app):
    response = client.get(QUEUE, {"submitted_from": "2025-02-30", "tier": "7", "q": "乐都"})
    assert response.status_code == 400
    html = html_of(response)
    assert "提交日期（起）格式不正确" in element(html, data_field="submitted_from")
    assert "第4条投资补助超出允许范围" in element(html, data_field="tier")
    assert 'value="乐都"' in html
    assert 'name="application"' not in html


def test_it_lets_a_city_admin_pick_a_jurisdiction(client, app):
    county_app = submitted(other_enterprise(), in_industrial_park=False, region="630203",
                           code="2406-630203-04-01-100001")
    client.force_login(city_admin())
    html = html_of(client.get(QUEUE))
    assert f'id="row-{app.pk}"' in html and f'id="row-{county_app.pk}"' in html
    assert "海东工业园区" in element(html, id=f"row-{app.pk}")
    html = html_of(client.get(QUEUE, {"jurisdiction": "630203"}))
    assert f'id="row-{app.pk}"' not in html and f'id="row-{county_app.pk}"' in html
    client.force_login(reviewer("630203"))
    html = html_of(client.get(QUEUE))
    assert 'name="jurisdiction"' not in html and 'name="county"' not in html
    assert f'id="row-{county_app.pk}"' in html


@pytest.mark.parametrize("size", [5, 50])
def test_it_reads_the_queue_in_a_constant_number_of_queries(client, park, app, size,
                                                            django_assert_max_num_queries):
    copies(app, size - 1)
    with django_assert_max_num_queries(5):  # session, user, count, one page of rows
        response = client.get(QUEUE)
    assert html_of(response).count('name="application"') == min(size, 25)


# --- batch actions -------------------------------------------------------------------------------

def test_it_claims_the_selected_applications_one_by_one_and_reports_each(client, park, app):
    second, third = copies(app, 2)
    review_services.application_claim(application_id=third.pk, reviewer=reviewer("park", "colleague"))
    elsewhere = submitted(other_enterprise(), in_industrial_park=False, region="630203",
                          code="2406-630203-04-01-100001")
    response = client.post(QUEUE + "?status=", {"application": [app.pk, second.pk, third.pk, elsewhere.pk],
                                                "action": "claim"})
    assert response.status_code == 302
    assert response["Location"] == QUEUE + "?status="
    for done in (app, second):
        done.refresh_from_db()
        assert (done.state, done.claimed_by) == (State.IN_REVIEW, park)
    third.refresh_from_db()
    assert third.claimed_by.username == "colleague"
    html = html_of(client.get(response["Location"]))
    assert "已认领" in text_of(element(html, id=f"report-{app.pk}"))
    assert "batch-report__item--done" in element(html, id=f"report-{second.pk}")
    refused = element(html, id=f"report-{third.pk}")
    assert "batch-report__item--refused" in refused
    assert "当前状态（审核中）下无法进行此操作" in text_of(refused)
    assert "未找到该申请" in text_of(element(html, id=f"report-{elsewhere.pk}"))
    assert Application.objects.get(pk=elsewhere.pk).state == State.SUBMITTED
    assert "batch-report" not in html_of(client.get(QUEUE))


def test_it_returns_the_selected_applications_only_with_a_note(client, park, app):
    second, = copies(app, 1)
    response = client.post(QUEUE, {"application": [app.pk, second.pk], "action": "return", "note": "  "})
    assert response.status_code == 200
    html = html_of(response)
    assert "说明必填" in element(html, data_field="note")
    assert f'value="{app.pk}" id="select-{app.pk}" checked' in html
    assert Application.objects.filter(state=State.RETURNED).count() == 0
    response = client.post(QUEUE, {"application": [app.pk, second.pk], "action": "return",
                                   "note": "请补充设备发票原件扫描件"})
    assert response.status_code == 302
    for returned in (app, second):
        returned.refresh_from_db()
        assert returned.state == State.RETURNED
        assert returned.history.last().note == "请补充设备发票原件扫描件"
        assert AuditEntry.objects.filter(application=returned, to_state=State.RETURNED).count() == 1
    html = html_of(client.get(QUEUE))
    assert "已退回企业补正" in text_of(element(html, id=f"report-{second.pk}"))


def test_it_asks_to_select_something_first(client, park, app):
    html = html_of(client.post(QUEUE, {"action": "claim"}))
    assert "请至少选择一件申请" in element(html, class_="error-summary")
    assert Application.objects.get(pk=app.pk).state == State.SUBMITTED


# --- the review page -------------------------------------------------------------------------------

def test_it_shows_facts_beside_the_frozen_evaluation_of_all_20_measures(client, park, app):
    html = html_of(client.get(review_url(app.pk)))
    no_inline_code(html)
    compare = element(html, class_="review-compare")
    facts = element(compare, class_="review-compare__facts")
    assert "乐都绿色算力中心一期" in facts and "¥320,000,000.00" in facts
    frozen = element(compare, id="frozen")
    assert frozen.count('class="measure measure--') == 20
    assert "提交时评估" in frozen
    assert 'class="badge badge--eligible">可享受' in element(frozen, id="r4")
    assert "第4条" in element(frozen, id="r4")
    assert "¥1,000,000.00" in element(frozen, id="r4")
    assert "按申报" in element(frozen, id="recognised-investment")
    assert "认领" in element(html, id="actions")
    assert "warnings" not in html  # nothing to verify for this enterprise
    # Facts, evaluation and attachments are read before the decision; a bar links down to its forms.
    order = [html.index(marker) for marker in ('id="facts-title"', 'id="frozen"', 'id="attachments"',
                                               'id="decision-bar"', 'id="actions"', 'id="history"')]
    assert order == sorted(order)
    bar = element(html, id="decision-bar")
    assert 'href="#approve-form"' in bar and 'href="#return-form"' in bar and 'href="#reject-form"' in bar
    history = text_of(element(html, id="history"))
    assert "草稿" in history and "已提交" in history
    assert "状态变更" in text_of(element(html, id="audit"))


def test_it_lists_warnings_to_verify(client, park):
    user = account_create(username="mismatch", password=PASSWORD, role="enterprise",
                          credit_code=valid_code("91630223MA7WARN01"), enterprise_name="互助云算有限公司",
                          registered_region="630202", email="m@example.com")
    app = submitted(user)
    html = html_of(client.get(review_url(app.pk)))
    warning = element(html, id="warning-credit_code_region_differs")
    assert "630202" in warning and "630223" in warning and "核实" in warning


def test_it_shows_attachments_inline_only_with_safe_headers(client, park, app):
    html = html_of(client.get(review_url(app.pk)))
    pdf = app.attachments.get(kind="project_filing")
    png = app.attachments.get(kind="business_license")
    inline_pdf = reverse("review-attachment", args=[app.pk, pdf.pk])
    inline_png = reverse("review-attachment", args=[app.pk, png.pk])
    assert f'<iframe class="attachment__frame" src="{inline_pdf}"' in element(html, id="att-project_filing")
    assert f'<img class="attachment__image" src="{inline_png}"' in element(html, id="att-business_license")
    assert f'href="{reverse("attachment-download", args=[app.pk, pdf.pk])}"' in element(html, id="att-project_filing")
    response = client.get(inline_pdf)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert client.get(inline_png)["Content-Type"] == "image/png"
    other = submitted(other_enterprise(), code="2406-630202-04-01-777777")
    # Another application's attachment under this application's number: not found.
    assert client.get(reverse("review-attachment", args=[app.pk, other.attachments.first().pk])).status_code == 404


def test_it_claims_and_releases_from_the_review_page(client, park, app):
    response = client.post(review_url(app.pk, "claim"))
    assert response.status_code == 302 and response["Location"] == review_url(app.pk)
    html = html_of(client.get(review_url(app.pk)))
    assert "已认领" in element(html, class_="flash")
    assert "reviewer_park（你）" in text_of(element(html, id="claimed-by")).replace(" ", "")
    assert "reviewer_park" in text_of(element(html, id="history"))  # reviewers see who acted
    assert "放回审核队列" in html
    client.post(review_url(app.pk, "release"))
    app.refresh_from_db()
    assert (app.state, app.claimed_by) == (State.SUBMITTED, None)


def test_it_refuses_an_action_the_state_does_not_allow_with_a_message(client, park, app):
    review_services.application_claim(application_id=app.pk, reviewer=park)
    response = client.post(review_url(app.pk, "claim"))
    assert response.status_code == 302
    html = html_of(client.get(review_url(app.pk)))
    assert "当前状态下无法进行此操作" in element(html, class_="flash")
    review_services.application_return(application_id=app.pk, reviewer=park, note="补正")
    before = Transition.objects.count()
    for action, data in (("approve", {}), ("reject", {"reject-note": "不符合"}), ("return", {"return-note": "再退"}),
                         ("release", {})):
        client.post(review_url(app.pk, action), data)
    assert Transition.objects.count() == before
    assert Application.objects.get(pk=app.pk).state == State.RETURNED
    html = html_of(client.get(review_url(app.pk)))
    assert f"申请编号{app.pk}当前为“退回修改”" in element(html, class_="flash")
    assert 'id="actions"' not in html


@pytest.mark.parametrize("action", ["return", "reject"])
def test_it_requires_a_note_to_return_or_reject_beside_the_field(client, park, app, action):
    response = client.post(review_url(app.pk, action), {f"{action}-note": "   "})
    assert response.status_code == 200
    html = html_of(response)
    form = element(html, id=f"{action}-form")
    assert "说明必填" in element(form, data_field="note")
    assert 'aria-invalid="true"' in form
    app.refresh_from_db()
    assert app.state == State.SUBMITTED
    assert not Determination.objects.exists()


def test_it_returns_with_the_note_the_enterprise_will_see(client, park, app):
    response = client.post(review_url(app.pk, "return"), {"return-note": "请上传完整的投资审计报告"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert (app.state, app.claimed_by) == (State.RETURNED, park)
    html = html_of(client.get(review_url(app.pk)))
    assert "请上传完整的投资审计报告" in element(html, id="history")
    client.force_login(app.created_by)
    assert "请上传完整的投资审计报告" in html_of(client.get(reverse("application-detail", args=[app.pk])))


def test_it_refuses_a_recognised_investment_above_the_declared_one_beside_the_field(client, park, app):
    response = client.post(review_url(app.pk, "approve"), {"approve-recognized_investment_cny": "320000000.01",
                                                           "approve-note": "核定"})
    assert response.status_code == 200
    html = html_of(response)
    field = element(html, data_field="recognized_investment_cny")
    assert "认定投资额（元）不能高于申报的投资额" in field
    assert 'value="320000000.01"' in field
    assert "核定</textarea>" in element(html, id="approve-form")
    response = client.post(review_url(app.pk, "approve"), {"approve-recognized_investment_cny": "2.5亿"})
    assert "认定投资额（元）格式不正确" in element(html_of(response), data_field="recognized_investment_cny")
    assert Application.objects.get(pk=app.pk).state == State.SUBMITTED
    assert not Determination.objects.exists()


def test_it_approves_with_a_lower_recognised_investment_and_shows_the_determination(client, park, app):
    response = client.post(review_url(app.pk, "approve"), {"approve-recognized_investment_cny": "250,000,000",
                                                           "approve-note": "按审计报告核定", "confirmed": "yes"})
    assert response.status_code == 302
    determination = Determination.objects.get(application=app)
    assert determination.number == "东园补决〔2025〕1号"
    html = html_of(client.get(review_url(app.pk)))
    assert "东园补决〔2025〕1号" in element(html, class_="flash")
    assert element(html, id="determination-number") == '<strong id="determination-number">东园补决〔2025〕1号</strong>'
    section = element(html, id="determination")
    box = text_of(section)
    assert "已批准" in box and "2025-03-01" in box and "海东工业园区管理委员会" in box
    amount = element(section, id="determination-amount")
    assert "¥1,000,000.00" in amount and "人民币壹佰万元整" in amount
    assert f'href="/verify/{determination.verification_code}/"' in element(section, id="determination-verify")
    assert determination.sha256 in element(section, id="determination-sha256")
    assert f'href="/api/v1/applications/{app.pk}/determination.pdf"' in element(section, id="determination-pdf")
    frozen = element(html, id="frozen")
    assert "决定时评估" in frozen
    assert "¥320,000,000.00" in element(frozen, id="declared-investment")
    assert "¥250,000,000.00" in element(frozen, id="recognised-investment")
    assert "提交时评估" in element(html, id="evaluations")
    assert 'id="actions"' not in html
    app.refresh_from_db()
    assert app.state == State.APPROVED
    assert app.evaluations.last().recognized_investment_cny == Decimal("250000000")


def test_it_shows_an_approval_without_an_investment_subsidy_as_such(client, park, app):
    client.post(review_url(app.pk, "approve"), {"approve-recognized_investment_cny": "50000000", "confirmed": "yes"})
    determination = Determination.objects.get(application=app)
    assert determination.amount_cny is None
    section = element(html_of(client.get(review_url(app.pk))), id="determination")
    assert "已批准" in text_of(section)
    assert "无投资补助" in element(section, id="determination-amount")
    assert "¥" not in element(section, id="determination-amount")


def test_it_rejects_and_shows_the_determination(client, app):
    client.force_login(city_admin())
    response = client.post(review_url(app.pk, "reject"), {"reject-note": "项目未竣工验收", "confirmed": "yes"})
    assert response.status_code == 302
    html = html_of(client.get(review_url(app.pk)))
    section = element(html, id="determination")
    determination = Determination.objects.get(application=app)
    assert "东园补决〔2025〕1号" in section
    assert "未予批准" in text_of(section)
    assert 'id="determination-amount"' not in section
    assert determination.verification_code in element(section, id="determination-verify")
    assert determination.sha256 in element(section, id="determination-sha256")
    assert "项目未竣工验收" in element(html, id="history")
    # The PDF link works with the reviewer's session and gives the bytes whose digest the page shows.
    response = client.get(reverse("api:determination-pdf", args=[app.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == determination.sha256


def test_it_renders_the_review_page_in_english(client, park, app):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = html_of(client.get(review_url(app.pk)))
    assert "Review actions" in html and "Frozen evaluation" in html and "The facts declared" in html
    html = html_of(client.get(QUEUE))
    assert "<h1>Review queue</h1>" in html and "1 application submitted or in review" in text_of(html)


# --- the city overview -----------------------------------------------------------------------------

def test_it_sums_up_every_jurisdiction_for_city_admins(client, app):
    county_app = submitted(other_enterprise(), in_industrial_park=False, region="630203",
                           code="2406-630203-04-01-100001", equipment_investment_cny="600000000.00")
    granted = submitted(applicant("applicant2"), code="2406-630202-04-01-222222")
    admin = city_admin()
    review_services.application_approve(application_id=granted.pk, reviewer=admin)
    Application.objects.filter(pk=app.pk).update(submitted_at=dt.datetime(2025, 2, 5, 9, tzinfo=dt.UTC))
    client.force_login(admin)
    html = html_of(client.get(OVERVIEW))
    no_inline_code(html)
    park_row = re.findall(r">(\d+)<", element(html, id="counts-park"))
    # submitted, in review, returned, in notice, approved, rejected, withdrawn, total
    assert park_row == ["1", "0", "0", "0", "1", "0", "0", "2"]
    assert re.findall(r">(\d+)<", element(html, id="counts-630203")) == ["1", "0", "0", "0", "0", "0", "0", "1"]
    assert re.findall(r">(\d+)<", element(html, id="counts-total")) == ["2", "0", "0", "0", "1", "0", "0", "3"]
    granted_table = text_of(element(html, id="granted"))
    assert "海东工业园区管理委员会" in granted_table and "¥1,000,000.00" in granted_table
    assert "人民币壹佰万元整" in element(html, id="granted-total")
    pending = text_of(element(html, id="pending"))
    assert "海东工业园区管理委员会 1 ¥1,000,000.00" in pending
    assert "平安区本级财政 1 ¥2,000,000.00" in pending
    assert "¥3,000,000.00" in element(html, id="pending-total")
    assert element(html, id="overdue-count") == '<strong class="amount" id="overdue-count">1</strong>'
    link = element(html, id="overdue-link")
    assert f'href="{QUEUE}?overdue=true"' in link
    rows = html_of(client.get(QUEUE, {"overdue": "true"}))
    assert f'id="row-{app.pk}"' in rows and f'id="row-{county_app.pk}"' not in rows


def test_it_warns_the_reviewer_of_a_late_resubmission(client, park, app, frozen_now):
    from filing import services as filing_services

    review_services.application_return(application_id=app.pk, reviewer=park, note="补充材料")
    frozen_now.shift(60 * 60 * 24 * 30)  # a month later: past 10 working days
    filing_services.application_submit(application_id=app.pk, user=app.created_by, declaration=True)
    client.force_login(park)  # a month idle ended the session (SESSION_IDLE_MINUTES)
    html = client.get(reverse("review-application", args=[app.pk])).content.decode()
    assert 'id="late-resubmission"' in html and "2025-03-14" in html


# --- issue 12: a decision is confirmed before it is taken ---------------------------------------

def test_it_asks_to_confirm_an_approval_restating_it(client, park, app):
    response = client.post(review_url(app.pk, "approve"), {"approve-note": "材料齐全"})
    assert response.status_code == 200
    box = element(html_of(response), id="confirm")
    assert app.enterprise.name in box and "材料齐全" in box
    amount = element(box, id="confirm-amount")
    assert "¥1,000,000.00" in amount and "人民币壹佰万元整" in amount
    assert not Determination.objects.exists() and Application.objects.get(pk=app.pk).state == State.SUBMITTED
    confirmed = client.post(review_url(app.pk, "approve"), {"approve-note": "材料齐全", "confirmed": "yes"})
    assert confirmed.status_code == 302 and Determination.objects.get().decision == "approved"


def test_it_asks_to_confirm_a_rejection_and_takes_none_without_a_note(client, park, app):
    confirm = html_of(client.post(review_url(app.pk, "reject"), {"reject-note": "项目未竣工"}))
    assert "项目未竣工" in element(confirm, id="confirm") and 'name="confirmed" value="yes"' in confirm
    assert not Determination.objects.exists()
