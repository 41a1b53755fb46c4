"""Fixed personas and facts for the tests (DESIGN §7): an applicant, another enterprise, a
reviewer of each jurisdiction, a city admin."""

from __future__ import annotations

import copy
import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.services import account_create
from measures.examples import EXAMPLE_FACTS

PASSWORD = "Haidong-test-2025!"
APPLICANT_CODE = "91630202MA7ABCDE1Y"  # 乐都区
NOW = dt.datetime(2025, 3, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # 2025-03-01 10:00 Shanghai

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def valid_code(first17: str) -> str:
    from measures.facts import credit_code_check_char

    return first17 + credit_code_check_char(first17)


OTHER_CODE = valid_code("91630203MA7PTHER1")  # 平安区


def applicant(username: str = "applicant"):
    return account_create(username=username, password=PASSWORD, role="enterprise", credit_code=APPLICANT_CODE,
                          enterprise_name="青海示例算力科技有限公司", email="applicant@example.com")


def other_enterprise(username: str = "other"):
    return account_create(username=username, password=PASSWORD, role="enterprise", credit_code=OTHER_CODE,
                          enterprise_name="平安云数据有限公司", email="other@example.com")


def reviewer(jurisdiction: str = "park", username: str | None = None):
    return account_create(username=username or f"reviewer_{jurisdiction}", password=PASSWORD, role="reviewer",
                          jurisdiction=jurisdiction)


def city_admin(username: str = "cityadmin"):
    return account_create(username=username, password=PASSWORD, role="city_admin")


def system_admin(username: str = "sysadmin"):
    return account_create(username=username, password=PASSWORD, role="system_admin")


def application_facts(**project_changes) -> dict:
    """The DESIGN §4 example as an application body: no as_of, a data centre in the park."""
    facts = copy.deepcopy(EXAMPLE_FACTS)
    del facts["as_of"]
    facts["project"].update(project_changes)
    return facts


def upload(name: str = "licence.pdf", content: bytes = PDF, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


REQUIRED_FOR_DATA_CENTRE = ("business_license", "project_filing", "investment_audit", "equipment_invoice",
                            "rack_acceptance")


def auth(user) -> dict:
    """The API's token header for a user."""
    from rest_framework.authtoken.models import Token

    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


def submitted(user, **project):
    """The DESIGN §4 example (a park data centre) with every attachment, submitted through the services."""
    from applications.models import Application
    from filing import services

    app = services.application_create(user=user, facts=application_facts(**project))
    for kind in REQUIRED_FOR_DATA_CENTRE:
        services.attachment_add(application_id=app.pk, user=user, kind=kind, upload=upload())
    services.application_submit(application_id=app.pk, user=user, declaration=True)
    return Application.objects.get(pk=app.pk)



def finance_officer(jurisdiction: str = "park", username: str | None = None):
    return account_create(username=username or f"finance_{jurisdiction}", password=PASSWORD, role="finance",
                          jurisdiction=jurisdiction)
