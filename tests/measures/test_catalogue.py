"""The catalogue's clause texts: Chinese cut from the legal source, English from clauses.en.toml."""

from __future__ import annotations

import pytest

from measures import catalogue

CLAUSES = [f"第{n}条" for n in range(1, 21)] + ["第七部分"]


@pytest.fixture(scope="module")
def legal_source() -> str:
    return catalogue.LEGAL_TEXT.read_text(encoding="utf-8")


@pytest.mark.parametrize("clause", CLAUSES)
def test_it_has_chinese_text_for_every_clause(clause: str) -> None:
    assert catalogue.legal_clauses().get(clause, "").strip()


@pytest.mark.parametrize("clause", CLAUSES)
def test_it_has_english_text_for_every_clause(clause: str) -> None:
    assert catalogue.english_clauses().get(clause, "").strip()


@pytest.mark.parametrize("clause", [c for c in CLAUSES if c != "第七部分"])
def test_it_cuts_each_measure_verbatim_from_the_legal_source(clause: str, legal_source: str) -> None:
    assert catalogue.legal_clauses()[clause] in legal_source


def test_it_cuts_both_scope_paragraphs_verbatim_from_the_legal_source(legal_source: str) -> None:
    paragraphs = catalogue.legal_clauses()["第七部分"].split("\n")
    assert len(paragraphs) == 2
    assert "适用于在海东行政区内注册" in paragraphs[0]
    assert "2024年7月1日起施行" in paragraphs[1]
    for paragraph in paragraphs:
        assert paragraph in legal_source


def test_it_keeps_the_scope_paragraphs_together_in_english() -> None:
    paragraphs = catalogue.english_clauses()["第七部分"].split("\n")
    assert len(paragraphs) == 2
    assert "registered within the Haidong administrative area" in paragraphs[0]
    assert "1 July 2024" in paragraphs[1]
    assert "30 June 2029" in paragraphs[1]


def test_it_has_no_english_clause_the_legal_text_lacks() -> None:
    assert set(catalogue.english_clauses()) == set(CLAUSES)


def test_it_marks_the_english_renderings_as_unofficial() -> None:
    head = catalogue.ENGLISH.read_text(encoding="utf-8").split("[clauses]")[0]
    assert "unofficial" in head.lower()
    assert "Chinese text" in head
    assert "governs" in head


def test_it_lists_twenty_entries_in_order() -> None:
    entries = catalogue.entries()
    assert [e.measure.number for e in entries] == list(range(1, 21))
    assert [e.measure.clause for e in entries] == CLAUSES[:20]
    for e in entries:
        assert e.text == catalogue.legal_clauses()[e.measure.clause]
        assert e.text_en == catalogue.english_clauses()[e.measure.clause]


def test_it_opens_each_english_rendering_with_the_measure_title() -> None:
    # The legal text opens each clause with its title ("4. 投资补助。…"); the English does the same,
    # which also catches a rendering filed under the wrong clause number.
    for e in catalogue.entries():
        opening = e.text_en.split(". ", 1)[0].replace('"', "")
        assert opening == e.measure.title_en, e.measure.clause
