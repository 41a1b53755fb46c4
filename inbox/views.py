"""消息中心: the enterprise's messages page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from inbox import selectors, services
from kernel.pages import domain_errors
from measures import messages as languages

refusals = domain_errors("messages", "")


def _lang(request: HttpRequest) -> str:
    return languages.language(getattr(request, "LANGUAGE_CODE", None))


@login_required
@require_safe
@refusals
def message_list(request: HttpRequest) -> HttpResponse:
    lang = _lang(request)
    page = Paginator(selectors.messages_for(request.user), 20).get_page(request.GET.get("page"))
    ctx = {
        "lang": lang, "html_lang": "en" if lang == "en" else "zh-Hans", "page": "messages",
        "next_url": request.get_full_path(),
        "messages_page": page,
        "rows": [{**selectors.message_dict(m, lang), "created": m.created_at} for m in page],
    }
    return render(request, "inbox/list.html", ctx)


@login_required
@require_POST
@refusals
def message_read(request: HttpRequest, message_id: int) -> HttpResponse:
    message = services.message_mark_read(user=request.user, message_id=message_id)
    if request.POST.get("open") and message.link and url_has_allowed_host_and_scheme(message.link, None):
        return redirect(message.link)
    return redirect("messages")


@login_required
@require_POST
@refusals
def messages_read(request: HttpRequest) -> HttpResponse:
    services.messages_mark_all_read(user=request.user)
    return redirect("messages")
