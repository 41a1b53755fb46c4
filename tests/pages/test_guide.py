"""The service guide of each measure (办事指南, /measures/<n>/guide/)."""

from __future__ import annotations

import html as htmllib

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from applications.models import AttachmentKind
from eligibility import guide
from eligibility.presentation import tiers_in_words
from measures import catalogue, parameters

from .html import INLINE_SCRIPT, element


def _page(client, number: int, lang: str | None = None) -> str:
    if lang:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get(reverse("measure-guide", args=[number]))
    assert response.status_code == 200
    return htmllib.unescape(response.content.decode())


@pytest.mark.parametrize("number", range(1, 21))
def test_it_answers_every_measure_with_its_clause_and_title(client, number):
    entry = catalogue.entry(number)
    page = _page(client, number)
    assert '<html lang="zh-Hans">' in page
    assert entry.measure.clause in page and entry.measure.title in page
    assert entry.text in element(page, id="clause")
    assert entry.text_en not in page  # the English rendering is for English pages
    assert guide.scope_words(timezone.localdate(), "zh-hans") in element(page, id="who")
    for line in guide.GUIDES[number]["conditions"]:
        assert line[0].split("{")[0] in element(page, id="who")


@pytest.mark.parametrize("number", [0, 21, 99])
def test_it_answers_404_outside_the_20_measures(client, number):
    assert client.get(f"/measures/{number}/guide/").status_code == 404


def test_it_lists_the_materials_tiers_and_review_deadline_of_measure_4(client, settings, notices_on):
    settings.REVIEW_DEADLINE_WORKING_DAYS = 7
    page = _page(client, 4)
    materials = element(page, id="materials")
    with translation.override("zh-hans"):
        labels = [str(kind.label) for kind in AttachmentKind]
    assert len(labels) == 5
    for kind, label in zip(AttachmentKind, labels, strict=True):
        assert label in element(materials, id=f"material-{kind.value}")
    assert "项目类别为数据中心的必须提交" in element(materials, id="material-rack_acceptance")
    assert "必须提交" in element(materials, id="material-business_license")
    tiers = tiers_in_words(parameters.value("m04.tiers", timezone.localdate()), "zh-hans")
    assert tiers == "1亿元（含）至5亿元（含）：100万元；5亿元以上：200万元"
    assert tiers in element(page, id="who")
    review = element(page, id="term-review")
    assert "7个工作日" in review and "国务院办公厅公布的节假日安排" in review
    assert "5个完整工作日" in element(page, id="term-notice")
    assert "海东工业园区管理委员会" in element(page, id="term-payment")
    assert "县区本级财政" in element(page, id="term-payment")
    remedy = element(page, id="term-remedy")
    assert "60日内依法申请行政复议" in remedy and "6个月内依法向人民法院提起行政诉讼" in remedy


def test_it_explains_how_to_apply_for_measure_4_online(client):
    how = element(_page(client, 4), id="how")
    assert f'href="{reverse("register")}"' in how
    assert f'href="{reverse("application-new")}"' in how
    assert "承诺书" in how


def test_it_reads_the_notice_period_from_the_settings(client, settings):
    settings.PUBLIC_NOTICE_WORKING_DAYS = 0
    page = _page(client, 4)
    assert guide.TERMS["no_notice"][0] in element(page, id="term-notice")
    assert "公示：" not in element(page, id="how")


def test_it_says_the_tax_authority_decides_measure_6(client):
    page = _page(client, 6)
    delivery = element(page, id="delivery")
    assert "依法自行判别、申报享受" in delivery
    assert "以税务机关认定为准" in delivery
    assert guide.ROUTES["tax"][0] in element(page, id="about")
    assert 'id="materials"' not in page and 'id="terms"' not in page  # nothing to apply for here
    assert "15%" in element(page, id="who")  # m06.preferential_cit_rate_percent


@pytest.mark.parametrize(("number", "text"), [
    (5, "市有关部门全力争取省级资金"),
    (9, "“一事一议”“一企一策”"),
    (12, "以省级确定为准"),
])
def test_it_says_who_delivers_a_referred_measure(client, number, text):
    assert text in element(_page(client, number), id="delivery")


def test_it_shows_the_contacts_with_the_placeholder_marker(client):
    contacts = element(_page(client, 4), id="contacts")
    assert guide.PLACEHOLDER_NOTICE[0] in contacts
    for key in ("park", "630202", "630203", "630222", "630223", "630224", "630225", "city"):
        row = element(contacts, id=f"contact-{key}")
        assert guide.PLACEHOLDER_MARK[0] in row
        assert guide.DEFAULT_CONTACTS[key]["phone"] in row
    assert "乐都区" in element(contacts, id="contact-630202")


def test_it_shows_the_configured_contacts_without_the_marker(client, settings):
    settings.JURISDICTION_CONTACTS = {
        **guide.DEFAULT_CONTACTS,
        "park": {"office": ("园区测试窗口", "Park test desk"), "address": "测试地址", "phone": "0972-1111111"},
    }
    contacts = element(_page(client, 4), id="contacts")
    park = element(contacts, id="contact-park")
    assert "园区测试窗口" in park and "测试地址" in park and 'href="tel:09721111111"' in park
    assert guide.PLACEHOLDER_MARK[0] not in park
    assert guide.PLACEHOLDER_MARK[0] in element(contacts, id="contact-630202")


def test_it_renders_english_headings_with_the_language_cookie(client):
    page = _page(client, 4, lang="en")
    entry = catalogue.entry(4)
    assert '<html lang="en">' in page
    assert "Service guide: Investment subsidy" in page
    for heading in ("Who may apply", "Clause text", "English rendering (unofficial)", "Materials", "How to apply",
                    "Review deadline", "Public notice", "Payment", "Remedies", "Contacts"):
        assert heading in page
    assert entry.text_en in page and entry.text in page
    assert guide.PLACEHOLDER_MARK[1] in element(page, id="contact-park")
    assert "from CNY 100,000,000.00 (inclusive) to CNY 500,000,000.00 (inclusive)" in page
    for label in ("Business licence", "Project filing or approval", "Investment audit or final accounts",
                  "Equipment purchase invoices", "Rack acceptance certificate"):
        assert label in element(page, id="materials")


def test_it_links_back_to_the_calculator_and_the_catalogue(client):
    page = _page(client, 7)
    assert f'href="{reverse("calculator")}"' in page
    assert f'href="{reverse("catalogue")}#m7"' in page
    assert f'href="{reverse("measure-guide", args=[6])}"' in page
    assert f'href="{reverse("measure-guide", args=[8])}"' in page


def test_it_has_no_inline_scripts_or_styles(client):
    page = client.get(reverse("measure-guide", args=[4])).content.decode()
    assert not INLINE_SCRIPT.search(page) and "style=" not in page
