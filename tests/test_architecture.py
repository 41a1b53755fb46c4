"""The architecture of docs/architecture.md: import contracts, and one error model."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from kernel import pages
from kernel.errors import Invalid, NotAllowed, NotFound, Unavailable, WrongState
from kernel.problems import STATUS_OF, status_of

ROOT = Path(__file__).resolve().parents[1]
PAGE_VIEWS = ["accounts/views.py", "filing/views.py", "review/views.py", "review/audit_log.py",
              "determinations/views.py", "eligibility/views.py"]
SERVICES = ["filing/services.py", "review/services.py", "determinations/services.py", "accounts/services.py",
            "applications/transitions.py", "applications/evaluations.py"]


def test_it_keeps_the_import_contracts():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize("path", PAGE_VIEWS)
def test_it_has_no_page_view_branching_on_an_error_status(path):
    source = (ROOT / path).read_text(encoding="utf-8")
    assert not re.findall(r"exc\.status|\.status ==|status in \(", source)


@pytest.mark.parametrize("path", SERVICES)
def test_it_has_no_http_status_in_the_services(path):
    source = (ROOT / path).read_text(encoding="utf-8")
    assert not re.findall(r"\b(?:400|401|403|404|409|429)\b|HttpResponse|Http404|PermissionDenied", source)


def test_it_maps_each_domain_error_to_one_api_status():
    assert {NotFound: 404, NotAllowed: 403, WrongState: 409, Invalid: 400, Unavailable: 503} == STATUS_OF
    assert status_of(WrongState("x", state="approved", state_label="已批准", object_id=1)) == 409


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _view(error, **options):
    @pages.domain_errors("application-detail", "%(id)s is %(state)s", **options)
    def view(request, application_id):
        raise error
    return view


def test_it_shows_the_404_and_403_pages_for_not_found_and_not_allowed():
    with pytest.raises(Http404):
        _view(NotFound("no"))(_request(), application_id=7)
    with pytest.raises(PermissionDenied):
        _view(NotAllowed("no"))(_request(), application_id=7)


def test_it_redirects_to_the_object_with_a_message_on_a_wrong_state():
    request = _request()
    response = _view(WrongState("x", state="approved", state_label="Approved", object_id=7))(request,
                                                                                            application_id=7)
    assert response.status_code == 302 and response["Location"] == "/applications/7/"
    assert [(str(m), m.level) for m in request._messages] == [("7 is Approved", messages.ERROR)]


def test_it_shows_the_wrong_state_message_at_the_level_the_page_asks():
    request = _request()
    _view(WrongState("x", state="approved", state_label="Approved", object_id=7), level=messages.WARNING)(
        request, application_id=7)
    assert [m.level for m in request._messages] == [messages.WARNING]


def test_it_puts_invalid_input_beside_the_fields_of_the_bound_form():
    from review.forms import NoteForm

    form = NoteForm({"reject-note": "x"}, prefix="reject", label="note")
    assert form.is_valid()
    with pages.invalid_into(form, "en"):
        raise Invalid([{"field": "note", "code": "required"}, {"field": "elsewhere", "code": "required"}])
    assert form.has_error("note") and form.non_field_errors()


def test_it_lets_a_view_go_on_when_nothing_is_invalid():
    done = []
    form = pages.forms.Form(data={})
    with pages.invalid_into(form, "en"):
        done.append(HttpResponse("ok"))
    assert done and not form.errors
