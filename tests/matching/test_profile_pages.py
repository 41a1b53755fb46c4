"""The profile pages: prefilled, edited one group at a time with errors beside the fields, consent
given and withdrawn, a project added and removed."""

from __future__ import annotations

import pytest

from matching import services
from matching.models import Consent
from tests.personas import application_facts, submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
PROJECT = application_facts()["project"]


def test_it_shows_the_prefilled_profile_and_the_consent_text(client, alice):
    submitted(alice)
    client.force_login(alice)
    page = client.get("/profile/").content.decode()
    assert "企业画像" in page and PROJECT["name"] in page and PROJECT["code"] in page
    assert services.CONSENT_TEXT[0][:20] in page and "尚未保存" in page


def test_it_gives_and_withdraws_consent_from_the_page(client, alice):
    client.force_login(alice)
    client.post("/profile/consent/", {"screening": "give"})
    assert Consent.objects.filter(withdrawn_at__isnull=True).count() == 1
    assert "撤回同意" in client.get("/profile/").content.decode()
    client.post("/profile/consent/", {"screening": "withdraw"})
    assert not Consent.objects.filter(withdrawn_at__isnull=True).exists()


def test_it_says_beside_the_field_what_is_wrong_and_keeps_what_was_typed(client, alice):
    client.force_login(alice)
    data = {f"project.{k}": str(v) for k, v in PROJECT.items() if not isinstance(v, bool)}
    data["project.in_industrial_park"] = "yes"
    data["project.standard_racks"] = "-5"
    response = client.post("/profile/projects/new/", data)
    page = response.content.decode()
    field = page.split('data-field="project.standard_racks"', 1)[1].split('data-field=', 1)[0]
    assert response.status_code == 200 and "field__error" in field
    assert 'value="-5"' in page and PROJECT["name"] in page  # what was typed stays
    assert services.profile_facts(alice.enterprise)["projects"] == []


def test_it_adds_changes_and_removes_a_project(client, alice):
    client.force_login(alice)
    data = {f"project.{k}": str(v) for k, v in PROJECT.items() if not isinstance(v, bool)}
    data["project.in_industrial_park"] = "yes"
    assert client.post("/profile/projects/new/", data).status_code == 302
    assert [p["code"] for p in services.profile_facts(alice.enterprise)["projects"]] == [PROJECT["code"]]
    data["project.standard_racks"] = "1500"
    assert client.post("/profile/projects/0/", data).status_code == 302
    assert services.profile_facts(alice.enterprise)["projects"][0]["standard_racks"] == 1500
    assert client.post("/profile/projects/0/remove/").status_code == 302
    assert services.profile_facts(alice.enterprise)["projects"] == []
    assert client.get("/profile/projects/3/").status_code == 404


def test_it_is_the_enterprises_own_page(client, park):
    client.force_login(park)
    assert client.get("/profile/").status_code == 403
