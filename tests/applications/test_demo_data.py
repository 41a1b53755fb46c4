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
