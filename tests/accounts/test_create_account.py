"""python manage.py create_account (DESIGN §8)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Enterprise, User
from tests.personas import APPLICANT_CODE, PASSWORD

pytestmark = pytest.mark.django_db


def create(*args):
    out = StringIO()
    call_command("create_account", *args, stdout=out)
    return out.getvalue()


def test_it_creates_an_enterprise_user_and_its_enterprise():
    out = create("alice", "--password", PASSWORD, "--role", "enterprise", "--credit-code", APPLICANT_CODE,
                 "--enterprise-name", "青海示例算力科技有限公司", "--registered-region", "630202")
    user = User.objects.get(username="alice")
    assert user.role == "enterprise" and user.enterprise.credit_code == APPLICANT_CODE
    assert user.enterprise.registered_region == "630202" and "created enterprise alice" in out
    assert user.check_password(PASSWORD)


def test_it_adds_a_second_user_to_an_existing_enterprise():
    create("alice", "--password", PASSWORD, "--role", "enterprise", "--credit-code", APPLICANT_CODE,
           "--enterprise-name", "青海示例算力科技有限公司")
    create("bob", "--password", PASSWORD, "--role", "enterprise", "--credit-code", APPLICANT_CODE)
    assert Enterprise.objects.count() == 1
    assert set(Enterprise.objects.get().users.values_list("username", flat=True)) == {"alice", "bob"}


def test_it_takes_the_region_from_the_credit_code_when_not_given():
    create("alice", "--password", PASSWORD, "--role", "enterprise", "--credit-code", APPLICANT_CODE,
           "--enterprise-name", "示例")
    assert Enterprise.objects.get().registered_region == "630202"


def test_it_creates_reviewers_and_city_admins():
    create("rev", "--password", PASSWORD, "--role", "reviewer", "--jurisdiction", "park")
    create("city", "--password", PASSWORD, "--role", "city_admin")
    assert User.objects.get(username="rev").jurisdiction == "park"
    assert User.objects.get(username="city").role == "city_admin"


def test_it_creates_finance_officers_of_one_jurisdiction():
    create("pay", "--password", PASSWORD, "--role", "finance", "--jurisdiction", "630202")
    user = User.objects.get(username="pay")
    assert (user.role, user.jurisdiction, user.is_finance, user.is_reviewer) == ("finance", "630202", True, False)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "enterprise"], "--credit-code"),
        (["--role", "enterprise", "--credit-code", "91630202MA7ABCDE10", "--enterprise-name", "x"], "credit_code"),
        (["--role", "enterprise", "--credit-code", "91630100MA7XN00014", "--enterprise-name", "x"],
         "registered_region"),
        (["--role", "reviewer"], "--jurisdiction"),
        (["--role", "finance"], "--jurisdiction"),
    ],
)
def test_it_refuses_bad_accounts_with_a_message(args, message):
    with pytest.raises(CommandError, match=message):
        create("x", "--password", PASSWORD, *args)
    assert not User.objects.exists()


def test_it_refuses_a_weak_password():
    with pytest.raises(CommandError):
        create("x", "--password", "123", "--role", "city_admin")


def test_it_enforces_the_role_shape_in_the_database():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        User.objects.create(username="half", role="enterprise")  # an enterprise user without an enterprise


def test_it_records_account_creation_in_the_audit_log():
    from audit.models import AuditEntry

    create("rev", "--password", PASSWORD, "--role", "reviewer", "--jurisdiction", "park")
    entry = AuditEntry.objects.get(action="account")
    assert entry.object_id == str(User.objects.get(username="rev").pk)
    assert (entry.note_code, entry.note_params["role"]) == ("account_created_jurisdiction", "reviewer")
