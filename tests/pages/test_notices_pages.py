"""The 公示 pages: the public notices and their objection form (anyone, no JavaScript), the feed,
and the notice on the review page (propose, objections, withdraw, approve after the notice)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from applications.models import Application, Notice, Objection
from review import services as review_services
from tests.personas import city_admin, finance_officer, reviewer, submitted

from .html import INLINE_SCRIPT, element

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now", "notices_on")]
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def proposed(user, park, **project):
    app = submitted(user, **project)
    notice = review_services.application_propose(application_id=app.pk, reviewer=park)
    return Application.objects.get(pk=app.pk), notice


def test_it_lists_notices_for_anyone_without_credit_codes_or_scripts(client, alice, park):
    _app, notice = proposed(alice, park)
    page = client.get(reverse("notices")).content.decode()
    card = element(page, id=f"notice-{notice.pk}")
    assert "青海示例算力科技有限公司" in card and "乐都绿色算力中心一期" in card
    assert "人民币壹佰万元整" in card and "海东工业园区管理委员会" in card
    assert "2025-03-03" in card and "2025-03-07" in card and "征求意见" not in card
    assert "91630202MA7ABCDE1Y" not in page and "applicant@example.com" not in page
    assert reverse("notice-object", args=[notice.pk]) in card
    assert not INLINE_SCRIPT.search(page)
    assert 'type="application/atom+xml"' in page


def test_it_filters_the_notice_list_and_names_a_bad_filter(client, alice, park):
    proposed(alice, park)
    assert "0 " in element(client.get(reverse("notices"), {"payer": "630202"}).content.decode(), id="notice-count")
    bad = client.get(reverse("notices"), {"status": "sideways"})
    assert bad.status_code == 400 and "状态" in element(bad.content.decode(), id="filter-error")


def test_it_takes_an_objection_and_gives_a_reference(client, alice, park):
    _app, notice = proposed(alice, park)
    url = reverse("notice-object", args=[notice.pk])
    empty = client.post(url, {"name": " ", "contact": "", "text": "x"})
    assert empty.status_code == 400
    page = empty.content.decode()
    assert "姓名或单位不能为空" in element(page, data_field="name") and "联系方式" in element(page, data_field="contact")
    assert ">\nx</textarea>" in page  # what was typed stays
    r = client.post(url, {"name": "张三", "contact": "zhangsan@example.com", "text": "投资额不实"})
    assert r.status_code == 201
    objection = Objection.objects.get()
    assert objection.reference in element(r.content.decode(), id="objection-reference")
    assert objection.email == "zhangsan@example.com"


def test_it_stores_nothing_when_the_honeypot_is_filled(client, alice, park):
    _app, notice = proposed(alice, park)
    r = client.post(reverse("notice-object", args=[notice.pk]),
                    {"name": "bot", "contact": "bot@example.com", "text": "spam", "website": "http://spam"})
    assert r.status_code == 200 and "objection-received" in r.content.decode()
    assert Objection.objects.count() == 0


def test_it_refuses_objections_to_a_closed_notice_and_throttles(client, alice, park, frozen_now, settings):
    _app, notice = proposed(alice, park)
    url = reverse("notice-object", args=[notice.pk])
    rest = dict(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"] = {**rest["DEFAULT_THROTTLE_RATES"], "objection": "2/hour"}
    settings.REST_FRAMEWORK = rest
    body = {"name": "张三", "contact": "13800000000", "text": "异议"}
    assert [client.post(url, body).status_code for _ in range(2)] == [201, 201]
    assert client.post(url, body).status_code == 429
    with time_machine.travel(dt.datetime(2025, 3, 8, 10, tzinfo=SHANGHAI), tick=False):
        closed = client.get(url).content.decode()
        assert "notice-closed" in closed and "<form" not in element(closed, id="main")


def test_it_serves_an_atom_feed_of_new_notices(client, alice, park):
    proposed(alice, park)
    r = client.get(reverse("notice-feed"))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/atom+xml")
    body = r.content.decode()
    assert "<feed" in body and "青海示例算力科技有限公司" in body and "人民币壹佰万元整" in body


def test_it_proposes_from_the_review_page_and_shows_the_notice_and_objections(client, alice, park):
    app = submitted(alice)
    client.force_login(park)
    page = client.get(reverse("review-application", args=[app.pk])).content.decode()
    assert "propose-form" in page
    r = client.post(reverse("review-propose", args=[app.pk]), {"propose-note": "属实"}, follow=True)
    page = r.content.decode()
    assert Application.objects.get(pk=app.pk).state == "in_notice"
    assert "2025-03-03" in element(page, id="notice-period") and "2025-03-07" in page
    assert "reject-form" not in page and "withdraw_proposal-form" in page
    notice = Notice.objects.get()
    client.post(reverse("notice-object", args=[notice.pk]), {"name": "李四", "contact": "li@example.com",
                                                            "text": "设备发票存疑"})
    queue = client.get(reverse("review-queue")).content.decode()
    assert element(queue, class_="badge badge--overdue objections").split(">")[1].startswith("1")
    page = client.get(reverse("review-application", args=[app.pk])).content.decode()
    objection = Objection.objects.get()
    box = element(page, id=f"objection-{objection.pk}")
    assert "设备发票存疑" in box and "li@example.com" in box
    missing = client.post(reverse("review-resolve-objection", args=[objection.pk]),
                          {f"objection-{objection.pk}-outcome": "dismissed"})
    assert missing.status_code == 400 and "说明" in element(missing.content.decode(), id=f"objection-{objection.pk}")
    done = client.post(reverse("review-resolve-objection", args=[objection.pk]),
                       {f"objection-{objection.pk}-outcome": "dismissed",
                        f"objection-{objection.pk}-note": "有审计报告支撑"}, follow=True)
    assert "不成立" in done.content.decode() and Objection.objects.get().status == "dismissed"
    # During the notice, approving says why and changes nothing.
    early = client.post(reverse("review-approve", args=[app.pk]), {"confirmed": "yes"}, follow=True)
    assert "2025-03-07" in early.content.decode() and Application.objects.get(pk=app.pk).state == "in_notice"
    with time_machine.travel(dt.datetime(2025, 3, 10, 10, tzinfo=SHANGHAI), tick=False):
        client.force_login(park)  # a new day, a new session
        queue = client.get(reverse("review-queue")).content.decode()
        assert "ready-to-issue" in queue
        client.post(reverse("review-approve", args=[app.pk]), {"confirmed": "yes"})
    assert Application.objects.get(pk=app.pk).state == "approved"


def test_it_withdraws_a_proposal_from_the_review_page(client, alice, park):
    app, _notice = proposed(alice, park)
    client.force_login(park)
    blank = client.post(reverse("review-withdraw-proposal", args=[app.pk]), {"withdraw_proposal-note": ""})
    assert blank.status_code == 200 and Application.objects.get(pk=app.pk).state == "in_notice"
    client.post(reverse("review-withdraw-proposal", args=[app.pk]), {"withdraw_proposal-note": "补充材料"})
    assert Application.objects.get(pk=app.pk).state == "in_review"
    assert Notice.objects.get().withdrawn_at is not None


def test_it_shows_the_enterprise_its_notice(client, alice, park):
    app, notice = proposed(alice, park)
    client.force_login(alice)
    page = client.get(reverse("application-detail", args=[app.pk])).content.decode()
    assert "2025-03-07" in element(page, id="in-notice") and f"#notice-{notice.pk}" in page


def test_it_keeps_finance_and_anonymous_users_out_of_the_review_pages(client, alice, park):
    app, notice = proposed(alice, park)
    objection = Objection.objects.create(notice=notice, reference="YY2025-TEST01", name="x", contact="y", text="z")
    for url in (reverse("review-application", args=[app.pk]), reverse("review-propose", args=[app.pk]),
                reverse("review-withdraw-proposal", args=[app.pk]),
                reverse("review-resolve-objection", args=[objection.pk])):
        anonymous = client.post(url) if "application" not in url.rstrip("/").split("/")[-1] else client.get(url)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client.force_login(finance_officer("park"))
    assert client.get(reverse("review-application", args=[app.pk])).status_code == 404
    assert client.post(reverse("review-propose", args=[app.pk])).status_code == 404
    assert client.post(reverse("review-resolve-objection", args=[objection.pk])).status_code == 404
    assert client.get(reverse("review-queue")).status_code == 403
    client.force_login(reviewer("630225"))
    assert client.post(reverse("review-resolve-objection", args=[objection.pk])).status_code == 404
    client.force_login(city_admin())
    assert client.get(reverse("review-application", args=[app.pk])).status_code == 200
    assert Objection.objects.get().status == "open"


def test_it_asks_for_a_notice_before_the_approval_is_confirmed(client, alice, park):
    app = submitted(alice)
    client.force_login(park)
    r = client.post(reverse("review-approve", args=[app.pk]), {"approve-note": ""}, follow=True)
    page = r.content.decode()
    assert "请先提请公示" in page and "confirm-decision" not in page
    assert Application.objects.get(pk=app.pk).state == "submitted"
