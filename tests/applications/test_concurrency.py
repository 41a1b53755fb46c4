"""Concurrent approvals on PostgreSQL (row locks and the unique grant need a real server)."""

import threading

import pytest
from django.db import connection, connections

from applications.models import Application, Grant, State
from kernel.problems import status_of
from review import services as review_services
from tests.personas import applicant, reviewer, submitted

pytestmark = pytest.mark.django_db(transaction=True)


def needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL (SQLite serialises writers): run by .ci/run")


def run_together(*calls):
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except Exception as exc:  # collected and asserted on below
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_it_grants_once_when_two_applications_for_one_project_are_approved_at_once():
    needs_postgres()
    alice, park = applicant(), reviewer("park")
    first, second = submitted(alice), submitted(alice)
    results = run_together(
        lambda: review_services.application_approve(application_id=first.pk, reviewer=park),
        lambda: review_services.application_approve(application_id=second.pk, reviewer=park),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Grant.objects.count() == 1
    assert set(Application.objects.values_list("state", flat=True)) == {State.APPROVED}
    statuses = sorted(r.outcome["measures"][3]["status"] for r in results)
    assert statuses == ["eligible", "not_eligible"]


def test_it_lets_exactly_one_of_two_simultaneous_approvals_of_one_application_through():
    needs_postgres()
    alice, park = applicant(), reviewer("park")
    app = submitted(alice)
    results = run_together(*[lambda: review_services.application_approve(application_id=app.pk, reviewer=park)] * 2)
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and status_of(errors[0]) == 409  # WrongState: the API's 409
    assert app.history.filter(to_state=State.APPROVED).count() == 1
    assert Grant.objects.count() == 1


def test_it_lets_one_of_eight_reviewers_approving_one_application_at_once_win():
    needs_postgres()
    from applications.models import Determination, NumberSeries

    alice = applicant()
    reviewers = [reviewer("park", username=f"park_{i}") for i in range(8)]
    app = submitted(alice)
    results = run_together(*[
        (lambda who=who: review_services.application_approve(application_id=app.pk, reviewer=who))
        for who in reviewers])
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 7 and {status_of(e) for e in errors} == {409}, results
    assert app.history.filter(to_state=State.APPROVED).count() == 1
    assert Determination.objects.count() == 1 and Grant.objects.count() == 1
    assert NumberSeries.objects.get(authority="park").last_serial == 1  # the losers used no number


def test_it_numbers_eight_concurrent_approvals_distinctly_and_without_gaps():
    needs_postgres()
    from pypdf import PdfReader

    from applications.models import Determination

    alice, park = applicant(), reviewer("park")
    apps = [submitted(alice, code=f"2406-630202-04-01-10000{i}") for i in range(8)]
    results = run_together(*[
        (lambda pk=a.pk: review_services.application_approve(application_id=pk, reviewer=park)) for a in apps])
    assert not [r for r in results if isinstance(r, Exception)], results
    serials = sorted(Determination.objects.values_list("serial", flat=True))
    assert serials == list(range(1, 9))
    for determination in Determination.objects.all():  # each PDF carries its own number, made again if taken
        text = "".join(page.extract_text() for page in PdfReader(determination.pdf.path).pages).replace("\n", "")
        assert determination.number in text, determination.number


def test_it_never_pays_more_than_the_amount_under_two_simultaneous_payments():
    needs_postgres()
    from decimal import Decimal

    from django.db.models import Sum
    from django.utils import timezone

    from funds import services as funds_services
    from funds.models import Payment
    from kernel.errors import Invalid
    from tests.personas import finance_officer

    alice, park, finance = applicant(), reviewer("park"), finance_officer("park")
    app = submitted(alice)
    review_services.application_approve(application_id=app.pk, reviewer=park)
    today = timezone.localdate()

    def pay(reference):
        return funds_services.payment_record(application_id=app.pk, user=finance, amount=Decimal("600000.00"),
                                             paid_on=today, reference=reference)

    results = run_together(lambda: pay("A-1"), lambda: pay("B-1"))
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], Invalid), results
    assert refused[0].errors == [{"field": "amount_cny", "code": "above_unpaid"}]
    assert Payment.objects.aggregate(total=Sum("amount_cny"))["total"] == Decimal("600000.00")
