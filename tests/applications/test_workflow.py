"""The state machine as data (applications/workflow.py): the table, what is derived from it, and
the database column that must agree with it."""

import pytest

from applications.models import Application
from applications.workflow import (
    DECIDED_STATES,
    EDITABLE_STATES,
    QUEUE_STATES,
    WORKFLOW,
    Actor,
    State,
    allowed,
)
from filing import services
from tests.personas import application_facts

# The whole table, written out once here so that a change to it is a deliberate change to a test.
EXPECTED = {
    "update": ({"draft", "returned"}, None, Actor.OWNER),
    "attach": ({"draft", "returned"}, None, Actor.OWNER),
    "submit": ({"draft", "returned"}, "submitted", Actor.OWNER),
    "withdraw": ({"draft", "returned"}, "withdrawn", Actor.OWNER),
    "claim": ({"submitted"}, "in_review", Actor.REVIEWER),
    "release": ({"in_review"}, "submitted", Actor.REVIEWER),
    "return": ({"submitted", "in_review"}, "returned", Actor.REVIEWER),
    "propose": ({"submitted", "in_review"}, "in_notice", Actor.REVIEWER),
    "withdraw_proposal": ({"in_notice"}, "in_review", Actor.REVIEWER),
    "approve": ({"submitted", "in_review", "in_notice"}, "approved", Actor.REVIEWER),
    "reject": ({"submitted", "in_review"}, "rejected", Actor.REVIEWER),
}


def test_it_holds_every_action_of_the_workflow():
    assert {name: (set(s.sources), s.target, s.actor) for name, s in WORKFLOW.items()} == EXPECTED


def test_it_derives_the_editable_queue_and_decided_states_from_the_table():
    assert set(EDITABLE_STATES) == {"draft", "returned"}
    assert set(QUEUE_STATES) == {"submitted", "in_review", "in_notice"}
    assert set(DECIDED_STATES) == {"approved", "rejected"}


@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("state", State.values)
def test_it_allows_an_action_only_from_its_source_states(action, state):
    assert allowed(action, state) is (state in EXPECTED[action][0])


def test_it_leaves_no_state_unreachable_but_the_first():
    targets = {s.target for s in WORKFLOW.values()} - {None}
    assert set(State.values) - targets == {"draft"}


@pytest.mark.django_db
@pytest.mark.parametrize("state", State.values)
def test_it_computes_in_queue_in_the_database_from_the_same_table(alice, state):
    app = services.application_create(user=alice, facts=application_facts())
    Application.objects.filter(pk=app.pk).update(state=state)
    assert Application.objects.get(pk=app.pk).in_queue == (1 if state in QUEUE_STATES else 0)
