"""API fuzzing (issue 6, item 3): schemathesis generates requests from our own OpenAPI document
(/api/v1/schema) and sends them to the app in-process: anonymously, with an enterprise token, with
a reviewer token, and with a token that is not (or no longer) valid. Every response must be free of
5xx, have a documented status code and content type and conform to the documented schema; every
4xx must be application/problem+json of the DESIGN §4 shape. A bounded, derandomized number of
examples per operation keeps the run short and repeatable.

Applications exist in every state (with attachments and determinations), so path parameters that
land on small ids reach real objects. Each operation starts from that same world (its changes are
rolled back after it); within an operation the fuzzed requests may move applications on (claim,
approve, withdraw, …), which is intended: later examples meet the states the earlier ones left."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test.utils import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import User
from applications.models import Attachment, AttachmentKind, Determination, Evaluation, Notice, Objection, State
from filing import services
from filing.schemas import ApplicationState, EvaluationKind
from filing.schemas import AttachmentKind as AttachmentKindOut
from funds import services as funds_services
from notices import services as notices_services
from review import services as review_services
from tests.personas import (
    REQUIRED_FOR_DATA_CENTRE,
    applicant,
    application_facts,
    city_admin,
    finance_officer,
    reviewer,
    upload,
)

MAX_EXAMPLES = 50
PROBLEM_JSON = "application/problem+json"

pytestmark = pytest.mark.django_db


def problem_json_on_4xx(ctx, response, case):
    """DESIGN §4/§8: every client error is application/problem+json with type, title, status,
    detail and, for field errors, errors: [{field, code, message}]."""
    if not 400 <= response.status_code < 500:
        return None
    content_type = (response.headers.get("content-type") or [""])[0].split(";")[0].strip()
    assert content_type == PROBLEM_JSON, f"{response.status_code} with Content-Type {content_type!r}"
    body = json.loads(response.content)
    assert isinstance(body, dict), body
    for key in ("type", "title", "detail"):
        assert isinstance(body.get(key), str) and body[key], f"problem without {key}: {body}"
    assert body.get("status") == response.status_code, f"problem status {body.get('status')} on a {response.status_code}"
    assert set(body) <= {"type", "title", "status", "detail", "code", "errors"}, f"unexpected problem members: {body}"
    if "code" in body:
        assert response.status_code == 409 and isinstance(body["code"], str) and body["code"], body
    if "errors" in body:
        assert isinstance(body["errors"], list) and body["errors"], body
        for error in body["errors"]:
            assert set(error) == {"field", "code", "message"}, error
            # `field` is the dotted path of what was sent: an unknown key "" is named as it is.
            assert isinstance(error["field"], str), error
            assert isinstance(error["code"], str) and error["code"], error
            assert isinstance(error["message"], str) and error["message"], error
    return True


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          problem_json_on_4xx]

# Loaded at collection (pytest-django has set Django up by then): generating the document needs no
# database, and the same application object then serves the fuzzed requests.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema?format=json", get_wsgi_application())
# The documented examples, then MAX_EXAMPLES generated cases (valid and invalid) per operation. The
# coverage phase is left out: it sends every boundary of every facts field (thousands of requests
# for the facts bodies alone), which is for a manual `schemathesis run`, not for each suite run.
schema.config.phases.update(phases=["examples", "fuzzing"])
# Ids of what the world holds, by path parameter. Generated ids seldom name a real object; half of
# the generated path parameters are swapped for real ones (any combination, so also another's).
KNOWN: dict[str, list[str]] = {}


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    real = {name: st.sampled_from(KNOWN[name]) for name in path_parameters or {} if KNOWN.get(name)}
    if not real:
        return st.just(path_parameters)
    return st.one_of(st.just(path_parameters),
                     st.fixed_dictionaries(real).map(lambda picked: {**path_parameters, **picked}))


FUZZ = settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))

# One application in each state, owned by the applicant, in the park reviewer's jurisdiction.
STEPS = {
    "draft": (), "submitted": ("submit",), "in_review": ("submit", "claim"),
    "returned": ("submit", "claim", "return"), "in_notice": ("submit", "propose"),
    "approved": ("submit", "approve", "pay"), "rejected": ("submit", "reject"), "withdrawn": ("withdraw",),
}


def _application(owner, park, code: str, steps: tuple[str, ...]):
    app = services.application_create(user=owner, facts=application_facts(code=code))
    for kind in REQUIRED_FOR_DATA_CENTRE:
        services.attachment_add(application_id=app.pk, user=owner, kind=kind, upload=upload())
    for step in steps:
        if step == "submit":
            services.application_submit(application_id=app.pk, user=owner, declaration=True)
        elif step == "withdraw":
            services.application_withdraw(application_id=app.pk, user=owner)
        elif step == "claim":
            review_services.application_claim(application_id=app.pk, reviewer=park)
        elif step == "return":
            review_services.application_return(application_id=app.pk, reviewer=park, note="请补充材料")
        elif step == "approve":
            review_services.application_approve(application_id=app.pk, reviewer=park, note="同意")
        elif step == "propose":
            with override_settings(PUBLIC_NOTICE_WORKING_DAYS=5):
                notice = review_services.application_propose(application_id=app.pk, reviewer=park)
            notices_services.objection_submit(notice_id=notice.pk, name="张三", contact="zhangsan@example.com",
                                              text="异议")
        elif step == "pay":
            funds_services.payment_record(application_id=app.pk, user=finance_officer("park"),
                                          amount=Decimal("100000.00"), paid_on=timezone.localdate(), reference="凭证1")
        elif step == "reject":
            review_services.application_reject(application_id=app.pk, reviewer=park, note="不予支持")
    return app


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module (determinations render PDFs) in a transaction rolled back at its
    end; each test's own transaction nests inside it."""
    media = tmp_path_factory.mktemp("fuzz-media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast,
                                                       PUBLIC_NOTICE_WORKING_DAYS=0), transaction.atomic():
        alice, park = applicant(), reviewer("park")
        apps = {state: _application(alice, park, f"2406-630202-04-01-5321{n:02d}", steps)
                for n, (state, steps) in enumerate(STEPS.items())}
        for app in apps.values():
            app.refresh_from_db()
        assert {state: app.state for state, app in apps.items()} == {s: s for s in STEPS}
        KNOWN.update({
            "application_id": [str(app.pk) for app in apps.values()],
            "attachment_id": [str(pk) for pk in Attachment.objects.values_list("pk", flat=True)],
            "code": list(Determination.objects.values_list("verification_code", flat=True)),
            "notice_id": [str(pk) for pk in Notice.objects.values_list("pk", flat=True)],
            "objection_id": [str(pk) for pk in Objection.objects.values_list("pk", flat=True)],
            "payer": ["park", "630202"], "year": ["2025"],
        })
        yield {"enterprise": alice, "reviewer": park, "media": media,
               "finance": User.objects.get(username="finance_park"), "city_admin": city_admin()}
        KNOWN.clear()
        transaction.set_rollback(True)


@pytest.fixture
def fuzz_world(world, settings):
    """The world's files, and throttles out of the way (only the rates change) so that throttling
    does not hide what the operations do. As in Django's test client, requests do not close the
    database connection (that would end the test's transaction: on PostgreSQL, the connection)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    settings.MEDIA_ROOT = world["media"]
    rest = dict(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"] = {**rest["DEFAULT_THROTTLE_RATES"], "eligibility_anon": "100000/min",
                                      "eligibility_user": "100000/min", "verify": "100000/min",
                                      "objection": "100000/min"}
    settings.REST_FRAMEWORK = rest
    yield world
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _token(user) -> dict:
    return {"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


@schema.parametrize()
@FUZZ
def test_anonymous(case, fuzz_world):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_unknown_token(case, fuzz_world):
    # A revoked or mistyped token: 401 wherever it is sent, also where anonymous use is allowed.
    case.call_and_validate(headers={"Authorization": "Token " + "0" * 40}, checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_enterprise(case, fuzz_world):
    case.call_and_validate(headers=_token(fuzz_world["enterprise"]), checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_reviewer(case, fuzz_world):
    case.call_and_validate(headers=_token(fuzz_world["reviewer"]), checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_finance(case, fuzz_world):
    case.call_and_validate(headers=_token(fuzz_world["finance"]), checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_city_admin(case, fuzz_world):
    case.call_and_validate(headers=_token(fuzz_world["city_admin"]), checks=CHECKS)


def test_the_documented_enums_are_the_models_choices():
    # filing/schemas.py spells them out for the OpenAPI document: they must not drift.
    assert {e.value for e in ApplicationState} == set(State.values)
    assert {e.value for e in AttachmentKindOut} == set(AttachmentKind.values)
    assert {e.value for e in EvaluationKind} == set(Evaluation.Kind.values)

