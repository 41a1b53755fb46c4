"""The one adapter from domain errors (kernel.errors) to pages. Page views call services and let
refusals pass through; no view branches on an error type or a status.

- `domain_errors(object_url, wrong_state)`, a view decorator: `NotFound` → the 404 page,
  `NotAllowed` → the 403 page, `WrongState` → a message and a redirect to the object's page.
- `invalid_into(form, lang)`, a context manager: `Invalid` (or the core's `FactsError`) raised
  inside → its errors beside the bound form's fields; the view goes on to render the form again.
- `describe(exc, lang)`: one line for people, where one page reports on many calls (batches).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps

from django import forms
from django.contrib import messages as notices
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kernel.errors import DomainError, Invalid, NotAllowed, NotFound, Unavailable, WrongState
from kernel.forms import field_for_path
from measures import messages
from measures.facts import FactsError


def throttled(request: HttpRequest, throttle, detail: str) -> HttpResponse | None:
    """None when `throttle` lets the request through; else the 429 page with Retry-After, `detail`
    saying the wait in minutes (`%(minutes)s`). Counts only the requests it is asked about."""
    if throttle.allow_request(request, None):
        return None
    wait = round(throttle.wait() or 60)
    response = render(request, "429.html", {"detail": detail % {"minutes": max(1, round(wait / 60))}}, status=429)
    response["Retry-After"] = str(wait)
    return response


def nothing_changed() -> str:
    return _("Nothing was changed.")


def domain_errors(object_url: str, wrong_state: str, level: int = notices.ERROR) -> Callable:
    """Decorate a page view. `object_url` names the object's page (reversed with the refused
    object's id); `wrong_state` is the message on WrongState, with %(id)s and %(state)s, shown at
    `level` (a django.contrib.messages level)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except NotFound as exc:
                raise Http404(exc.detail) from None
            except NotAllowed as exc:
                raise PermissionDenied(exc.detail) from None
            except Unavailable as exc:
                notices.error(request, exc.detail)
                return redirect(request.get_full_path())
            except WrongState as exc:
                # A refusal with its own reason (notice_required, …) says it; else the state is the reason.
                text = str(wrong_state) % {"id": exc.object_id, "state": exc.state_label}
                notices.add_message(request, level, f"{exc.detail} {nothing_changed()}" if exc.code else text)
                return redirect(object_url, exc.object_id)

        return wrapped

    return decorate


def error_message(form: forms.Form, path: str, code: str, lang: str) -> str:
    """The form's own wording of a field error when it has one, else the table's (measures.messages)."""
    own = getattr(form, "error_message", None)
    return own(path, code, lang) if own else messages.field_error(path, code, lang)


def add_errors(form: forms.Form, errors: list[dict[str, str]] | None, lang: str, detail: str = "") -> None:
    """Each `{"field", "code"}` beside its field (the nearest one for a dotted path), else on top; a
    form with its own `add_domain_errors(errors)` places them itself."""
    own = getattr(form, "add_domain_errors", None)
    if own is not None and errors:
        own(errors)
        return
    if not errors:
        form.add_error(None, detail)
        return
    for error in errors:
        form.add_error(field_for_path(error["field"], form), error_message(form, error["field"], error["code"], lang))


@contextmanager
def invalid_into(form: forms.Form, lang: str) -> Iterator[None]:
    try:
        yield
    except Invalid as exc:
        add_errors(form, exc.errors, lang, exc.detail)
    except FactsError as exc:
        add_errors(form, exc.errors, lang)


def describe(exc: DomainError, lang: str) -> str:
    """A refusal in one line, for a report of many calls."""
    if isinstance(exc, Invalid) and exc.errors:
        return "; ".join(messages.field_error(e["field"], e["code"], lang) for e in exc.errors)
    if isinstance(exc, WrongState):
        return _("Not possible in the current state (%(state)s).") % {"state": exc.state_label}
    return exc.detail
