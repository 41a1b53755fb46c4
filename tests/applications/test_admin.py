"""The Django admin: city admins manage accounts; determinations and audit entries are read-only."""

import pytest

from applications.models import Determination
from audit.models import AuditEntry
from filing import services
from review import services as review_services
from tests.personas import REQUIRED_FOR_DATA_CENTRE, applicant, application_facts, city_admin, reviewer, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def determination():
    alice = applicant()
    app = services.application_create(user=alice, facts=application_facts())
    for kind in REQUIRED_FOR_DATA_CENTRE:
        services.attachment_add(application_id=app.pk, user=alice, kind=kind, upload=upload())
    services.application_submit(application_id=app.pk, user=alice, declaration=True)
    review_services.application_approve(application_id=app.pk, reviewer=reviewer("park"))
    return Determination.objects.get()


def test_it_lets_city_admins_into_the_admin_but_not_reviewers(client):
    client.force_login(reviewer("park"))
    assert client.get("/admin/").status_code == 302
    client.force_login(city_admin())
    assert client.get("/admin/accounts/user/").status_code == 200


def test_it_shows_determinations_and_audit_entries_read_only(client, determination):
    client.force_login(city_admin())
    det_url = f"/admin/applications/determination/{determination.pk}/change/"
    page = client.get(det_url)
    assert page.status_code == 200 and b'name="number"' not in page.content  # no editable field
    assert client.post(det_url, {"number": "X"}).status_code == 403
    assert client.post(f"/admin/applications/determination/{determination.pk}/delete/", {"post": "yes"}).status_code \
        == 403
    entry = AuditEntry.objects.first()
    assert client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    assert Determination.objects.get().number == determination.number and AuditEntry.objects.filter(pk=entry.pk)
