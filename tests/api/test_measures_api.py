"""The measure catalogue API and the OpenAPI schema."""

from eligibility.schemas import MeasureEntryOut, MeasureListOut
from kernel.schemas import ProblemOut
from measures.catalogue import legal_clauses


def test_it_lists_all_twenty_measures_with_their_clauses(client):
    r = client.get("/api/v1/measures")
    assert r.status_code == 200
    body = MeasureListOut.model_validate(r.json())
    assert [m.number for m in body.measures] == list(range(1, 21))
    assert all(m.text == legal_clauses()[m.clause] and m.text_en for m in body.measures)
    assert body.scope_clause["clause"] == "第七部分"
    assert "2029年6月30日" in body.scope_clause["text"]


def test_it_shows_one_measure_with_its_parameters_in_force(client):
    r = client.get("/api/v1/measures/4/")
    entry = MeasureEntryOut.model_validate(r.json())
    assert (entry.title, entry.chapter_title, entry.kind) == ("投资补助", "补助奖励", "subsidy")
    assert "投资1—5亿元的（含5亿元），一次性补助100万元" in entry.text
    tiers = next(p for p in entry.parameters if p.name == "m04.tiers")
    assert tiers.reference == "第4条"
    assert [t["amount"] for t in tiers.value] == ["1000000.00", "2000000.00"]


def test_it_answers_an_unknown_measure_with_a_problem(client):
    for path in ("/api/v1/measures/21", "/api/v1/measures/0", "/api/v1/measures/x", "/api/v1/measures/" + "9" * 5000):
        r = client.get(path)
        assert r.status_code == 404
        assert r["Content-Type"] == "application/problem+json"
        ProblemOut.model_validate(r.json())


def test_it_documents_the_api_in_openapi(client):
    r = client.get("/api/v1/schema", {"format": "json"})
    assert r.status_code == 200
    schema = r.json()
    assert schema["openapi"].startswith("3.")
    post = schema["paths"]["/api/v1/eligibility"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/FactsRequest")
    assert "application/problem+json" in post["responses"]["400"]["content"]
    examples = post["responses"]["200"]["content"]["application/json"]["examples"]
    worked = next(iter(examples.values()))["value"]
    assert worked["measures"][3]["amount_cny"] == "1000000.00"
    components = schema["components"]["schemas"]
    assert {"FactsRequest", "Enterprise", "Project", "Circumstances", "EligibilityOut"} <= set(components)
    assert "/api/v1/measures/{number}" in schema["paths"]


def test_it_serves_swagger_ui(client):
    r = client.get("/api/docs")
    assert r.status_code == 200
    assert b"swagger" in r.content.lower()
