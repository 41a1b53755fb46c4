"""免申即享 (DESIGN §13): the profile (prefilled, validated like the API), consent as the gate of
screening, screening that tells only what is new or better and is idempotent, one-step application,
and the expiry warnings."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
import time_machine

from applications.models import Application
from audit.models import AuditEntry
from inbox.models import Message
from matching import batch, expiry, services
from matching.models import Consent, Screening
from tests.personas import application_facts, auth, other_enterprise, reviewer, submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
FACTS = application_facts()
PROJECT = FACTS["project"]
SECOND = {**PROJECT, "code": "2406-630202-04-01-777777", "name": "乐都绿色算力中心二期",
          "equipment_investment_cny": "600000000.00"}


OWN = {k: FACTS["enterprise"][k] for k in ("sectors", "activities", "qualifications")}  # identity: the account's


def profile(*projects) -> dict:
    return {"enterprise": OWN, "projects": list(projects), "circumstances": FACTS["circumstances"]}


def matches_of(user, project: str) -> dict:
    return Screening.objects.get(profile__enterprise=user.enterprise, project=project).matches


def test_it_prefills_the_profile_from_the_latest_submitted_application(client, alice):
    app = submitted(alice)
    body = client.get("/api/v1/profile", **auth(alice)).json()
    assert body["saved"] is False
    assert body["projects"] == [app.facts["project"]] and body["projects"][0]["code"] == PROJECT["code"]
    assert body["circumstances"] == app.facts["circumstances"]
    assert body["enterprise"]["credit_code"] == alice.enterprise.credit_code
    assert body["enterprise"]["sectors"] == FACTS["enterprise"]["sectors"]
    assert body["consent"]["screening"] is False and body["consent"]["text_version"] == services.CONSENT_VERSION


def test_it_validates_each_project_as_the_api_validates_facts_naming_the_field(client, alice):
    response = client.patch("/api/v1/profile", {"projects": [PROJECT, {**SECOND, "standard_racks": -3}],
                                                "colour": "red"},
                            content_type="application/json", **auth(alice))
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    fields = {(e["field"], e["code"]) for e in response.json()["errors"]}
    assert ("colour", "unknown_field") in fields
    response = client.patch("/api/v1/profile", {"projects": [PROJECT, {**SECOND, "standard_racks": -3}]},
                            content_type="application/json", **auth(alice))
    assert [e["field"] for e in response.json()["errors"]] == ["projects.1.standard_racks"]
    response = client.patch("/api/v1/profile", {"projects": [PROJECT, PROJECT]}, content_type="application/json",
                            **auth(alice))
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("projects.1.code", "duplicate")]
    assert not services.Profile.objects.exists()  # nothing stored from a refused change


def test_it_keeps_several_projects_and_the_identity_of_the_account(client, alice):
    body = {"enterprise": {**FACTS["enterprise"], "name": "别的公司"}, "projects": [PROJECT, SECOND],
            "circumstances": FACTS["circumstances"]}
    response = client.patch("/api/v1/profile", body, content_type="application/json", **auth(alice))
    assert response.status_code == 200, response.content
    saved = response.json()
    assert saved["saved"] is True and [p["code"] for p in saved["projects"]] == [PROJECT["code"], SECOND["code"]]
    assert saved["enterprise"]["name"] == alice.enterprise.name
    response = client.patch("/api/v1/profile", {"circumstances": {"needs_land": True}},
                            content_type="application/json", **auth(alice))
    assert response.json()["circumstances"]["needs_land"] is True
    assert response.json()["circumstances"]["green_data_center"] is True  # merged, not replaced


def test_it_refuses_profiles_to_other_roles(client):
    response = client.get("/api/v1/profile", **auth(reviewer("park")))
    assert response.status_code == 403 and response["Content-Type"] == "application/problem+json"


def test_it_screens_nothing_without_consent(alice):
    services.profile_update(user=alice, patch=profile(PROJECT))
    assert services.screen_enterprise(alice.enterprise_id) == 0
    assert batch.screen_profiles()["profiles"] == 0
    assert not Screening.objects.exists() and not Message.objects.filter(kind="match").exists()


def test_it_records_consent_and_its_withdrawal_and_stops_at_once(client, alice,
                                                                  django_capture_on_commit_callbacks):
    services.profile_update(user=alice, patch=profile(PROJECT))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/profile/consent", {"screening": True}, content_type="application/json",
                               **auth(alice))
    assert response.status_code == 201 and response.json()["screening"] is True
    consent = Consent.objects.get()
    assert (consent.given_by, consent.text_version) == (alice, services.CONSENT_VERSION)
    assert matches_of(alice, PROJECT["code"])["4"] == {"status": "eligible", "amount_cny": "1000000.00"}
    assert Message.objects.filter(enterprise=alice.enterprise, kind="match").count() == 1
    assert client.post("/api/v1/profile/consent", {"screening": True}, content_type="application/json",
                       **auth(alice)).status_code == 200  # already in force
    bad = client.post("/api/v1/profile/consent", {"screening": False}, content_type="application/json", **auth(alice))
    assert [(e["field"], e["code"]) for e in bad.json()["errors"]] == [("screening", "invalid_choice")]

    response = client.delete("/api/v1/profile/consent", **auth(alice))
    assert response.status_code == 200 and response.json()["screening"] is False
    assert not Screening.objects.exists()  # its results are deleted
    services.profile_update(user=alice, patch={"projects": [PROJECT, SECOND]})
    assert services.screen_enterprise(alice.enterprise_id) == 0 and not Screening.objects.exists()
    codes = list(AuditEntry.objects.filter(action="consent").order_by("pk").values_list("note_code", flat=True))
    assert codes == ["consent_given", "consent_withdrawn"]
    assert client.delete("/api/v1/profile/consent", **auth(alice)).status_code == 404


def test_it_tells_a_match_once_and_then_only_what_improved(alice):
    services.profile_update(user=alice, patch=profile(PROJECT))
    services.consent_give(user=alice)
    assert services.screen_enterprise(alice.enterprise_id) == 1
    assert services.screen_enterprise(alice.enterprise_id) == 0  # the same result: nothing new
    assert batch.screen_profiles() == {"profiles": 1, "messages": 0}
    # #4's amount rises with the investment (tier 2 above 500M): told
    services.profile_update(user=alice, patch={"projects": [{**PROJECT, "equipment_investment_cny": "600000000.00"}]})
    assert services.screen_enterprise(alice.enterprise_id) == 1
    latest = Message.objects.filter(kind="match").first()
    assert "第4条" in latest.body and "¥2,000,000.00" in latest.body and "Art. 4" in latest.body_en
    # and falls back: nothing to tell (a loss is not news), but the screening is current
    services.profile_update(user=alice, patch={"projects": [PROJECT]})
    assert services.screen_enterprise(alice.enterprise_id) == 0
    assert matches_of(alice, PROJECT["code"])["4"]["amount_cny"] == "1000000.00"
    assert Message.objects.filter(kind="match").count() == 2


def test_it_screens_every_consenting_profile_in_chunks_and_again_writes_nothing(alice, monkeypatch):
    monkeypatch.setattr(batch, "CHUNK", 1)
    other = other_enterprise()
    for user in (alice, other):
        services.profile_update(user=user, patch=profile({**PROJECT, "code": f"2406-630202-04-01-{user.pk:06d}"}))
        services.consent_give(user=user)
    assert batch.screen_profiles() == {"profiles": 2, "messages": 2}
    assert batch.screen_profiles() == {"profiles": 2, "messages": 0}
    assert batch.stale_profile_ids() == []
    Screening.objects.filter(profile__enterprise=other.enterprise).update(rules_version="older")
    assert batch.stale_profile_ids() == [other.enterprise.profile.pk]


def test_it_makes_a_draft_from_a_project_of_the_profile_in_one_step(client, alice):
    services.profile_update(user=alice, patch=profile(PROJECT, SECOND))
    client.force_login(alice)
    response = client.post("/profile/apply/", {"project": SECOND["code"]})
    draft = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/applications/{draft.pk}/edit/review/"
    kept = services.profile_facts(alice.enterprise)
    assert draft.state == "draft"
    assert draft.facts == {"enterprise": kept["enterprise"], "project": kept["projects"][1],
                           "circumstances": kept["circumstances"]}
    assert client.post("/profile/apply/", {"project": "2406-630202-04-01-000404"}).status_code == 404


def warned(user) -> list[str]:
    return list(Message.objects.filter(enterprise=user.enterprise, kind="expiry").values_list("key", flat=True))


THRESHOLD_DAYS = {180: dt.date(2029, 1, 1), 90: dt.date(2029, 4, 1), 30: dt.date(2029, 5, 31)}


@pytest.mark.parametrize("threshold", [180, 90, 30])
def test_it_warns_of_expiry_on_the_three_dates(alice, threshold):
    services.profile_update(user=alice, patch=copy.deepcopy(profile(PROJECT)))
    Application.objects.create(enterprise=alice.enterprise, created_by=alice, jurisdiction="park")  # a draft
    other = other_enterprise()  # nothing open, nothing matched: not warned
    for earlier in (t for t in THRESHOLD_DAYS if t > threshold):
        assert expiry.warn(THRESHOLD_DAYS[earlier]) == 1
    day = THRESHOLD_DAYS[threshold]
    assert expiry.warn(day - dt.timedelta(days=1)) == 0  # the day before: nothing new is due
    with time_machine.travel(dt.datetime.combine(day, dt.time(9)), tick=False):
        assert expiry.warn() == 1  # today, in Asia/Shanghai
        assert expiry.warn() == 0  # once
    assert warned(alice)[0] == f"expiry:2029-06-30:{threshold}" and warned(other) == []
    message = Message.objects.filter(kind="expiry").first()
    assert "2029年6月30日" in message.title and f"还有 {threshold} 天" in message.title


def test_it_catches_up_a_missed_warning_saying_the_days_left(alice):
    Application.objects.create(enterprise=alice.enterprise, created_by=alice, jurisdiction="park")
    assert expiry.warn(dt.date(2029, 4, 5)) == 1  # no warning yet, 86 days left: the 90-day one, late
    assert warned(alice) == ["expiry:2029-06-30:90"]
    assert "还有 86 天" in Message.objects.get(kind="expiry").title
    assert expiry.warn(dt.date(2028, 12, 31)) == 0 and expiry.warn(dt.date(2029, 6, 30)) == 0


def test_it_warns_an_enterprise_with_an_unfiled_match_and_not_after_it_filed(alice):
    services.profile_update(user=alice, patch=profile(PROJECT))
    services.consent_give(user=alice)
    services.screen_enterprise(alice.enterprise_id)
    assert expiry.warn(dt.date(2029, 5, 31)) == 1
    submitted(alice)
    Message.objects.filter(kind="expiry").delete()
    Application.objects.filter(enterprise=alice.enterprise).update(state="approved")
    assert expiry.warn(dt.date(2029, 5, 31)) == 0


def test_it_shows_the_screening_figures_to_the_city_admin_and_to_each_reviewer(client, alice):
    from tests.personas import city_admin

    services.profile_update(user=alice, patch=profile(PROJECT))
    services.consent_give(user=alice)
    services.screen_enterprise(alice.enterprise_id)
    client.force_login(city_admin())
    page = client.get("/review/overview/").content.decode()
    assert 'id="screening-consenting">1<' in page and 'id="screening-unfiled">1<' in page
    assert "第4条 投资补助" in page or "第4条" in page
    client.force_login(reviewer("park"))  # the project is in the park
    assert "/review/screening/" in client.get("/review/").content.decode()
    assert 'id="screening-unfiled">1<' in client.get("/review/screening/").content.decode()
    client.force_login(reviewer("630203"))  # 平安区: none of its projects
    assert 'id="screening-consenting">0<' in client.get("/review/screening/").content.decode()


def test_it_fans_the_nightly_screening_out_in_chunks_and_screens_new_rules_only_where_stale(alice, monkeypatch):
    from matching import tasks

    monkeypatch.setattr(batch, "JOB_CHUNK", 1)
    other = other_enterprise()
    for user in (alice, other):
        services.profile_update(user=user, patch=profile({**PROJECT, "code": f"2406-630202-04-01-{user.pk:06d}"}))
        services.consent_give(user=user)
    assert tasks.screen_all.delay().get() == 2  # two chunks, run in this process (no broker configured)
    assert Screening.objects.count() == 2 and Message.objects.filter(kind="match").count() == 2
    assert tasks.screen_new_rules.delay().get() == 0
    Screening.objects.filter(profile__enterprise=other.enterprise).update(rules_version="older")
    assert tasks.screen_new_rules.delay().get() == 1
    assert Screening.objects.filter(rules_version="older").count() == 0


def test_it_screens_from_the_command_line(alice):
    import io

    from django.core.management import CommandError, call_command

    services.profile_update(user=alice, patch=profile(PROJECT))
    services.consent_give(user=alice)
    out = io.StringIO()
    call_command("screen", stdout=out, stderr=io.StringIO())
    assert out.getvalue().strip() == "screened 1 profile(s): 1 message(s)"
    out = io.StringIO()
    call_command("screen", "--enterprise", str(alice.enterprise_id), stdout=out)
    assert out.getvalue().strip() == f"screened enterprise {alice.enterprise_id}: 0 message(s)"
    with pytest.raises(CommandError, match="has no profile"):
        call_command("screen", "--enterprise", "999999")
    with pytest.raises(CommandError, match="--jobs"):
        call_command("screen", "--jobs", "-1")


def test_it_screens_only_the_profiles_of_a_chunk_whether_their_keys_are_a_run_or_sparse(alice):
    from accounts.services import account_create
    from tests.personas import valid_code

    users = [alice] + [account_create(username=f"e{n}", password="Enterprise-2025-pass!", role="enterprise",
                                      credit_code=valid_code(f"91630202MA700{n:02d}00"), enterprise_name=f"企业{n}")
                       for n in range(8)]
    for user in users:
        services.profile_update(user=user, patch=profile({**PROJECT, "code": f"2406-630202-04-01-{user.pk:06d}"}))
        services.consent_give(user=user)
    ids = batch.consenting_ids()
    today = dt.date(2025, 3, 1)
    assert batch.screen_chunk([ids[0], ids[-1]], today) == (2, 2)  # far apart: read by their keys
    assert set(Screening.objects.values_list("profile_id", flat=True)) == {ids[0], ids[-1]}
    assert batch.screen_chunk(ids[1:4], today) == (3, 3)  # a run of keys: read by range
    assert set(Screening.objects.values_list("profile_id", flat=True)) == {ids[0], ids[-1], *ids[1:4]}
    assert batch.screen_chunk([], today) == (0, 0)


def test_it_writes_nothing_for_a_profile_whose_consent_is_withdrawn_or_facts_saved_during_the_run(
        alice, monkeypatch):
    other = other_enterprise()
    for user in (alice, other):
        services.profile_update(user=user, patch=profile(PROJECT))
        services.consent_give(user=user)
    write = batch._write

    def meanwhile(changed, found, today):  # between the reading and the locking
        services.consent_withdraw(user=alice)
        services.profile_update(user=other, patch={"circumstances": {"needs_land": True}})
        return write(changed, found, today)

    monkeypatch.setattr(batch, "_write", meanwhile)
    assert batch.screen_chunk(batch.consenting_ids(), dt.date(2025, 3, 1)) == (2, 0)
    assert not Screening.objects.exists() and not Message.objects.filter(kind="match").exists()
    monkeypatch.undo()
    assert batch.screen_chunk(batch.consenting_ids(), dt.date(2025, 3, 1)) == (1, 1)  # the saved facts
    assert matches_of(other, PROJECT["code"])["4"]["status"] == "eligible"


def test_it_takes_no_lock_and_writes_nothing_when_nothing_changed(alice, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.profile_update(user=alice, patch=profile(PROJECT))
    services.consent_give(user=alice)
    ids = batch.consenting_ids()
    assert batch.screen_chunk(ids, dt.date(2025, 3, 1)) == (1, 1)
    handed = []
    write = batch._write
    monkeypatch.setattr(batch, "_write", lambda changed, *args: handed.append(changed) or write(changed, *args))
    with CaptureQueriesContext(connection) as queries:
        assert batch.screen_chunk(ids, dt.date(2025, 3, 2)) == (1, 0)
    assert handed == [[]]  # the stored screening, as read back, equals the new one: nothing to lock
    sql = [q["sql"].upper() for q in queries]  # FOR UPDATE: PostgreSQL only (SQLite has no row locks)
    assert not [q for q in sql if "FOR UPDATE" in q or q.startswith(("INSERT", "UPDATE", "DELETE"))], sql


@pytest.mark.parametrize(("patch", "field"), [
    ({"projects": {}}, "projects"), ({"projects": ""}, "projects"), ({"projects": 0}, "projects"),
    ({"projects": False}, "projects"), ({"projects": [None]}, "projects.0"), ({"projects": [PROJECT, 7]}, "projects.1"),
    ({"enterprise": "x"}, "enterprise"), ({"enterprise": []}, "enterprise"), ({"circumstances": [1]}, "circumstances"),
])
def test_it_refuses_a_value_of_the_wrong_type_and_keeps_the_profile(client, alice, patch, field):
    services.profile_update(user=alice, patch=profile(PROJECT))
    before = services.profile_facts(alice.enterprise)
    response = client.patch("/api/v1/profile", patch, content_type="application/json", **auth(alice))
    assert response.status_code == 400, response.content
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [(field, "invalid_type")]
    assert services.profile_facts(alice.enterprise) == before
    response = client.patch("/api/v1/profile", {"projects": None}, content_type="application/json", **auth(alice))
    assert response.status_code == 200 and response.json()["projects"] == []  # null removes (RFC 7396)


def test_it_names_a_duplicate_project_in_words(client, alice):
    response = client.patch("/api/v1/profile", {"projects": [PROJECT, PROJECT]}, content_type="application/json",
                            **auth(alice))
    assert response.json()["errors"][0]["message"] == "第2个项目的投资项目统一代码与画像中另一个项目重复"
    response = client.patch("/api/v1/profile", {"projects": [PROJECT] * 21}, content_type="application/json",
                            **auth(alice), HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["errors"][0]["message"] == "Projects holds more projects than a profile keeps (20)"


def test_it_asks_again_for_consent_when_the_notice_changed(alice, monkeypatch):
    services.profile_update(user=alice, patch=profile(PROJECT))
    old = services.consent_give(user=alice)
    monkeypatch.setattr(services, "CONSENT_VERSION", "2027-01-01")
    assert services.consent_in_force(alice.enterprise) is None  # a consent to another text
    assert services.screen_enterprise(alice.enterprise_id) == 0 and batch.consenting_ids() == []
    new = services.consent_give(user=alice)
    old.refresh_from_db()
    assert old.withdrawn_at is not None and new.text_version == "2027-01-01"
    assert services.consent_in_force(alice.enterprise) == new


def test_it_opens_the_same_draft_when_one_step_is_pressed_twice(client, alice):
    services.profile_update(user=alice, patch=profile(PROJECT))
    client.force_login(alice)
    first = client.post("/profile/apply/", {"project": PROJECT["code"]})["Location"]
    assert client.post("/profile/apply/", {"project": PROJECT["code"]})["Location"] == first
    assert Application.objects.count() == 1


def test_it_gives_the_heap_frozen_for_a_run_back_to_the_collector(alice):
    import gc

    services.profile_update(user=alice, patch=profile(PROJECT))
    services.consent_give(user=alice)
    assert batch.screen_profiles() == {"profiles": 1, "messages": 1}
    assert gc.get_freeze_count() == 0


def test_it_asks_for_the_grants_of_many_projects_in_parts(alice):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from applications.models import Grant

    app = submitted(alice, code="2406-630202-04-01-002345")
    Grant.objects.create(application=app, project_code=app.project_code, amount_cny="1000000.00",
                         payer_kind="park_committee")
    codes = [f"2406-630202-04-01-{n:06d}" for n in range(2500)] + ["", "2406-630202-04-01-000001"]
    with CaptureQueriesContext(connection) as queries:
        assert services.granted_codes(codes) == {"2406-630202-04-01-002345"}  # found in the third part
    assert len(queries) == 3  # 2,500 distinct codes, 1,000 a query
