"""make run's demo data: two enterprises with applications in several states."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Enterprise, User
from applications.models import Application, Grant, Notice, Objection
from funds.models import Budget, Payment
from funds.selectors import payments_of

pytestmark = pytest.mark.django_db


def test_it_loads_two_enterprises_with_applications_in_several_states_once():
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert Enterprise.objects.count() == 2
    states = set(Application.objects.values_list("state", flat=True))
    assert {"draft", "submitted", "in_review", "returned", "approved"} <= states
    assert Grant.objects.count() == 2
    assert "ledu_cloud" in out.getvalue() and "Haidong-demo-2024" in out.getvalue()
    call_command("load_demo", stdout=StringIO())
    assert Application.objects.count() == 9


def test_it_shows_notices_objections_payments_and_budgets_in_the_demo():
    call_command("load_demo", stdout=StringIO())
    today = timezone.localdate()
    assert {n.status_on(today) for n in Notice.objects.all()} == {"open", "closed", "withdrawn"}
    assert set(Objection.objects.values_list("status", flat=True)) == {"open", "dismissed", "upheld"}
    assert {u.jurisdiction for u in User.objects.filter(role="finance")} == {"park", "630203"}
    assert {payments_of(g.application).status for g in Grant.objects.all()} == {"paid", "partly_paid"}
    assert Payment.objects.count() == 3 and Budget.objects.filter(year=today.year).count() == 3
    ready = Notice.objects.get(application__state="in_notice", ends_on__lt=today)
    assert ready.application.jurisdiction == "630203"


def test_it_seeds_a_spread_of_applications_in_batches_with_a_progress_bar():
    out = StringIO()
    call_command("seed_demo", applications=250, batch=100, stdout=out)
    assert Application.objects.count() == 250
    states = set(Application.objects.values_list("state", flat=True))
    assert {"draft", "submitted", "in_review", "approved"} <= states
    assert set(Application.objects.values_list("jurisdiction", flat=True)) > {"park"}
    assert "100/250" in out.getvalue() and "250/250" in out.getvalue()
    assert Notice.objects.filter(withdrawn_at__isnull=True).count() == Application.objects.filter(
        state="in_notice").count() > 0
    assert Notice.objects.filter(withdrawn_at__isnull=False).exists() and Objection.objects.exists()
    assert Grant.objects.count() > 0 and Payment.objects.count() > 0
    assert User.objects.filter(role="finance").count() == 7 and Budget.objects.count() == 7
    queued = Application.objects.filter(in_queue=1)
    assert queued.count() == Application.objects.filter(state__in=["submitted", "in_review", "in_notice"]).count() > 0
