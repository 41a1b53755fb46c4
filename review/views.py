"""Pages for reviewers and city admins: the review queue, the review page with its actions, the
inline view of attachments, and the city overview.

Thin views, as the filing pages: reads through the selectors, every change through
`review.services`, one service call per application (batch actions too). Refusals pass through to
`kernel.pages`: a 404 or 403 page, a message and a redirect to the review page (nothing changed),
or errors beside the fields, keeping what was typed. Enterprise users keep their own pages: here
they, and reviewers of another jurisdiction, get 404 for an application and 403 for a list.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages as notices
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from applications import notices as application_notices
from applications import selectors as application_selectors
from applications import transitions, workflow
from applications.evaluations import evaluate_application, filing_date
from applications.models import Application, Notice, Objection, State
from applications.workflow import DECIDED_STATES, QUEUE_STATES
from eligibility import presentation as outcome_presentation
from filing import presentation as application_presentation
from filing.services import download_name, required_attachments
from funds import presentation as funds_presentation
from funds import selectors as funds_selectors
from funds import services as funds_services
from kernel.errors import DomainError
from kernel.pages import describe, domain_errors, invalid_into
from kernel.pagination import CappedPaginator
from kernel.storage import open_stored
from matching import presentation as matching_presentation
from measures import messages
from measures.facts import parse_facts, parse_money
from review import presentation, selectors, services
from review.api import queue_row
from review.forms import QUEUE_FIELDS, ApproveForm, BatchForm, NoteForm, QueueFilterForm, ResolveForm

QUEUE_PAGE_SIZE = 25
BATCH_REPORT_KEY = "review-batch-report"
# A refusal by state comes back to the review page, saying why; nothing was changed.
refusals = domain_errors("review-application", gettext_lazy(
    "Not possible in the current state: application no. %(id)s is %(state)s. Nothing was changed."))


# --- helpers -------------------------------------------------------------------------------------

def _lang(request: HttpRequest) -> str:
    return messages.language(getattr(request, "LANGUAGE_CODE", None))


def _page(request: HttpRequest, lang: str, page: str, next_url: str | None = None) -> dict:
    return {"lang": lang, "html_lang": "en" if lang == "en" else "zh-Hans", "page": page,
            "next_url": next_url or request.get_full_path()}


def _is_review_role(request: HttpRequest) -> bool:
    user = request.user
    return user.is_reviewer or user.is_city_admin


def _require_list_role(request: HttpRequest) -> None:
    if not _is_review_role(request):
        raise PermissionDenied(_("Only reviewers and city administrators have a review queue."))


def _get(request: HttpRequest, application_id: int) -> Application:
    """The application for its reviewers and city admins; 404 for everyone else, the owner included
    (it has its own pages), so nobody learns what exists outside their reach."""
    if not _is_review_role(request):
        raise Http404(_("No such application."))
    return application_selectors.application_get(request.user, application_id)


def _review_url(application_id: int) -> str:
    return reverse("review-application", args=[application_id])


# --- the queue -----------------------------------------------------------------------------------

def _query(params: dict[str, Any]) -> str:
    return urlencode({k: v for k, v in params.items() if v not in ("", None)})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@refusals
def queue(request: HttpRequest) -> HttpResponse:
    """Submitted and in-review applications, oldest first, filtered and paginated; a POST claims or
    returns the ticked ones and comes back to the same filtered page."""
    _require_list_role(request)
    lang = _lang(request)
    today = timezone.localdate()
    user = request.user
    params = {k: request.GET.get(k, "") for k in request.GET}
    filter_form = QueueFilterForm(
        {k: params.get(k, "") for k in QUEUE_FIELDS}, lang=lang, today=today, city_admin=user.is_city_admin,
        several_counties=user.is_city_admin or user.jurisdiction == "park")
    filter_form.is_valid()
    batch_form = BatchForm(request.POST if request.method == "POST" else None, lang=lang,
                           max_items=QUEUE_PAGE_SIZE * 4)
    if request.method == "POST" and batch_form.is_valid():
        request.session[BATCH_REPORT_KEY] = _batch(request, batch_form)
        return redirect(request.get_full_path())

    filters, applications = None, Application.objects.none()
    with invalid_into(filter_form, lang):
        filters = selectors.queue_filters(params)
        applications = selectors.review_queue_for(user, filters, today)
    number = filters.page if filters else 1
    page = CappedPaginator(applications, QUEUE_PAGE_SIZE, page=number, fetch=selectors.queue_rows).get_page(number)
    rows = [presentation.queue_display(queue_row(app, today), today, lang) for app in page.object_list]
    for row in rows:
        row["url"] = _review_url(row["id"])
        row["checked"] = row["id"] in batch_form.selected
    kept = {k: v for k, v in params.items() if k in QUEUE_FIELDS}

    def page_url(number: int) -> str:
        return "?" + _query({**kept, "page": number if number > 1 else ""})

    ctx = {
        **_page(request, lang, "review"),
        "filter_form": filter_form,
        "filter_fields": list(filter_form),
        "filtered": any(kept.values()),
        "batch_form": batch_form,
        "batch_errors": batch_form.non_field_errors() if batch_form.is_bound else [],
        "batch_action": request.get_full_path(),
        "batch_report": request.session.pop(BATCH_REPORT_KEY, None) if request.method != "POST" else None,
        "rows": rows,
        "queue_page": page,
        "count": page.paginator.count if filters else 0,
        "count_exact": page.paginator.exact if filters else True,
        "count_floor": page.paginator.limit,
        "previous_url": page_url(page.previous_page_number()) if page.has_previous() else None,
        "next_url_page": page_url(page.next_page_number()) if page.has_next() else None,
        "page_links": [{"number": n, "url": page_url(n), "current": n == page.number}
                       for n in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
                       if isinstance(n, int)] if page.paginator.num_pages > 1 else [],
        "show_jurisdiction": user.is_city_admin,
        "scope_label": _("All jurisdictions") if user.is_city_admin
        else presentation.jurisdiction_label(user.jurisdiction, lang),
        "deadline_days": _deadline_days(),
        "overview_url": reverse("review-overview") if user.is_city_admin else None,
        "screening_url": None if user.is_city_admin else reverse("review-screening"),
    }
    return render(request, "review/queue.html", ctx, status=400 if filters is None else 200)


def _deadline_days() -> int:
    return settings.REVIEW_DEADLINE_WORKING_DAYS


def _batch(request: HttpRequest, form: BatchForm) -> list[dict[str, Any]]:
    """One service call (one transaction) per ticked application; what happened to each."""
    action = form.cleaned_data["action"]
    note = form.cleaned_data["note"]
    report = []
    for application_id in form.selected:
        try:
            if action == "claim":
                services.application_claim(application_id=application_id, reviewer=request.user)
                outcome = _("Claimed: now in review, claimed by you.")
            else:
                services.application_return(application_id=application_id, reviewer=request.user, note=note)
                outcome = _("Returned for correction with your note.")
            ok = True
        except DomainError as exc:  # reported per application; the others go on
            ok, outcome = False, describe(exc, _lang(request))
        report.append({"id": application_id, "ok": ok, "outcome": outcome, "url": _review_url(application_id)})
    return report


# --- the review page -----------------------------------------------------------------------------

def _review_page(request: HttpRequest, application: Application, *, forms: dict[str, Any] | None = None,
                 status: int = 200) -> HttpResponse:
    lang = _lang(request)
    today = timezone.localdate()
    evaluations = list(application.evaluations.all())
    latest = presentation.review_evaluation(evaluations[-1], lang) if evaluations else None
    declared = outcome_presentation.figures(application.declared_investment_cny)
    forms = forms or {}
    actionable = application.state in QUEUE_STATES
    days, overdue = selectors.waiting(application, today) if actionable else (None, False)
    determination = getattr(application, "determination", None) if application.state in DECIDED_STATES else None
    notice = application_notices.current_notice(application) if application.state == State.IN_NOTICE else None
    history = application_presentation.timeline(application.history.select_related("actor"), lang)
    last_return = application_selectors.latest_return(application)
    late = application_presentation.late_resubmission(
        last_return.at if last_return else None,
        application.submitted_at if last_return and application.submitted_at
        and application.submitted_at > last_return.at else None)
    ctx = {
        "late_resubmission": late,
        "changes": application_presentation.changes_since_return(
            application, last_return.at if last_return else None, lang),
        **_page(request, lang, "review", next_url=_review_url(application.pk)),
        "application": application,
        "state_label": application_presentation.state_label(application.state),
        "jurisdiction_label": presentation.jurisdiction_label(application.jurisdiction, lang),
        "submitted_at": application.submitted_at,
        "working_days_waiting": days,
        "overdue": overdue,
        "deadline_days": _deadline_days(),
        "claimed_by": application.claimed_by.get_username() if application.claimed_by else None,
        "claimed_by_me": application.claimed_by_id == request.user.pk,
        "actionable": actionable,
        "can_claim": workflow.allowed("claim", application.state),
        "can_release": workflow.allowed("release", application.state),
        "return_form": forms.get("return") or NoteForm(
            prefix="return", label=_("What the enterprise must correct (required)"),
            help_text=_("The enterprise sees this note and can correct the facts and attachments, then resubmit.")),
        "reject_form": forms.get("reject") or NoteForm(
            prefix="reject", label=_("Reasons for the rejection (required)"),
            help_text=_("The reasons are part of the determination.")),
        "approve_form": forms.get("approve") or ApproveForm(prefix="approve", declared=declared,
                                                            noticed=_noticed(notice)),
        "propose_form": forms.get("propose") or ApproveForm(prefix="propose", declared=declared),
        "withdraw_proposal_form": forms.get("withdraw_proposal") or NoteForm(
            prefix="withdraw_proposal", label=_("Why the proposal is withdrawn (required)"),
            help_text=_("The notice is withdrawn from the public list and the application is back in review.")),
        **_notice_context(application, notice, today, lang, forms),
        **funds_presentation.payments_section(application, lang),
        "declared_figures": declared,
        "latest": latest,
        "result": latest["result"] if latest else None,
        "result_back_hidden": True,
        "warnings": latest["warnings"] if latest else [],
        "earlier": [application_presentation.evaluation_card(e, lang) for e in reversed(evaluations[:-1])],
        "summary": application_presentation.facts_summary(
            evaluations[-1].facts if evaluations else application.facts, lang),
        "attachments": _attachments(application, lang),
        "history": history,
        "determination": application_presentation.determination_card(determination),
        "audit": presentation.audit_rows(application.audit_entries.all()),
        "queue_url": reverse("review-queue"),
    }
    return render(request, "review/application.html", ctx, status=status)


def _noticed(notice: Notice | None) -> str | None:
    """The recognised investment published with the notice, as figures ("" when as declared)."""
    if notice is None:
        return None
    return outcome_presentation.figures(notice.recognized_investment_cny) or ""


def _notice_context(application: Application, notice: Notice | None, today, lang: str,
                    forms: dict[str, Any]) -> dict[str, Any]:
    """公示 on the review page: whether to propose, the current notice and every objection."""
    objections = Objection.objects.filter(notice__application=application).select_related(
        "notice", "resolved_by").order_by("created_at", "pk")
    rows = [{"objection": o, "form": forms.get(f"objection-{o.pk}") or ResolveForm(prefix=f"objection-{o.pk}"),
             "resolve_url": reverse("review-resolve-objection", args=[o.pk]),
             "current": notice is not None and o.notice_id == notice.pk} for o in objections]
    undecided = workflow.allowed("propose", application.state)
    return {
        "notices_on": application_notices.notices_enabled(),
        "notice_days": settings.PUBLIC_NOTICE_WORKING_DAYS,
        "can_propose": undecided and application_notices.notices_enabled(),
        "can_reject": workflow.allowed("reject", application.state),
        "can_return": workflow.allowed("return", application.state),
        "notice": notice,
        "notice_open": notice is not None and today <= notice.ends_on,
        "notice_ready": notice is not None and application_notices.ready_to_issue(notice, today),
        "notice_amount_capitals": outcome_presentation.capitals(notice.amount_cny) if notice else None,
        "notice_amount_figures": outcome_presentation.figures(notice.amount_cny) if notice else None,
        "objections": rows,
        "open_objection_count": sum(1 for r in rows if r["objection"].is_open),
    }


def _attachments(application: Application, lang: str) -> list[dict[str, Any]]:
    groups = application_presentation.attachment_groups(
        application.attachments.all(), required_attachments(parse_facts(application.facts)), lang,
        lambda a: reverse("attachment-download", args=[application.pk, a.pk]))
    for group in groups:
        for row in [group["current"], *group["superseded"]]:
            if row is not None:
                row["inline_url"] = reverse("review-attachment", args=[application.pk, row["id"]])
                row["is_image"] = row["content_type"].startswith("image/")
    return groups


@login_required
@require_safe
@refusals
def review(request: HttpRequest, application_id: int) -> HttpResponse:
    return _review_page(request, _get(request, application_id))


@login_required
@require_POST
@refusals
def claim(request: HttpRequest, application_id: int) -> HttpResponse:
    _get(request, application_id)
    services.application_claim(application_id=application_id, reviewer=request.user)
    notices.success(request, _("Claimed: application no. %(id)s is in review with you.") % {"id": application_id})
    return redirect("review-application", application_id)


@login_required
@require_POST
@refusals
def release(request: HttpRequest, application_id: int) -> HttpResponse:
    _get(request, application_id)
    services.application_release(application_id=application_id, reviewer=request.user)
    notices.success(request, _("Released: application no. %(id)s is back in the queue.") % {"id": application_id})
    return redirect("review-application", application_id)


NOTE_LABELS = {"withdraw_proposal": gettext_lazy("Why the proposal is withdrawn (required)"),
               "return": gettext_lazy("What the enterprise must correct (required)"),
               "reject": gettext_lazy("Reasons for the rejection (required)")}


CONFIRMED = "confirmed"  # the second POST of a decision, from its confirmation page


def _confirmation(request: HttpRequest, application: Application, decision: str, note: str,
                  recognized=None) -> HttpResponse:
    """Before a decision is taken: what it will say, the amount in figures and capitals, the
    enterprise and the note, and that a numbered determination is issued and emailed (issue 12)."""
    lang = _lang(request)
    evaluated = evaluate_application(application, as_of=filing_date(application), recognized_investment=recognized)
    amount = evaluated.result.measure(4).amount if decision == "approve" else None
    fields = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    ctx = {**_page(request, lang, "review", next_url=_review_url(application.pk)), "application": application,
           "decision": decision, "note": note, "fields": fields,
           "amount_figures": outcome_presentation.figures(amount) if amount else None,
           "amount_capitals": outcome_presentation.capitals(amount) if amount else None,
           "action_url": reverse(f"review-{decision}", args=[application.pk]),
           "authority": presentation.jurisdiction_label(application.jurisdiction, lang)}
    return render(request, "review/confirm.html", ctx)


def _noted(request: HttpRequest, application_id: int, key: str, act) -> HttpResponse:
    """Return or reject: `act(note)` calls the service and says what was done; a missing note
    stands beside its field, keeping the page as it was. A rejection is confirmed first."""
    application = _get(request, application_id)
    form = NoteForm(request.POST, prefix=key, label=NOTE_LABELS[key])
    if form.is_valid() and key == "reject" and request.POST.get(CONFIRMED) != "yes":
        with invalid_into(form, _lang(request)):
            note = transitions.note_text(form.cleaned_data["note"], required=True)
            return _confirmation(request, application, "reject", note)
        return _review_page(request, application, forms={key: form})
    if form.is_valid():
        with invalid_into(form, _lang(request)):
            notices.success(request, act(form.cleaned_data["note"]))
            return redirect("review-application", application_id)
    return _review_page(request, application, forms={key: form})


@login_required
@require_POST
@refusals
def return_(request: HttpRequest, application_id: int) -> HttpResponse:
    def act(note: str) -> str:
        services.application_return(application_id=application_id, reviewer=request.user, note=note)
        return _("Returned for correction: the enterprise has been told what to correct.")

    return _noted(request, application_id, "return", act)


@login_required
@require_POST
@refusals
def reject(request: HttpRequest, application_id: int) -> HttpResponse:
    def act(note: str) -> str:
        evaluation = services.application_reject(application_id=application_id, reviewer=request.user, note=note)
        return _("Rejected. Determination %(number)s is issued.") % {"number": evaluation.determination.number}

    return _noted(request, application_id, "reject", act)


@login_required
@require_POST
@refusals
def approve(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _get(request, application_id)
    notice = application_notices.current_notice(application) if application.state == State.IN_NOTICE else None
    form = ApproveForm(request.POST, prefix="approve", noticed=_noticed(notice),
                       declared=outcome_presentation.figures(application.declared_investment_cny))
    if form.is_valid():
        with invalid_into(form, _lang(request)):
            recognized = notice.recognized_investment_cny if notice else _recognized(form)
            if request.POST.get(CONFIRMED) != "yes":
                note = services.approval_input(application, note=form.cleaned_data["note"],
                                               recognized_investment=recognized)
                services.require_notice(application, recognized)  # before asking to confirm
                return _confirmation(request, application, "approve", note, recognized)
            evaluation = services.application_approve(
                application_id=application_id, reviewer=request.user, note=form.cleaned_data["note"],
                recognized_investment=None if notice else recognized)
            notices.success(request, _("Approved. Determination %(number)s is issued.")
                            % {"number": evaluation.determination.number})
            return redirect("review-application", application_id)
    return _review_page(request, application, forms={"approve": form})


def _recognized(form: ApproveForm):
    # Thousands separators as people type them; otherwise checked like the facts' money.
    raw = form.cleaned_data["recognized_investment_cny"].replace(",", "").replace("，", "").strip()
    return parse_money(raw, "recognized_investment_cny") if raw else None


@login_required
@require_POST
@refusals
def propose(request: HttpRequest, application_id: int) -> HttpResponse:
    """Propose the grant for public notice (公示): no confirmation page, as it can be withdrawn."""
    application = _get(request, application_id)
    form = ApproveForm(request.POST, prefix="propose",
                       declared=outcome_presentation.figures(application.declared_investment_cny))
    if form.is_valid():
        with invalid_into(form, _lang(request)):
            notice = services.application_propose(application_id=application_id, reviewer=request.user,
                                                  note=form.cleaned_data["note"],
                                                  recognized_investment=_recognized(form))
            notices.success(request, _("Proposed: the grant of %(amount)s is publicly noticed from %(start)s to "
                                       "%(end)s.") % {"amount": outcome_presentation.figures(notice.amount_cny),
                                                      "start": notice.starts_on.isoformat(),
                                                      "end": notice.ends_on.isoformat()})
            if notice.over_budget:
                notices.warning(request, _("The amount is beyond the payer's remaining budget for this year. The "
                                           "grant is a legal entitlement: the notice stands; tell the city "
                                           "administrator."))
            return redirect("review-application", application_id)
    return _review_page(request, application, forms={"propose": form}, status=400)


@login_required
@require_POST
@refusals
def withdraw_proposal(request: HttpRequest, application_id: int) -> HttpResponse:
    def act(note: str) -> str:
        services.application_withdraw_proposal(application_id=application_id, reviewer=request.user, note=note)
        return _("Proposal withdrawn: the notice is withdrawn and the application is back in review.")

    return _noted(request, application_id, "withdraw_proposal", act)


@login_required
@require_POST
def resolve_objection(request: HttpRequest, objection_id: int) -> HttpResponse:
    """Resolve an objection from the review page; errors stand beside the objection's fields."""
    objection = Objection.objects.filter(pk=objection_id).select_related("notice").first()
    if objection is None:
        raise Http404(_("No such objection."))
    return _resolve(request, objection.notice.application_id, objection)


@refusals
def _resolve(request: HttpRequest, application_id: int, objection: Objection) -> HttpResponse:
    application = _get(request, application_id)
    key = f"objection-{objection.pk}"
    form = ResolveForm(request.POST, prefix=key)
    if form.is_valid():
        with invalid_into(form, _lang(request)):
            resolved = services.objection_resolve(objection_id=objection.pk, reviewer=request.user,
                                                  outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"])
            if resolved.upheld:
                notices.success(request, _("Objection %(reference)s upheld: the notice is withdrawn and the "
                                           "application is back in review.") % {"reference": resolved.reference})
            else:
                notices.success(request, _("Objection %(reference)s dismissed.") % {"reference": resolved.reference})
            return redirect("review-application", application_id)
    return _review_page(request, application, forms={key: form}, status=400)


@login_required
@require_safe
@refusals
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": ["'self'"]})  # the review page frames it; the site default is 'none'
def attachment_inline(request: HttpRequest, application_id: int, attachment_id: int) -> HttpResponse:
    """The stored file shown in the review page's frame: inline, never sniffed into another type,
    only to those who may see the application."""
    _get(request, application_id)
    attachment = application_selectors.attachment_get(request.user, application_id, attachment_id)
    response = FileResponse(open_stored(attachment.file), as_attachment=False, filename=download_name(attachment),
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- the city overview ---------------------------------------------------------------------------

@login_required
@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    if not request.user.is_city_admin:
        raise PermissionDenied(_("Only city administrators see the overview."))
    lang = _lang(request)
    today = timezone.localdate()
    year = funds_services.budget_year(request.GET.get("year")) or today.year
    ctx = {
        **_page(request, lang, "overview"),
        **funds_overview(year, today, lang),
        "today": today,
        "tables": presentation.overview_tables(selectors.city_overview(today), today, lang),
        "overdue_url": reverse("review-queue") + "?overdue=true",
        "deadline_days": _deadline_days(),
        "screening": matching_presentation.figures(None, lang),
    }
    return render(request, "review/overview.html", ctx)


@login_required
@require_safe
def screening(request: HttpRequest) -> HttpResponse:
    """A reviewer's overview of proactive screening in the jurisdiction (the city admin's is on the overview)."""
    _require_list_role(request)
    if request.user.is_city_admin:
        return redirect(reverse("review-overview") + "#screening")
    lang = _lang(request)
    ctx = {**_page(request, lang, "review"),
           "scope_label": presentation.jurisdiction_label(request.user.jurisdiction, lang),
           "screening": matching_presentation.figures(request.user.jurisdiction, lang)}
    return render(request, "review/screening.html", ctx)


def funds_overview(year: int, today, lang: str) -> dict[str, Any]:
    """The fund pool of the year and its months, for the charts and the tables beneath them."""
    months = funds_selectors.monthly(year)
    return {
        "year": year,
        "years": list(funds_services.BUDGET_YEARS),
        "pool": funds_presentation.pool_rows(funds_selectors.fund_pool(year, today), lang),
        "months": [{**m, "granted_figures": outcome_presentation.figures(m["granted"]),
                    "paid_figures": outcome_presentation.figures(m["paid"])} for m in months],
        "pool_chart_url": reverse("fund-pool-chart") + f"?year={year}",
        "monthly_chart_url": reverse("monthly-chart") + f"?year={year}",
        "csv_url": reverse("fund-pool-csv") + f"?year={year}",
        "budgets_url": reverse("budgets") + f"?year={year}",
    }
