"""The Django admin (separation of duties, issue 10 row 14): only system admins get in, for accounts
only; nobody is a superuser, and the database refuses a role with the wrong staff flags."""

import pytest
from django.db import IntegrityError, transaction

from accounts.models import User
from applications.models import Determination
from audit.models import AuditEntry
from review import services as review_services
from tests.personas import applicant, city_admin, reviewer, submitted, system_admin

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def determination():
    app = submitted(applicant())
    review_services.application_approve(application_id=app.pk, reviewer=reviewer("park"))
    return Determination.objects.get()


def test_it_lets_only_system_admins_into_the_admin(client):
    for user in (reviewer("park"), city_admin(), applicant()):
        client.force_login(user)
        assert client.get("/admin/").status_code == 302, user.role
        assert client.get("/admin/accounts/user/").status_code == 302, user.role
    client.force_login(system_admin())
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/accounts/enterprise/").status_code == 200


def test_it_shows_system_admins_no_application_data(client, determination):
    client.force_login(system_admin())
    page = client.get("/admin/")
    assert page.status_code == 200
    assert b"determination" not in page.content.lower() and b"auditentry" not in page.content.lower()
    assert client.get(f"/admin/applications/determination/{determination.pk}/change/").status_code == 404
    assert client.get("/admin/audit/auditentry/").status_code == 404
    assert client.get("/admin/auth/group/").status_code == 404


def test_it_brands_the_admin_and_names_its_models_in_the_readers_language(client):
    client.force_login(system_admin())
    html = client.get("/admin/").content.decode()
    assert "海东市绿色算力产业政策服务 · 账户管理" in html and "Django" not in html
    assert "账户" in html and "企业" in html and "Accounts" not in html and "Enterprises" not in html
    client.cookies["django_language"] = "en"
    html = client.get("/admin/").content.decode()
    assert "Haidong Green Computing Policy Service · Accounts" in html and "Enterprises" in html
    assert "账户" not in html


def test_it_makes_nobody_a_superuser():
    users = [applicant(), reviewer("park"), city_admin(), system_admin()]
    assert [(u.role, u.is_staff, u.is_superuser) for u in users] == [
        ("enterprise", False, False), ("reviewer", False, False), ("city_admin", False, False),
        ("system_admin", True, False)]


@pytest.mark.parametrize(("role", "change"), [
    ("reviewer", {"is_superuser": True}), ("reviewer", {"is_staff": True}), ("city_admin", {"is_staff": True}),
    ("city_admin", {"is_superuser": True}), ("system_admin", {"is_superuser": True}),
    ("system_admin", {"is_staff": False}),
])
def test_it_refuses_staff_flags_that_do_not_fit_the_role_in_the_database(role, change):
    user = {"reviewer": lambda: reviewer("park"), "city_admin": city_admin, "system_admin": system_admin}[role]()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=user.pk).update(**change)


def test_it_cannot_turn_a_reviewer_into_a_superuser_through_the_admin(client):
    victim = reviewer("park")
    client.force_login(system_admin())
    page = client.get(f"/admin/accounts/user/{victim.pk}/change/")
    assert page.status_code == 200 and b'name="is_superuser"' not in page.content and b'name="is_staff"' not in page.content
    client.post(f"/admin/accounts/user/{victim.pk}/change/", {
        "username": victim.username, "role": "reviewer", "jurisdiction": "park", "is_active": "on",
        "is_superuser": "on", "is_staff": "on", "last_login_0": "", "date_joined_0": "2025-03-01"})
    victim.refresh_from_db()
    assert (victim.is_superuser, victim.is_staff) == (False, False)


def test_it_audits_account_changes_made_in_the_admin(client):
    victim = reviewer("park")
    admin = system_admin()
    client.force_login(admin)
    r = client.post(f"/admin/accounts/user/{victim.pk}/change/", {
        "username": victim.username, "role": "reviewer", "jurisdiction": "630202", "is_active": "on",
        "email": "", "phone": "", "first_name": "", "last_name": ""})
    assert r.status_code == 302, r.content.decode()[:2000]
    victim.refresh_from_db()
    assert victim.jurisdiction == "630202"
    entry = AuditEntry.objects.filter(actor=admin).latest("at")
    assert entry.note_code == "admin_account_changed" and "jurisdiction" in entry.note_params["fields"]


def test_it_sends_a_system_admin_from_the_sign_in_to_the_admin(client):
    client.force_login(system_admin())
    assert client.get("/applications/")["Location"] == "/admin/"
