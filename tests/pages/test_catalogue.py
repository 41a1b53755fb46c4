"""The catalogue page (措施目录)."""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import reverse

from .html import INLINE_SCRIPT, element, unmarked_text


def _entry(html: str, number: int) -> str:
    return element(html, id=f"m{number}")


def test_it_lists_all_20_measures_with_anchors(client):
    response = client.get(reverse("catalogue"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-Hans">' in html
    for number in range(1, 21):
        assert f'id="m{number}"' in html
        assert f'href="#m{number}"' in html


def test_it_groups_the_measures_by_chapter(client):
    html = client.get(reverse("catalogue")).content.decode()
    headings = re.findall(r'<h2 id="c\d-title">([^<]+)<', html)
    assert [h.strip() for h in headings] == ["一、绿电保障", "二、补助奖励", "三、土地供给", "四、科技创新",
                                             "五、人才支持", "六、营商环境"]


def test_it_shows_titles_kind_texts_and_parameters_of_a_measure(client):
    m4 = _entry(client.get(reverse("catalogue")).content.decode(), 4)
    assert "第4条" in m4
    assert "投资补助" in m4 and "Investment subsidy" in m4
    assert "资金补助" in m4  # kind
    assert "投资1—5亿元的（含5亿元），一次性补助100万元" in m4  # the legal text
    assert 'lang="en">Investment subsidy. To support' in m4  # the English rendering
    # Parameters in words (issue 11): the key stays in the API, the page names and states it.
    assert "m04.tiers" not in m4 and "补助标准" in m4
    assert "1亿元（含）至5亿元（含）：100万元；5亿元以上：200万元" in m4
    assert "项目所在县区本级财政" in m4
    assert "2.5" in m4 and "kW" in m4
    assert "依据：" in m4


def test_it_shows_the_scope_clause(client):
    html = client.get(reverse("catalogue")).content.decode()
    text = element(html, id="scope")
    assert "第七部分" in text
    assert "适用于在海东行政区内注册" in text
    assert "有效期至2029年6月30日" in text
    assert "2029-06-30" in text  # policy.valid_to
    assert "云计算" in text  # the listed sectors, by their labels


def test_it_renders_in_english_with_the_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("catalogue")).content.decode()
    assert '<html lang="en">' in html
    assert "<h1>The 20 measures</h1>" in html
    assert "2. Subsidies and awards" in html
    assert "Parameters in force" in html


def test_it_has_no_inline_scripts_or_styles(client):
    html = client.get(reverse("catalogue")).content.decode()
    assert not INLINE_SCRIPT.search(html) and "style=" not in html


def test_it_cites_clauses_the_english_way_on_english_pages(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in (reverse("catalogue"), reverse("measure-guide", args=[4])):
        text = unmarked_text(client.get(url).content.decode())
        assert "Art. 4" in text and "Part VII" in text, url
        # Chinese only where the clause text itself is quoted (marked lang="zh-Hans").
        assert not re.search(r"第\d+条|第七部分", text)  # document numbers (…年第23号) may stay, (url, re.findall(r".{20}第\S*", text))
