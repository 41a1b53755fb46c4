"""The application's state machine as data: its states and one table of what may happen from which
state, by whom. Services (`applications.transitions.transition`), the `in_queue` column, the queue
filters, the API's enums and the pages all read this table; nothing restates it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    RETURNED = "returned", _("Returned for correction")
    IN_NOTICE = "in_notice", _("In public notice")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Actor(StrEnum):
    OWNER = "owner"  # a user of the applying enterprise
    REVIEWER = "reviewer"  # a reviewer of the application's jurisdiction, or a city admin


@dataclass(frozen=True)
class Step:
    sources: tuple[State, ...]  # the states it may start from
    target: State | None  # the state it leads to; None: the state does not change (an edit)
    actor: Actor


DRAFTING = (State.DRAFT, State.RETURNED)
UNDECIDED = (State.SUBMITTED, State.IN_REVIEW)

WORKFLOW: dict[str, Step] = {
    # the enterprise (filing)
    "update": Step(DRAFTING, None, Actor.OWNER),
    "attach": Step(DRAFTING, None, Actor.OWNER),
    "submit": Step(DRAFTING, State.SUBMITTED, Actor.OWNER),
    "withdraw": Step(DRAFTING, State.WITHDRAWN, Actor.OWNER),
    # the reviewing authority (review)
    "claim": Step((State.SUBMITTED,), State.IN_REVIEW, Actor.REVIEWER),
    "release": Step((State.IN_REVIEW,), State.SUBMITTED, Actor.REVIEWER),
    "return": Step(UNDECIDED, State.RETURNED, Actor.REVIEWER),
    # 公示 (DESIGN §11): a grant is proposed and publicly noticed before it is approved; an upheld
    # objection or a withdrawn proposal brings the application back to review.
    "propose": Step(UNDECIDED, State.IN_NOTICE, Actor.REVIEWER),
    "withdraw_proposal": Step((State.IN_NOTICE,), State.IN_REVIEW, Actor.REVIEWER),
    "approve": Step((*UNDECIDED, State.IN_NOTICE), State.APPROVED, Actor.REVIEWER),
    "reject": Step(UNDECIDED, State.REJECTED, Actor.REVIEWER),
}
DECISIONS = ("approve", "reject")

# Derived from the table, for the model, the selectors and the pages.
EDITABLE_STATES: tuple[State, ...] = WORKFLOW["update"].sources
QUEUE_STATES: tuple[State, ...] = tuple(dict.fromkeys(
    s for step in WORKFLOW.values() if step.actor is Actor.REVIEWER for s in step.sources))
DECIDED_STATES: tuple[State, ...] = tuple(WORKFLOW[name].target for name in DECISIONS)


def allowed(action: str, state: str) -> bool:
    """Whether `action` may start from `state`."""
    return state in WORKFLOW[action].sources

