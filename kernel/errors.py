"""The domain errors: what services and selectors raise when they refuse. No HTTP in here.

The API maps them to problem+json in one place (`kernel.problems.exception_handler`: 404, 403, 409,
400 as DESIGN §8, and 503 for `Unavailable`); the pages in one place too (`kernel.pages`: a 404
page, a 403 page, a message and a redirect to the object, the errors beside the fields of the bound
form, or a message and the same page again).
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of the four refusals; `detail` is for people, already in the request's language."""

    def __init__(self, detail: str = ""):
        super().__init__(detail)
        self.detail = detail


class NotFound(DomainError):
    """It does not exist, or the user may not know that it does."""


class NotAllowed(DomainError):
    """The user may see it, but not do this with it."""


class WrongState(DomainError):
    """Not possible from the object's current state; nothing was changed."""

    def __init__(self, detail: str, *, state: str, state_label: str, object_id: int | None = None,
                 code: str = ""):
        super().__init__(detail)
        self.code = code  # why, when the state alone does not say (e.g. notice_required), for clients
        self.state = state
        self.state_label = state_label  # in the request's language
        self.object_id = object_id


class Unavailable(DomainError):
    """A store the action needs cannot be written now (the media store full or read-only); nothing
    was changed, and trying again later may work."""


class Invalid(DomainError):
    """Bad input: one `{"field", "code"}` per bad field (DESIGN §4), or only a detail when no
    single field is at fault."""

    def __init__(self, errors: list[dict[str, str]] | None = None, detail: str = "invalid input"):
        super().__init__(detail)
        self.errors = errors
