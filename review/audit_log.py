"""The audit log for city admins: filtered, paginated, and exported as CSV, the system's notes in the
reader's language (`audit.messages`). Read-only: these views answer GET only, and nothing in the app
edits or deletes an entry."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from audit import selectors
from measures import messages
from review import presentation
from review.forms import AuditFilterForm

PAGE_SIZE = 50
# Excel opens a CSV as UTF-8 (and shows Chinese) only with the byte order mark in front.
BOM = "\ufeff"
SHANGHAI = ZoneInfo("Asia/Shanghai")
# A cell starting with one of these is a formula to a spreadsheet: user-typed text (notes, the user
# names of failed logins) is kept as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _lang(request: HttpRequest) -> str:
    return messages.language(getattr(request, "LANGUAGE_CODE", None))


def _city_admin(request: HttpRequest) -> None:
    if not request.user.is_city_admin:
        raise PermissionDenied(_("Only city administrators see the audit log."))


def _filters(request: HttpRequest) -> tuple[AuditFilterForm, dict[str, Any] | None]:
    form = AuditFilterForm(request.GET)
    return form, (form.cleaned_data if form.is_valid() else None)


def _query(form: AuditFilterForm, **extra: Any) -> str:
    kept = {name: form.data.get(name, "") for name in form.fields}
    return urlencode({k: v for k, v in {**kept, **extra}.items() if v not in ("", None)})


@login_required
@require_safe
def audit_log(request: HttpRequest) -> HttpResponse:
    _city_admin(request)
    lang = _lang(request)
    form, filters = _filters(request)
    entries = selectors.audit_entries(filters) if filters is not None else selectors.audit_entries({}).none()
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))

    def page_url(number: int) -> str:
        return "?" + _query(form, page=number if number > 1 else "")

    query = _query(form)
    ctx = {
        "lang": lang, "html_lang": "en" if lang == "en" else "zh-Hans", "page": "audit",
        "next_url": request.get_full_path(),
        "form": form,
        "fields": list(form),
        "filtered": bool(query),
        "rows": presentation.audit_rows(page.object_list, lang),
        "entries_page": page,
        "count": page.paginator.count,
        "previous_url": page_url(page.previous_page_number()) if page.has_previous() else None,
        "next_page_url": page_url(page.next_page_number()) if page.has_next() else None,
        "export_url": reverse("audit-export") + (f"?{query}" if query else ""),
        "show_application": True,
    }
    return render(request, "audit/log.html", ctx, status=200 if filters is not None else 400)


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(rows: Iterator[dict[str, Any]], lang: str) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # Streamed after the view has returned: the labels are translated in the request's language.
    with translation.override(lang):
        yield BOM + writer.writerow([_("Time (Asia/Shanghai)"), _("Action"), _("Actor"), _("Object"),
                                     _("Application"), _("From state"), _("To state"), _("Note"), _("Client address")])
        for row in rows:
            yield writer.writerow([
                timezone.localtime(row["at"], SHANGHAI).strftime("%Y-%m-%d %H:%M:%S"), row["action_label"],
                _cell(row["actor"]), row["object"], row["application_id"] or "", row["from_label"],
                row["to_label"], _cell(row["note"]), row["client_address"],
            ])


def _rows(entries, lang: str) -> Iterator[dict[str, Any]]:
    # In chunks from a server-side cursor: the whole log can be exported without holding it in memory.
    for entry in entries.iterator(chunk_size=2000):
        yield from presentation.audit_rows([entry], lang)


@login_required
@require_safe
def audit_export(request: HttpRequest) -> HttpResponse:
    """The filtered log as CSV (UTF-8 with BOM), newest first, as on the page."""
    _city_admin(request)
    _form, filters = _filters(request)
    if filters is None:
        return audit_log(request)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    lang = _lang(request)
    response = StreamingHttpResponse(_csv_lines(_rows(selectors.audit_entries(filters), lang), lang),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
