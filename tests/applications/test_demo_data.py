"""make run's demo data: two enterprises with applications in several states."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import Enterprise
from applications.models import Application, Grant

pytestmark = pytest.mark.django_db


def test_it_loads_two_enterprises_with_applications_in_several_states_once():
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert Enterprise.objects.count() == 2
    states = set(Application.objects.values_list("state", flat=True))
    assert {"draft", "submitted", "in_review", "returned", "approved"} <= states
    assert Grant.objects.count() == 1
    assert "ledu_cloud" in out.getvalue() and "Haidong-demo-2024" in out.getvalue()
    call_command("load_demo", stdout=StringIO())
    assert Application.objects.count() == 5


def test_it_seeds_a_spread_of_applications_in_batches_with_a_progress_bar():
    out = StringIO()
    call_command("seed_demo", applications=250, batch=100, stdout=out)
    assert Application.objects.count() == 250
    states = set(Application.objects.values_list("state", flat=True))
    assert {"draft", "submitted", "in_review", "approved"} <= states
    assert set(Application.objects.values_list("jurisdiction", flat=True)) > {"park"}
    assert "100/250" in out.getvalue() and "250/250" in out.getvalue()
    queued = Application.objects.filter(in_queue=1)
    assert queued.count() == Application.objects.filter(state__in=["submitted", "in_review"]).count() > 0
