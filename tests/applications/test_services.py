"""The application state machine (DESIGN §5): every transition allowed and refused, its history,
submission requirements, and the one-time grant of 第4条."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from applications.evaluations import evaluate_application
from applications.models import Application, Grant, State, Transition
from filing import services
from kernel.errors import DomainError
from kernel.problems import status_of
from review import services as review_services
from tests.personas import (
    REQUIRED_FOR_DATA_CENTRE,
    application_facts,
    city_admin,
    other_enterprise,
    reviewer,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def draft(user, **project) -> Application:
    return services.application_create(user=user, facts=application_facts(**project))


def complete(user, **project) -> Application:
    app = draft(user, **project)
    for kind in REQUIRED_FOR_DATA_CENTRE:
        services.attachment_add(application_id=app.pk, user=user, kind=kind, upload=upload())
    return app


def submitted(user, **project) -> Application:
    app = complete(user, **project)
    services.application_submit(application_id=app.pk, user=user, declaration=True)
    return Application.objects.get(pk=app.pk)


def states(app) -> list[tuple[str, str]]:
    return [(t.from_state, t.to_state) for t in Transition.objects.filter(application=app)]


def refused(status, fn, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as exc:
        fn(**kwargs)
    assert status_of(exc.value) == status, exc.value.detail  # the status the API answers with
    return exc.value


def test_it_creates_a_draft_in_the_jurisdiction_of_the_project(alice):
    app = draft(alice)
    assert (app.state, app.jurisdiction, app.project_code) == ("draft", "park", "2406-630202-04-01-532198")
    assert states(app) == [("", "draft")]
    outside = draft(alice, in_industrial_park=False, region="632126")  # old 互助 code
    assert outside.jurisdiction == "630223"


def test_it_takes_the_enterprise_identity_from_the_account(alice):
    facts = application_facts()
    facts["enterprise"].update(name="冒名公司", registered_region="630225")
    app = services.application_create(user=alice, facts=facts)
    assert app.facts["enterprise"]["name"] == "青海示例算力科技有限公司"
    assert app.facts["enterprise"]["registered_region"] == alice.enterprise.registered_region


def test_it_refuses_facts_naming_another_enterprise(alice):
    facts = application_facts()
    facts["enterprise"]["credit_code"] = other_enterprise().enterprise.credit_code
    error = refused(400, services.application_create, user=alice, facts=facts)
    assert error.errors == [{"field": "enterprise.credit_code", "code": "not_your_enterprise"}]


def test_it_refuses_bad_facts_naming_each_field(alice):
    facts = application_facts(equipment_investment_cny="-1", kind="rebuild")
    facts["as_of"] = "2025-03-01"
    error = refused(400, services.application_create, user=alice, facts=facts)
    assert {e["field"] for e in error.errors} == {"as_of"}
    del facts["as_of"]
    error = refused(400, services.application_create, user=alice, facts=facts)
    assert {e["field"] for e in error.errors} == {"project.equipment_investment_cny", "project.kind"}


def test_it_merge_patches_the_facts_of_a_draft(alice):
    app = draft(alice)
    services.application_update(application_id=app.pk, user=alice,
                                patch={"project": {"in_industrial_park": False, "name": None}})
    app.refresh_from_db()
    assert app.facts["project"]["in_industrial_park"] is False
    assert "name" not in app.facts["project"]
    assert app.jurisdiction == "630202"
    assert app.facts["project"]["standard_racks"] == 1200


def test_it_refuses_submission_naming_each_missing_fact_and_attachment(alice):
    facts = application_facts()
    del facts["project"]["equipment_investment_cny"]
    del facts["enterprise"]["sectors"]
    app = services.application_create(user=alice, facts=facts)
    services.attachment_add(application_id=app.pk, user=alice, kind="business_license", upload=upload())
    error = refused(400, services.application_submit, application_id=app.pk, user=alice, declaration=False)
    fields = [e["field"] for e in error.errors]
    assert {"enterprise.sectors", "project.equipment_investment_cny", "declaration",
            "attachments.project_filing", "attachments.investment_audit", "attachments.equipment_invoice",
            "attachments.rack_acceptance"} == set(fields)
    assert "attachments.business_license" not in fields
    assert Application.objects.get(pk=app.pk).state == State.DRAFT


def test_it_needs_only_the_business_licence_without_a_project(alice):
    facts = application_facts()
    del facts["project"]
    app = services.application_create(user=alice, facts=facts)
    services.attachment_add(application_id=app.pk, user=alice, kind="business_license", upload=upload())
    evaluation = services.application_submit(application_id=app.pk, user=alice, declaration=True)
    assert evaluation.outcome["measures"][3]["status"] == "not_applicable"


def test_it_submits_and_freezes_the_evaluation(alice):
    app = submitted(alice)
    assert app.state == State.SUBMITTED
    assert states(app) == [("", "draft"), ("draft", "submitted")]
    evaluation = app.evaluations.get()
    assert evaluation.outcome["measures"][3]["amount_cny"] == "1000000.00"
    assert evaluation.outcome_en["measures"][3]["reasons"][0]["message"].startswith("Project category")
    assert evaluation.as_of.isoformat() == "2025-03-01"
    assert evaluation.facts == app.facts
    assert evaluation.total_amount_cny == Decimal("1000000.00")
    assert [w["code"] for w in evaluation.outcome["warnings"]] == []  # the one-time rule was checked


def test_it_refuses_transitions_the_state_does_not_allow(alice, park_reviewer):
    app = submitted(alice)
    refused(409, services.application_submit, application_id=app.pk, user=alice, declaration=True)
    refused(409, services.application_withdraw, application_id=app.pk, user=alice)
    refused(409, services.application_update, application_id=app.pk, user=alice, patch={})
    refused(409, services.attachment_add, application_id=app.pk, user=alice, kind="business_license",
            upload=upload())
    review_services.application_claim(application_id=app.pk, reviewer=park_reviewer)
    refused(409, review_services.application_claim, application_id=app.pk, reviewer=park_reviewer)
    review_services.application_approve(application_id=app.pk, reviewer=park_reviewer)
    for fn in (review_services.application_return, review_services.application_reject):
        refused(409, fn, application_id=app.pk, reviewer=park_reviewer, note="x")
    refused(409, review_services.application_approve, application_id=app.pk, reviewer=park_reviewer)
    assert states(app) == [("", "draft"), ("draft", "submitted"), ("submitted", "in_review"),
                           ("in_review", "approved")]


def test_it_returns_for_correction_and_takes_the_corrected_submission(alice, park_reviewer):
    app = submitted(alice)
    refused(400, review_services.application_return, application_id=app.pk, reviewer=park_reviewer, note=" ")
    review_services.application_return(application_id=app.pk, reviewer=park_reviewer, note="请补充设备发票")
    services.application_update(application_id=app.pk, user=alice, patch={"project": {"standard_racks": 1300}})
    services.attachment_add(application_id=app.pk, user=alice, kind="equipment_invoice", upload=upload("new.pdf"))
    services.application_submit(application_id=app.pk, user=alice, declaration=True)
    app.refresh_from_db()
    assert states(app)[-2:] == [("submitted", "returned"), ("returned", "submitted")]
    assert Transition.objects.get(application=app, to_state="returned").note == "请补充设备发票"
    assert app.evaluations.count() == 2  # history kept: one frozen evaluation per submission
    invoices = app.attachments.filter(kind="equipment_invoice")
    assert invoices.count() == 2 and invoices.filter(superseded_at__isnull=True).count() == 1


def test_it_withdraws_from_draft_and_from_returned(alice, park_reviewer):
    app = draft(alice)
    services.application_withdraw(application_id=app.pk, user=alice)
    other = submitted(alice)
    review_services.application_return(application_id=other.pk, reviewer=park_reviewer, note="请更正")
    services.application_withdraw(application_id=other.pk, user=alice)
    assert {Application.objects.get(pk=pk).state for pk in (app.pk, other.pk)} == {"withdrawn"}
    refused(409, services.application_update, application_id=app.pk, user=alice, patch={})


def test_it_rejects_with_a_required_note(alice, park_reviewer):
    app = submitted(alice)
    refused(400, review_services.application_reject, application_id=app.pk, reviewer=park_reviewer, note="")
    review_services.application_reject(application_id=app.pk, reviewer=park_reviewer, note="不在适用范围")
    app.refresh_from_db()
    assert app.state == State.REJECTED and app.decided_at is not None
    assert not Grant.objects.exists()


def test_it_approves_with_a_lower_recognised_investment(alice, park_reviewer):
    app = submitted(alice, equipment_investment_cny="600000000.00")
    refused(400, review_services.application_approve, application_id=app.pk, reviewer=park_reviewer,
            recognized_investment=Decimal("600000000.01"))
    evaluation = review_services.application_approve(application_id=app.pk, reviewer=park_reviewer,
                                              recognized_investment=Decimal("450000000.00"))
    assert evaluation.outcome["measures"][3]["amount_cny"] == "1000000.00"
    assert evaluation.recognized_investment_cny == Decimal("450000000.00")
    assert Grant.objects.get().amount_cny == Decimal("1000000.00")


def test_it_grants_measure_4_once_per_project_code(alice, park_reviewer):
    first, second = submitted(alice), submitted(alice)
    review_services.application_approve(application_id=first.pk, reviewer=park_reviewer)
    evaluation = review_services.application_approve(application_id=second.pk, reviewer=park_reviewer)
    m4 = evaluation.outcome["measures"][3]
    assert (m4["status"], m4["amount_cny"]) == ("not_eligible", None)
    assert "already_granted" in [r["code"] for r in m4["reasons"]]
    assert Application.objects.get(pk=second.pk).state == State.APPROVED  # the other findings stand
    assert Grant.objects.get().application_id == first.pk


def test_it_evaluates_a_granted_project_code_as_already_granted(alice, park_reviewer):
    review_services.application_approve(application_id=submitted(alice).pk, reviewer=park_reviewer)
    app = draft(alice)
    outcome = evaluate_application(app).outcome
    assert outcome["measures"][3]["status"] == "not_eligible"
    assert [r["code"] for r in outcome["measures"][3]["reasons"] if r["passed"] is False] == ["already_granted"]


def test_it_enforces_the_one_time_grant_in_the_database(alice, park_reviewer):
    first, second = submitted(alice), submitted(alice)
    Grant.objects.create(application=first, project_code=first.project_code, amount_cny=Decimal("1000000.00"),
                         payer_kind="park_committee")
    with pytest.raises(IntegrityError), transaction.atomic():
        Grant.objects.create(application=second, project_code=second.project_code,
                             amount_cny=Decimal("1000000.00"), payer_kind="park_committee")


def test_it_approves_cleanly_when_another_approval_took_the_grant_first(alice, park_reviewer, monkeypatch):
    first, second = submitted(alice), submitted(alice)
    review_services.application_approve(application_id=first.pk, reviewer=park_reviewer)
    # The race: the second approval's lookup ran before the first grant was committed.
    monkeypatch.setattr("applications.evaluations.project_already_granted", lambda *a, **k: False)
    evaluation = review_services.application_approve(application_id=second.pk, reviewer=park_reviewer)
    assert evaluation.outcome["measures"][3]["status"] == "not_eligible"
    assert Grant.objects.count() == 1
    assert Application.objects.get(pk=second.pk).state == State.APPROVED


def test_it_lets_only_the_owner_act_as_the_enterprise(alice, park_reviewer):
    app = draft(alice)
    intruder = other_enterprise()
    refused(404, services.application_update, application_id=app.pk, user=intruder, patch={})
    refused(404, services.application_submit, application_id=app.pk, user=intruder, declaration=True)
    refused(404, services.application_withdraw, application_id=app.pk, user=intruder)
    refused(404, services.attachment_add, application_id=app.pk, user=intruder, kind="business_license",
            upload=upload())
    refused(404, review_services.application_claim, application_id=app.pk, reviewer=park_reviewer)  # drafts are private
    submitted_app = submitted(alice)
    refused(403, services.application_withdraw, application_id=submitted_app.pk, user=park_reviewer)


def test_it_lets_only_reviewers_of_the_jurisdiction_and_city_admins_decide(alice):
    app = submitted(alice)  # park
    refused(404, review_services.application_claim, application_id=app.pk, reviewer=reviewer("630202"))
    refused(403, review_services.application_claim, application_id=app.pk, reviewer=alice)
    review_services.application_claim(application_id=app.pk, reviewer=city_admin())


def test_it_refuses_a_file_that_only_claims_to_be_a_pdf(alice):
    app = draft(alice)
    error = refused(400, services.attachment_add, application_id=app.pk, user=alice, kind="business_license",
                    upload=upload("licence.pdf", b"<html>not a pdf</html>"))
    assert error.errors == [{"field": "file", "code": "unsupported_type"}]


def test_it_refuses_a_file_over_20_mb(alice):
    app = draft(alice)
    big = upload("big.pdf", b"%PDF-1.4\n" + b"0" * (21 * 1024 * 1024))
    error = refused(400, services.attachment_add, application_id=app.pk, user=alice, kind="business_license",
                    upload=big)
    assert error.errors == [{"field": "file", "code": "file_too_large"}]


def test_it_stores_files_under_a_random_name_with_their_digest(alice, settings):
    app = draft(alice)
    attachment = services.attachment_add(application_id=app.pk, user=alice, kind="business_license",
                                         upload=upload("营业执照 final.pdf"))
    assert attachment.original_name == "营业执照 final.pdf"
    assert "营业执照" not in attachment.file.name and attachment.file.name.endswith(".pdf")
    assert attachment.file.path.startswith(str(settings.MEDIA_ROOT))
    assert attachment.size == len(attachment.file.open("rb").read())
    assert len(attachment.sha256) == 64 and attachment.content_type == "application/pdf"


@pytest.mark.parametrize("final", ["withdrawn", "rejected", "approved"])
def test_it_refuses_every_enterprise_action_once_decided_or_withdrawn(alice, park_reviewer, final):
    app = draft(alice) if final == "withdrawn" else submitted(alice)
    if final == "withdrawn":
        services.application_withdraw(application_id=app.pk, user=alice, note="不再申请")
    elif final == "rejected":
        review_services.application_reject(application_id=app.pk, reviewer=park_reviewer, note="不符合")
    else:
        review_services.application_approve(application_id=app.pk, reviewer=park_reviewer)
    refused(409, services.application_submit, application_id=app.pk, user=alice, declaration=True)
    refused(409, services.application_withdraw, application_id=app.pk, user=alice)
    refused(409, services.application_update, application_id=app.pk, user=alice, patch={})
    refused(409, services.attachment_add, application_id=app.pk, user=alice, kind="business_license",
            upload=upload())
    last = Transition.objects.filter(application=app).last()
    assert last.to_state == final and (last.note or final == "approved")


def test_it_refuses_enterprise_actions_while_in_review_and_claims_while_returned(alice, park_reviewer):
    app = submitted(alice)
    review_services.application_claim(application_id=app.pk, reviewer=park_reviewer)
    refused(409, services.application_submit, application_id=app.pk, user=alice, declaration=True)
    refused(409, services.application_withdraw, application_id=app.pk, user=alice)
    review_services.application_return(application_id=app.pk, reviewer=park_reviewer, note="请补充")
    for fn in (review_services.application_claim, review_services.application_release):
        refused(409, fn, application_id=app.pk, reviewer=park_reviewer)
    refused(409, review_services.application_approve, application_id=app.pk, reviewer=park_reviewer)


def test_it_judges_an_application_on_its_filing_date_not_the_decision_date(alice, park_reviewer, time_machine):
    # DESIGN §9: filed on the last day the measures are in force, decided three days later.
    time_machine.move_to(dt.datetime(2029, 6, 30, 16, 0, tzinfo=SHANGHAI), tick=False)
    app = submitted(alice)
    assert app.evaluations.get().outcome["in_force"] is True
    time_machine.move_to(dt.datetime(2029, 7, 3, 10, 0, tzinfo=SHANGHAI), tick=False)
    evaluation = review_services.application_approve(application_id=app.pk, reviewer=park_reviewer)
    assert evaluation.as_of == dt.date(2029, 6, 30) and evaluation.outcome["in_force"] is True
    assert evaluation.result.measure(4).status == "eligible"
    assert Grant.objects.get(application=app).amount_cny == Decimal("1000000.00")
    assert app.determination.issued_on == dt.date(2029, 7, 3)
