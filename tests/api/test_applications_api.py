"""The enterprise API of DESIGN §8: create, list, get, patch, submit, withdraw, attachments;
problem+json 400/401/404/409; another enterprise gets 404 everywhere."""

import json

import pytest

from applications.models import Application
from tests.personas import (
    REQUIRED_FOR_DATA_CENTRE,
    application_facts,
    auth,
    other_enterprise,
    reviewer,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
BASE = "/api/v1/applications"


def post(client, url, body, user, **extra):
    return client.post(url, json.dumps(body), content_type="application/json", **auth(user), **extra)


def problem(r, status):
    assert r.status_code == status, r.content
    assert r["Content-Type"] == "application/problem+json"
    return r.json()


@pytest.fixture
def app_id(client, alice):
    r = post(client, BASE, application_facts(), alice)
    assert r.status_code == 201, r.content
    return r.json()["id"]


def attach_all(client, app_id, user, kinds=REQUIRED_FOR_DATA_CENTRE):
    for kind in kinds:
        r = client.post(f"{BASE}/{app_id}/attachments", {"kind": kind, "file": upload()}, **auth(user))
        assert r.status_code == 201, r.content


def test_it_creates_a_draft(client, alice):
    r = post(client, BASE, application_facts(), alice)
    body = r.json()
    assert r.status_code == 201
    assert (body["status"], body["jurisdiction"]) == ("draft", "park")
    assert body["facts"]["enterprise"]["credit_code"] == alice.enterprise.credit_code
    assert body["history"][0]["to"] == "draft" and body["evaluations"] == [] and body["determination"] is None


def test_it_refuses_bad_facts_naming_each_field(client, alice):
    facts = application_facts(equipment_investment_cny=1.5)
    facts["enterprise"]["credit_code"] = other_enterprise().enterprise.credit_code
    body = problem(post(client, BASE, facts, alice), 400)
    assert {e["field"] for e in body["errors"]} == {"enterprise.credit_code"}
    body = problem(post(client, BASE, application_facts(equipment_investment_cny=1.5), alice), 400)
    assert body["errors"][0]["field"] == "project.equipment_investment_cny" and body["errors"][0]["message"]


def test_it_asks_for_credentials_with_401(client, app_id):
    for method, url in [("get", BASE), ("post", BASE), ("get", f"{BASE}/{app_id}"), ("patch", f"{BASE}/{app_id}"),
                        ("post", f"{BASE}/{app_id}/submit"), ("post", f"{BASE}/{app_id}/withdraw"),
                        ("post", f"{BASE}/{app_id}/attachments"), ("get", f"{BASE}/{app_id}/attachments/1")]:
        r = getattr(client, method)(url)
        problem(r, 401)
        assert r["WWW-Authenticate"].startswith("Token")


def test_it_answers_404_to_another_enterprise_everywhere(client, alice, app_id):
    attach_all(client, app_id, alice, ["business_license"])
    attachment_id = Application.objects.get(pk=app_id).attachments.get().pk
    intruder = other_enterprise()
    headers = auth(intruder)
    calls = [
        client.get(f"{BASE}/{app_id}", **headers),
        client.patch(f"{BASE}/{app_id}", "{}", content_type="application/json", **headers),
        client.post(f"{BASE}/{app_id}/submit", "{}", content_type="application/json", **headers),
        client.post(f"{BASE}/{app_id}/withdraw", **headers),
        client.post(f"{BASE}/{app_id}/attachments", {"kind": "business_license", "file": upload()}, **headers),
        client.get(f"{BASE}/{app_id}/attachments/{attachment_id}", **headers),
    ]
    for r in calls:
        problem(r, 404)
    assert client.get(BASE, **headers).json()["count"] == 0


def test_it_lists_only_your_own_in_the_paginated_envelope(client, alice, app_id):
    post(client, BASE, application_facts(), other_enterprise())
    body = client.get(BASE, **auth(alice)).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1 and body["results"][0]["id"] == app_id
    assert client.get(BASE, {"status": "submitted"}, **auth(alice)).json()["count"] == 0
    problem(client.get(BASE, {"status": "nonsense"}, **auth(alice)), 400)


def test_it_patches_a_draft_with_a_merge_patch(client, alice, app_id):
    r = client.patch(f"{BASE}/{app_id}/", json.dumps({"project": {"in_industrial_park": False}}),
                     content_type="application/json", **auth(alice))
    assert r.status_code == 200
    assert r.json()["jurisdiction"] == "630202" and r.json()["facts"]["project"]["standard_racks"] == 1200


def test_it_refuses_submission_naming_missing_facts_and_attachments(client, alice):
    facts = application_facts()
    del facts["project"]["completed_on"]
    app_id = post(client, BASE, facts, alice).json()["id"]
    attach_all(client, app_id, alice, ["business_license"])
    body = problem(post(client, f"{BASE}/{app_id}/submit", {}, alice), 400)
    fields = {e["field"]: e["code"] for e in body["errors"]}
    assert fields == {"project.completed_on": "required", "attachments.project_filing": "required",
                      "attachments.investment_audit": "required", "attachments.equipment_invoice": "required",
                      "attachments.rack_acceptance": "required"}


def test_it_submits_and_answers_with_the_frozen_evaluation(client, alice, app_id):
    attach_all(client, app_id, alice)
    r = client.post(f"{BASE}/{app_id}/submit", **auth(alice))  # no body: the API submission declares
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "submitted"
    assert body["evaluation"]["measures"][3]["amount_cny"] == "1000000.00"
    detail = client.get(f"{BASE}/{app_id}", **auth(alice)).json()
    assert detail["status"] == "submitted" and len(detail["evaluations"]) == 1
    problem(post(client, f"{BASE}/{app_id}/submit", {}, alice), 409)
    problem(client.patch(f"{BASE}/{app_id}", "{}", content_type="application/json", **auth(alice)), 409)
    problem(client.post(f"{BASE}/{app_id}/withdraw", **auth(alice)), 409)


def test_it_refuses_a_submission_without_the_declaration(client, alice, app_id):
    attach_all(client, app_id, alice)
    body = problem(post(client, f"{BASE}/{app_id}/submit", {"declaration": False}, alice), 400)
    assert body["errors"] == [{"field": "declaration", "code": "required", "message": body["errors"][0]["message"]}]


def test_it_withdraws_a_draft(client, alice, app_id):
    r = client.post(f"{BASE}/{app_id}/withdraw", **auth(alice))
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"


def test_it_uploads_and_downloads_an_attachment(client, alice, app_id):
    r = client.post(f"{BASE}/{app_id}/attachments", {"kind": "business_license", "file": upload("执照.pdf")},
                    **auth(alice))
    body = r.json()
    assert r.status_code == 201 and body["kind"] == "business_license" and len(body["sha256"]) == 64
    download = client.get(f"{BASE}/{app_id}/attachments/{body['id']}", **auth(alice))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert "attachment" in download["Content-Disposition"]


def test_it_refuses_uploads_that_are_not_pdf_jpeg_or_png(client, alice, app_id):
    r = client.post(f"{BASE}/{app_id}/attachments", {"kind": "business_license",
                                                     "file": upload("x.pdf", b"MZ\x90\x00 an exe")}, **auth(alice))
    assert problem(r, 400)["errors"][0] == {"field": "file", "code": "unsupported_type",
                                            "message": r.json()["errors"][0]["message"]}
    r = client.post(f"{BASE}/{app_id}/attachments", {"kind": "passport", "file": upload()}, **auth(alice))
    assert problem(r, 400)["errors"][0]["field"] == "kind"


def test_it_lets_a_reviewer_read_but_not_edit(client, alice, app_id):
    attach_all(client, app_id, alice)
    client.post(f"{BASE}/{app_id}/submit", **auth(alice))
    park = reviewer("park")
    assert client.get(f"{BASE}/{app_id}", **auth(park)).status_code == 200
    problem(client.patch(f"{BASE}/{app_id}", "{}", content_type="application/json", **auth(park)), 403)
    problem(client.get(f"{BASE}/{app_id}", **auth(reviewer("630225"))), 404)


def test_it_checks_the_one_time_rule_for_signed_in_eligibility_queries(client, alice):
    from applications.models import Grant

    app = Application.objects.get(pk=post(client, BASE, application_facts(), alice).json()["id"])
    Grant.objects.create(application=app, project_code=app.project_code, amount_cny="1000000.00",
                         payer_kind="park_committee")
    facts = {**application_facts(), "as_of": "2025-03-01"}
    signed_in = post(client, "/api/v1/eligibility", facts, alice).json()
    assert signed_in["measures"][3]["status"] == "not_eligible"
    assert "already_granted" in [r["code"] for r in signed_in["measures"][3]["reasons"]]
    assert signed_in["warnings"] == []
    anonymous = client.post("/api/v1/eligibility", json.dumps(facts), content_type="application/json").json()
    assert anonymous["measures"][3]["status"] == "eligible"  # anonymous answers do not reveal grants
    assert [w["code"] for w in anonymous["warnings"]] == ["one_time_not_checked"]


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8", "text/plain"])
def test_it_honours_a_refused_declaration_whatever_the_content_type(client, alice, app_id, content_type):
    attach_all(client, app_id, alice)
    r = client.post(f"{BASE}/{app_id}/submit", '{"declaration": false}', content_type=content_type, **auth(alice))
    assert problem(r, 400)["errors"][0]["field"] == "declaration"
    r = client.post(f"{BASE}/{app_id}/submit", '{"declaration": "no"}', content_type=content_type, **auth(alice))
    assert problem(r, 400)["errors"][0] == {"field": "declaration", "code": "invalid_type",
                                            "message": r.json()["errors"][0]["message"]}
    assert Application.objects.get(pk=app_id).state == "draft"


def test_it_refuses_unknown_fields_and_bad_bodies_on_actions(client, alice, app_id):
    attach_all(client, app_id, alice)
    r = client.post(f"{BASE}/{app_id}/submit", '{"declaration": true, "x": 1}', content_type="application/json",
                    **auth(alice))
    assert problem(r, 400)["errors"][0]["field"] == "x"
    problem(client.post(f"{BASE}/{app_id}/withdraw", "{bad", content_type="application/json", **auth(alice)), 400)
    assert Application.objects.get(pk=app_id).state == "draft"
    r = client.post(f"{BASE}/{app_id}/submit", "", content_type="application/json", **auth(alice))
    assert r.status_code == 200 and r.json()["id"] == app_id


def test_it_keeps_never_submitted_applications_private(client, alice, app_id):
    attach_all(client, app_id, alice, ["business_license"])
    client.post(f"{BASE}/{app_id}/withdraw", **auth(alice))
    attachment_id = Application.objects.get(pk=app_id).attachments.get().pk
    for user in (reviewer("park"), reviewer("630202")):
        problem(client.get(f"{BASE}/{app_id}", **auth(user)), 404)
    from tests.personas import city_admin

    admin = city_admin()
    problem(client.get(f"{BASE}/{app_id}", **auth(admin)), 404)
    problem(client.get(f"{BASE}/{app_id}/attachments/{attachment_id}", **auth(admin)), 404)


def test_it_shows_reviewers_to_enterprises_by_role_not_login_name(client, alice, app_id):
    attach_all(client, app_id, alice)
    client.post(f"{BASE}/{app_id}/submit", **auth(alice))
    park = reviewer("park")
    client.post(f"{BASE}/{app_id}/return", '{"note": "请补充"}', content_type="application/json", **auth(park))
    history = client.get(f"{BASE}/{app_id}", **auth(alice)).json()["history"]
    assert [h["actor"] for h in history] == ["applicant", "applicant", "reviewer"]
    assert client.get(f"{BASE}/{app_id}", **auth(park)).json()["history"][-1]["actor"] == "reviewer_park"


@pytest.mark.parametrize(
    ("body", "code"),
    [('{"project": {"code": "2406-630202-04-01-532198", "name": "a\\u0000b"}}', "invalid_character"),
     ('{"enterprise": ' + '{"x": ' * 40 + "1" + "}" * 41, "too_deep")],
    ids=["nul", "deep"],
)
def test_it_refuses_bodies_no_database_should_see(client, alice, body, code):
    r = client.post(BASE, body, content_type="application/json", **auth(alice))
    assert problem(r, 400)["errors"][0]["code"] == code
    token = client.post("/api/v1/auth/token", '{"username": "a\\u0000b", "password": "x"}',
                        content_type="application/json")
    assert problem(token, 400)["errors"][0]["code"] == "invalid_character"


def test_it_accepts_its_own_credit_code_in_any_case(client, alice):
    facts = application_facts()
    facts["enterprise"]["credit_code"] = alice.enterprise.credit_code.lower()
    assert post(client, BASE, facts, alice).status_code == 201
    facts["enterprise"]["credit_code"] = 91
    assert problem(post(client, BASE, facts, alice), 400)["errors"][0]["code"] == "invalid_type"


def test_it_answers_404_for_an_attachment_of_another_application(client, alice, app_id):
    attach_all(client, app_id, alice, ["business_license"])
    theirs = Application.objects.get(pk=app_id).attachments.get().pk
    other = other_enterprise()
    facts = application_facts()
    del facts["enterprise"]["credit_code"]
    other_id = post(client, BASE, facts, other).json()["id"]
    problem(client.get(f"{BASE}/{other_id}/attachments/{theirs}", **auth(other)), 404)
