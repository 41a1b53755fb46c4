"""The public pages of 公示: the notices (open first), an objection to an open one, and the Atom
feed of new notices. For anyone, signed in or not; no JavaScript needed."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import JURISDICTIONS
from applications.models import Notice
from eligibility.presentation import capitals, figures
from kernel.errors import Invalid, WrongState
from kernel.pages import invalid_into, throttled
from measures import messages
from notices import selectors, services
from notices.forms import ObjectionForm
from notices.throttling import ObjectionThrottle
from review.presentation import jurisdiction_label

PAGE_SIZE = 20
STATUS_LABELS = {"open": gettext_lazy("Open for objections"), "closed": gettext_lazy("Closed"),
                 "withdrawn": gettext_lazy("Withdrawn")}


def _lang(request: HttpRequest) -> str:
    return messages.language(getattr(request, "LANGUAGE_CODE", None))


def notice_card(notice: Notice, today) -> dict:
    status = str(notice.status_on(today))
    return {"notice": notice, "status": status, "status_label": STATUS_LABELS[status],
            "amount_figures": figures(notice.amount_cny), "amount_capitals": capitals(notice.amount_cny),
            "object_url": reverse("notice-object", args=[notice.pk]) if status == "open" else None}


@require_safe
def notice_list(request: HttpRequest) -> HttpResponse:
    lang = _lang(request)
    today = timezone.localdate()
    params = {k: request.GET.get(k, "") for k in ("status", "payer", "year", "page")}
    error, filters = "", None
    try:
        filters = selectors.notice_filters(params)
    except Invalid as exc:
        error = "；".join(messages.field_error(e["field"], e["code"], lang) for e in exc.errors or [])
        filters = selectors.NoticeFilters()
    qs = selectors.notice_list(filters, today)
    count = qs.count()
    page = filters.page
    notices = [notice_card(n, today) for n in qs[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]]
    kept = {k: v for k, v in params.items() if v and k != "page"}

    def page_url(number: int) -> str:
        return "?" + urlencode({**kept, **({"page": number} if number > 1 else {})})

    ctx = {
        "page": "notices", "lang": lang, "notices": notices, "count": count, "error": error,
        "params": params, "today": today, "notice_days": settings.PUBLIC_NOTICE_WORKING_DAYS,
        "statuses": [("", _("All")), *((k, v) for k, v in STATUS_LABELS.items())],
        "payers": [("", _("All")), *((j, jurisdiction_label(j, lang)) for j in JURISDICTIONS)],
        "years": ["", *range(today.year, 2023, -1)],
        "previous_url": page_url(page - 1) if page > 1 else None,
        "next_url_page": page_url(page + 1) if page * PAGE_SIZE < count else None,
    }
    return render(request, "notices/list.html", ctx, status=400 if error else 200)


@require_http_methods(["GET", "HEAD", "POST"])
def notice_object(request: HttpRequest, notice_id: int) -> HttpResponse:
    """The objection form of one notice; a reference number once it is received."""
    lang = _lang(request)
    today = timezone.localdate()
    notice = Notice.objects.filter(pk=notice_id).first()
    if notice is None:
        raise Http404(_("No such notice."))
    form = ObjectionForm(request.POST if request.method == "POST" else None, lang=lang)
    ctx = {"page": "notices", "card": notice_card(notice, today), "form": form, "closed": False}
    if request.method == "POST":
        if refused := throttled(request, ObjectionThrottle(), _(
                "Too many objections from your address. Please try again in %(minutes)s minutes.")):
            return refused
        if form.is_robot:  # the honeypot was filled in: answered as received, nothing stored
            return render(request, "notices/objected.html", {"page": "notices", "card": ctx["card"],
                                                             "reference": None})
        if form.is_valid():
            try:
                with invalid_into(form, lang):
                    objection = services.objection_submit(notice_id=notice.pk, name=form.cleaned_data["name"],
                                                          contact=form.cleaned_data["contact"],
                                                          text=form.cleaned_data["text"])
                    return render(request, "notices/objected.html", {
                        "page": "notices", "card": ctx["card"], "reference": objection.reference,
                        "with_email": bool(objection.email)}, status=201)
            except WrongState:
                ctx["closed"] = True
        return render(request, "notices/object.html", ctx, status=409 if ctx["closed"] else 400)
    return render(request, "notices/object.html", ctx)


class NoticeFeed(Feed):
    """New notices (公示), newest first, as Atom."""

    feed_type = Atom1Feed
    title = "海东市绿色算力产业补助公示 / Haidong green computing subsidy notices"
    subtitle = "东政办〔2024〕59号 第4条 一次性投资补助 拟补助公示"

    def link(self):
        return reverse("notices")

    def items(self):
        return selectors.recent_notices()

    def item_title(self, notice: Notice) -> str:
        withdrawn = "（已撤回）" if notice.withdrawn_at else ""
        return f"{notice.enterprise_name} {notice.project_name}：拟补助 {figures(notice.amount_cny)}{withdrawn}"

    def item_description(self, notice: Notice) -> str:
        withdrawn = ""
        if notice.withdrawn_at:
            withdrawn = f"该公示已于 {timezone.localtime(notice.withdrawn_at):%Y-%m-%d} 撤回。"
        return (f"{notice.enterprise_name}，{notice.project_name}，拟补助{capitals(notice.amount_cny)}"
                f"（{figures(notice.amount_cny)}），资金承担单位：{notice.payer_name}；"
                f"公示期 {notice.starts_on:%Y-%m-%d} 至 {notice.ends_on:%Y-%m-%d}。{withdrawn}")

    def item_link(self, notice: Notice) -> str:
        return reverse("notices") + f"#notice-{notice.pk}"

    def item_pubdate(self, notice: Notice):
        return notice.proposed_at

    def item_guid(self, notice: Notice) -> str:
        return f"notice-{notice.pk}"

    item_guid_is_permalink = False
