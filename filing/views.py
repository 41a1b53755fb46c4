"""Pages for enterprises: my applications, the filing wizard, the application page.

Thin views: every read goes through the selectors and every change through `filing.services`.
Refusals pass through to `kernel.pages`: a 404 or 403 page, a message and a redirect to the
application (`@domain_errors`), or errors beside the fields (`invalid_into`).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages as notices
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from applications import selectors, transitions
from applications.evaluations import evaluate_application
from applications.models import Application, AttachmentKind
from applications.notices import current_notice
from applications.workflow import DECIDED_STATES, EDITABLE_STATES, State
from eligibility import presentation as outcome_presentation
from eligibility import sharing
from eligibility.forms import NO, REGIONS_DATALIST, YES, region_options
from filing import presentation, services
from filing.api import attachment_response
from filing.forms import (
    FACT_STEPS,
    HAS_PROJECT,
    KEEP,
    REMOVE_PROJECT,
    STEP_TITLES,
    STEPS,
    AttachmentForm,
    DeclarationForm,
    StepForm,
    WithdrawForm,
    initial_from_facts,
)
from funds import presentation as funds_presentation
from kernel.pages import domain_errors, invalid_into
from measures import labels, messages, regions
from measures.facts import parse_facts

RESUME_KEY = "resume-step-%s"
# A refusal by state sends the applicant back to the application's page, saying why.
refusals = domain_errors("application-detail",
                         gettext_lazy("This application is %(state)s and can no longer be changed."),
                         level=notices.WARNING)


# --- helpers -------------------------------------------------------------------------------------

def _lang(request: HttpRequest) -> str:
    return messages.language(getattr(request, "LANGUAGE_CODE", None))


def _page(request: HttpRequest, lang: str) -> dict:
    return {"lang": lang, "html_lang": "en" if lang == "en" else "zh-Hans", "page": "applications",
            "next_url": request.get_full_path()}


def _is_owner(request: HttpRequest, application: Application) -> bool:
    user = request.user
    return user.is_enterprise and application.enterprise_id == user.enterprise_id


def _step_url(application_id: int, step: str, anchor: str = "") -> str:
    url = reverse("application-step", args=[application_id, step])
    return f"{url}#{anchor}" if anchor else url


def _step_linker(application_id: int, back_to_review: bool = False):
    """Links to where a fact is entered; from the review step, the step returns to it when saved."""
    if back_to_review:
        return lambda step, anchor: _step_url(application_id, step, "") + "?return=review" + (
            f"#{anchor}" if anchor else "")
    return lambda step, anchor: _step_url(application_id, step, anchor)


def _resume_url(request: HttpRequest, application: Application) -> str:
    """Where the applicant left off on this browser; the first step otherwise."""
    step = request.session.get(RESUME_KEY % application.pk, STEPS[0])
    return _step_url(application.pk, step if step in STEPS else STEPS[0])


def _step_done(request: HttpRequest, application: Application, step: str) -> bool:
    """A ✓ in the steps: a facts step saved at least once on this browser (the applicant went past
    it) whose facts are there; the attachments step when every required file is."""
    if step == "review":
        return False
    if step == "attachments":
        present = set(application.attachments.filter(superseded_at__isnull=True).values_list("kind", flat=True))
        return set(services.required_attachments(parse_facts(application.facts))) <= present
    reached = request.session.get(RESUME_KEY % application.pk, STEPS[0])
    passed = STEPS.index(step) < STEPS.index(reached if reached in STEPS else STEPS[0])
    enterprise = application.facts.get("enterprise") or {}
    return passed and (step != "enterprise" or bool(enterprise.get("sectors") and enterprise.get("activities")))


def _steps_nav(request: HttpRequest, application: Application, current: str) -> list[dict]:
    return [{"key": s, "number": i, "title": STEP_TITLES[s], "url": _step_url(application.pk, s),
             "current": s == current, "done": s != current and _step_done(request, application, s)}
            for i, s in enumerate(STEPS, 1)]


def _next_step(step: str) -> str:
    return STEPS[min(STEPS.index(step) + 1, len(STEPS) - 1)]


# --- my applications -----------------------------------------------------------------------------

@login_required
@require_safe
def my_applications(request: HttpRequest) -> HttpResponse:
    if request.user.is_system_admin:  # accounts only, in the Django admin
        return redirect("admin:index")
    if request.user.is_finance:  # finance officers work from their payments
        return redirect("payments")
    if not request.user.is_enterprise:  # reviewers and city admins work from their queue
        return redirect("review-queue")
    lang = _lang(request)
    rows = []
    for app in selectors.application_list(request.user):
        project = app.facts.get("project") or {}
        owner = _is_owner(request, app)
        rows.append({
            "id": app.pk,
            "state": app.state,
            "state_label": presentation.state_label(app.state),
            "enterprise": app.enterprise.name,
            "project_name": project.get("name"),
            "project_code": app.project_code,
            "created_at": app.created_at,
            "updated_at": app.updated_at,
            "submitted_at": app.submitted_at,
            "decided_at": app.decided_at,
            "url": reverse("application-detail", args=[app.pk]),
            "resume_url": _resume_url(request, app) if owner and app.state in EDITABLE_STATES else None,
        })
    ctx = {
        **_page(request, lang),
        "rows": rows,
        "can_file": request.user.is_enterprise,
        "enterprise": request.user.enterprise if request.user.is_enterprise else None,
    }
    return render(request, "applications/list.html", ctx)


@login_required
@require_POST
@refusals
def application_new(request: HttpRequest) -> HttpResponse:
    """A new draft, with the enterprise's identity from the account; on to the first step."""
    application = services.application_create(user=request.user, facts={})
    notices.success(request, _("Application no. %(id)s is started as a draft. It is saved at every step.")
                    % {"id": application.pk})
    return redirect("application-step", application.pk, STEPS[0])


IDENTITY = ("name", "credit_code", "registered_region")  # the account's, never the typed ones


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@refusals
def application_from_result(request: HttpRequest) -> HttpResponse:
    """按此结果申报: a draft with the facts of a calculator result (the `f` of its link), the
    enterprise's identity from the account, opened at the review step. A visitor signs in (or
    registers) first and comes back here with the same link."""
    lang = _lang(request)
    token = request.POST.get("f") or request.GET.get("f", "")
    try:
        facts = sharing.decode(token)
    except sharing.BadLink:
        notices.error(request, _("This link is damaged: its facts cannot be read. Enter them again below."))
        return redirect("calculator")
    if not request.user.is_enterprise:
        raise PermissionDenied(_("Only enterprise users file applications."))
    if request.method == "POST":
        facts.pop("as_of", None)
        enterprise = {k: v for k, v in (facts.get("enterprise") or {}).items() if k not in IDENTITY}
        form = DeclarationForm({})
        with invalid_into(form, lang):
            application = services.application_create(user=request.user, facts={**facts, "enterprise": enterprise})
            request.session[RESUME_KEY % application.pk] = "review"
            notices.success(request, _("Application no. %(id)s is started with the facts of your result: check "
                                       "them, add the attachments and submit.") % {"id": application.pk})
            return redirect("application-step", application.pk, "review")
        notices.error(request, " ".join(str(e) for e in form.non_field_errors()) or _("The facts could not be used."))
        return redirect(reverse("calculator") + "?" + urlencode({"f": token}))
    ctx = {**_page(request, lang), "token": token, "summary": presentation.facts_summary(facts, lang),
           "enterprise": request.user.enterprise}
    return render(request, "applications/from_result.html", ctx)


# --- the wizard ----------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@refusals
def application_step(request: HttpRequest, application_id: int, step: str) -> HttpResponse:
    if step not in STEPS:
        raise Http404
    application = selectors.application_get(request.user, application_id)
    transitions.check(application, request.user, "update")  # the applicant's, and still editable
    if step in FACT_STEPS:
        return _facts_step(request, application, step)
    if step == "attachments":
        return _attachments_step(request, application)
    return _review_step(request, application)


def _wizard_ctx(request: HttpRequest, lang: str, application: Application, step: str) -> dict:
    index = STEPS.index(step)
    return {
        **_page(request, lang),
        "application": application,
        "state_label": presentation.state_label(application.state),
        "step": step,
        "step_title": STEP_TITLES[step],
        "step_number": index + 1,
        "step_count": len(STEPS),
        "steps": _steps_nav(request, application, step),
        "previous_url": _step_url(application.pk, STEPS[index - 1]) if index else None,
        # Returned: the reviewer's note stays in view on every step until the application is resubmitted.
        # Came from "Change" on the review step: saving returns there.
        "back_to_review": step != "review" and (request.GET.get("return") == "review"
                                                or request.POST.get("return_to") == "review"),
        "return_note": presentation.return_note(selectors.latest_return(application))
        if application.state == State.RETURNED else None,
    }


def _saved(request: HttpRequest, application: Application, step: str, done: str | None = None) -> HttpResponse:
    """After a step is saved: on to the next step, or back to the list when the applicant leaves.
    `done` replaces the "Saved" notice; an empty one shows none (the caller has said what happened)."""
    # "Change" on the review step comes back to the review step once saved (issue 12).
    following = "review" if request.POST.get("return_to") == "review" else _next_step(step)
    request.session[RESUME_KEY % application.pk] = following
    if request.POST.get("then") == "leave":
        notices.success(request, _("Draft saved. Continue it from My applications whenever you are ready."))
        return redirect("my-applications")
    if done is None:
        done = _("Saved: %(step)s.") % {"step": STEP_TITLES[step]}
    if done:
        notices.success(request, done)
    return redirect("application-step", application.pk, following)


def _facts_step(request: HttpRequest, application: Application, step: str) -> HttpResponse:
    lang = _lang(request)
    today = timezone.localdate()
    initial = initial_from_facts(application.facts, step)
    if step == "project" and not application.facts.get("project") and _step_done(request, application, "project"):
        initial[HAS_PROJECT] = NO  # answered "No" before on this browser; a new draft has no answer yet
    saved_project = application.facts.get("project")
    removal = None
    if request.method == "POST":
        data = request.POST
        keep = step == "project" and data.get(REMOVE_PROJECT) == KEEP
        if keep:  # "No, keep the project": the page again with "Yes" and everything typed, nothing saved
            data = data.copy()
            data[HAS_PROJECT] = YES
            notices.info(request, _("The project is kept. Save this step to keep any changes you made."))
        form = StepForm(data, initial=initial, step=step, lang=lang, today=today, saved_project=saved_project)
        if not keep and form.is_valid():
            if form.removes_project and not form.removal_confirmed:
                # "No" while a project is saved: ask first, naming what would be lost.
                removal = {"name": saved_project.get("name"), "code": saved_project.get("code"),
                           "unsaved": form.unsaved_project()}
            else:
                with invalid_into(form, lang):
                    services.application_update(application_id=application.pk, user=request.user,
                                                patch=form.patch())
                    done = _("The project is removed from the application.") if form.removes_project else None
                    return _saved(request, application, step, done=done)
    else:
        form = StepForm(initial=initial, step=step, lang=lang, today=today, saved_project=saved_project)
    enterprise = application.enterprise
    ctx = {
        **_wizard_ctx(request, lang, application, step),
        "form": form,
        "fields": list(form),
        "identity": [
            {"label": labels.field("enterprise.name", lang), "value": enterprise.name},
            {"label": labels.field("enterprise.credit_code", lang), "value": enterprise.credit_code},
            {"label": labels.field("enterprise.registered_region", lang),
             "value": _region_text(enterprise.registered_region, lang)},
            {"label": labels.field("enterprise.contact_person", lang), "value": enterprise.contact_person},
            {"label": labels.field("enterprise.phone", lang), "value": enterprise.phone},
            {"label": labels.field("enterprise.email", lang), "value": enterprise.email},
        ] if step == "enterprise" else [],
        "removal": removal,
        "regions_datalist": REGIONS_DATALIST,
        "region_options": region_options(lang),
    }
    return render(request, "applications/step_facts.html", ctx)


def _region_text(code: str, lang: str) -> str:
    if regions.is_haidong_county(code):
        return f"{code} {regions.county_name(code, lang)}"
    return code


def _attachments_step(request: HttpRequest, application: Application) -> HttpResponse:
    """One form with a file input per kind: every chosen file is stored on its own (one service call
    each), so a refused file holds back none of the others, and each kind reports what happened."""
    lang = _lang(request)
    errors: dict[str, str] = {}
    stored: set[str] = set()
    summary_error = None
    if request.method == "POST":
        chosen = [(kind, request.FILES[f"attachments.{kind}"]) for kind in AttachmentKind.values
                  if f"attachments.{kind}" in request.FILES]
        for kind, upload in chosen:
            form = AttachmentForm(kind)
            with invalid_into(form, lang):
                attachment = services.attachment_add(application_id=application.pk, user=request.user, kind=kind,
                                                     upload=upload)
                stored.add(kind)
                notices.success(request, _("Uploaded: %(kind)s (%(name)s).")
                                % {"kind": labels.field(f"attachments.{kind}", lang),
                                   "name": attachment.original_name})
            if form.errors:
                errors[kind] = " ".join(form.non_field_errors())
        then = request.POST.get("then")
        if not errors and then in ("next", "leave"):
            return _saved(request, application, "attachments", done="")
        if not errors and chosen:
            request.session[RESUME_KEY % application.pk] = "attachments"
            return redirect(_step_url(application.pk, "attachments"))
        if not chosen:
            summary_error = _("Choose a file for at least one kind, then upload.")
    required = services.required_attachments(parse_facts(application.facts))
    groups = presentation.attachment_groups(application.attachments.all(), required, lang,
                                            lambda a: reverse("attachment-download", args=[application.pk, a.pk]))
    for group in groups:
        group["error"] = errors.get(group["kind"])
        group["stored"] = group["kind"] in stored
    error_list = [{"anchor": g["field_id"], "message": g["error"]} for g in groups if g["error"]]
    if summary_error:
        error_list.append({"anchor": groups[0]["field_id"], "message": summary_error})
    ctx = {
        **_wizard_ctx(request, lang, application, "attachments"),
        "groups": groups,
        "errors": error_list,
        "partly_stored": bool(stored and errors),
    }
    return render(request, "applications/step_attachments.html", ctx)


def _review_step(request: HttpRequest, application: Application) -> HttpResponse:
    lang = _lang(request)
    declaration_error = None
    refused = False
    evaluated = evaluate_application(application)
    no_money = _no_money(evaluated, lang)
    acknowledged = request.POST.get("acknowledge_no_money") == "yes"
    if request.method == "POST" and no_money and not acknowledged:
        refused = True
        no_money["error"] = _("Confirm that you submit an application that claims no investment subsidy.")
    elif request.method == "POST":
        form = DeclarationForm(request.POST)
        with invalid_into(form, lang):
            services.application_submit(application_id=application.pk, user=request.user,
                                        declaration=request.POST.get("declaration") == "yes")
            request.session.pop(RESUME_KEY % application.pk, None)
            notices.success(request, _("Application no. %(id)s is submitted. The reviewing authority will "
                                       "examine it; its status is shown here.") % {"id": application.pk})
            return redirect("application-detail", application.pk)
        refused = True
        if form.has_error("declaration"):
            declaration_error = messages.field_error("declaration", "required", lang)
        application.refresh_from_db()
        evaluated = evaluate_application(application)
    linker = _step_linker(application.pk, back_to_review=True)
    result = outcome_presentation.outcome(evaluated.outcome_en if lang == "en" else evaluated.outcome, lang)
    problems = services.submission_problems(application, evaluated.facts, evaluated.result)
    ctx = {
        **_wizard_ctx(request, lang, application, "review"),
        "result": presentation.link_missing(result, linker),
        "result_back_hidden": True,
        "problems": presentation.problem_links(problems, lang, linker),
        "summary": presentation.facts_summary(application.facts, lang, linker),
        "refused": refused,
        "declaration_error": declaration_error,
        "declaration_checked": request.POST.get("declaration") == "yes",
        "resubmission": application.state == State.RETURNED,
        "no_money": no_money,
        "acknowledged": acknowledged,
    }
    return render(request, "applications/step_review.html", ctx)


def _no_money(evaluated, lang: str) -> dict | None:
    """An application that claims no money is said so at the top, with why, before it is submitted."""
    if evaluated.result.total_amount > 0:
        return None
    outcome = evaluated.outcome_en if lang == "en" else evaluated.outcome
    m4 = outcome["measures"][3]
    reasons = [r["message"] for r in m4["reasons"] if r["passed"] is False]
    if m4["status"] == "not_applicable":
        reasons = [_("No project is declared: the application claims the other measures only.")]
    return {"status": m4["status"], "reasons": reasons, "error": None}


# --- the application page ------------------------------------------------------------------------

@login_required
@require_safe
@refusals
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    lang = _lang(request)
    application = selectors.application_get(request.user, application_id)
    owner = _is_owner(request, application)
    editable = owner and application.state in EDITABLE_STATES
    history = presentation.timeline(application.history.select_related("actor"), lang)
    facts = parse_facts(application.facts)
    returned = application.state == State.RETURNED
    decided = application.state in DECIDED_STATES
    last_return = selectors.latest_return(application)
    ctx = {
        **_page(request, lang),
        "application": application,
        "state_label": presentation.state_label(application.state),
        "history": history,
        "latest_note": presentation.return_note(last_return) if returned else None,
        "latest_note_id": last_return.pk if returned and last_return else None,
        "next_steps": presentation.deadlines(application, last_return.at if last_return else None, lang),
        "evaluations": [presentation.evaluation_card(e, lang) for e in reversed(application.evaluations.all())],
        "attachments": presentation.attachment_groups(
            application.attachments.all(), services.required_attachments(facts), lang,
            lambda a: reverse("attachment-download", args=[application.pk, a.pk])),
        "summary": presentation.facts_summary(application.facts, lang),
        "can_edit": editable,
        "resume_url": _resume_url(request, application) if editable else None,
        "review_url": _step_url(application.pk, "review") if editable else None,
        "can_withdraw": editable,
        "returned": returned,
        "decided": decided,
        "determination": presentation.determination_card(getattr(application, "determination", None))
        if decided else None,
        "notice": current_notice(application) if application.state == State.IN_NOTICE else None,
        **funds_presentation.payments_section(application, lang),
    }
    return render(request, "applications/detail.html", ctx)


@login_required
@require_safe
@refusals
def attachment_download(request: HttpRequest, application_id: int, attachment_id: int) -> HttpResponse:
    return attachment_response(selectors.attachment_get(request.user, application_id, attachment_id))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@refusals
def application_withdraw(request: HttpRequest, application_id: int) -> HttpResponse:
    """A confirmation page, then the withdrawal (from draft or returned)."""
    lang = _lang(request)
    application = selectors.application_get(request.user, application_id)
    transitions.check(application, request.user, "withdraw")
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.application_withdraw(application_id=application.pk, user=request.user,
                                      note=form.cleaned_data["note"])
        notices.success(request, _("Application no. %(id)s is withdrawn.") % {"id": application.pk})
        return redirect("application-detail", application.pk)
    ctx = {
        **_page(request, lang),
        "application": application,
        "state_label": presentation.state_label(application.state),
        "form": form,
    }
    return render(request, "applications/withdraw.html", ctx)
