"""The enterprise profile pages (/profile/): the profile with its latest screening, consent, the
edit forms (the filing wizard's, one group at a time), and 一键申报 (a draft from a project)."""

from __future__ import annotations

from django.contrib import messages as notices
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from eligibility.forms import REGIONS_DATALIST, YES, region_options
from eligibility.presentation import figures
from filing.forms import HAS_PROJECT, StepForm, initial_from_facts
from filing.presentation import facts_summary
from kernel.errors import Invalid
from kernel.pages import domain_errors, invalid_into
from matching import screening, selectors, services
from matching.services import STATUS_WORDS
from measures import messages as languages
from measures.rules import MEASURES

refusals = domain_errors("profile", "")


def _lang(request: HttpRequest) -> str:
    return languages.language(getattr(request, "LANGUAGE_CODE", None))


def _page(request: HttpRequest, lang: str) -> dict:
    return {"lang": lang, "html_lang": "en" if lang == "en" else "zh-Hans", "page": "profile",
            "next_url": request.get_full_path()}


def _edit_url(group: str, index: int | None = None) -> str:
    if group == "project":
        return reverse("profile-project", args=[index]) if index is not None else reverse("profile-project-new")
    return reverse("profile-edit", args=[group])


def _match_rows(matches: dict, lang: str) -> list[dict]:
    rows = []
    for number in sorted(matches, key=int):
        measure = MEASURES[int(number) - 1]
        zh, en = STATUS_WORDS[matches[number]["status"]]
        rows.append({"number": number, "title": measure.title_en if lang == "en" else measure.title,
                     "status": en if lang == "en" else zh, "amount": figures(matches[number]["amount_cny"])})
    return rows


@login_required
@require_safe
@refusals
def profile_page(request: HttpRequest) -> HttpResponse:
    lang = _lang(request)
    enterprise = services.enterprise_of(request.user)
    data = selectors.profile_dict(enterprise, lang)
    screened = {s["project"]: s for s in data["screenings"]}
    projects = []
    for index, project in enumerate(data["projects"]):
        key = screening.project_key(project, index)
        found = screened.get(key)
        projects.append({
            "index": index, "key": key, "name": project.get("name") or key,
            "summary": facts_summary({"project": project}, lang, lambda g, a, i=index: _edit_url(g, i))[1],
            "matches": _match_rows(found["matches"], lang) if found else None,
            "screened_on": found["screened_on"] if found else None,
        })
    alone = screened.get("")
    groups = facts_summary({"enterprise": data["enterprise"], "circumstances": data["circumstances"]}, lang,
                           lambda g, a: _edit_url(g))
    ctx = {
        **_page(request, lang),
        "saved": data["saved"], "consent": data["consent"],
        "groups": [g for g in groups if g["key"] != "project"],
        "projects": projects,
        "alone": _match_rows(alone["matches"], lang) if alone else None,
        "max_projects": services.MAX_PROJECTS,
    }
    return render(request, "matching/profile.html", ctx)


def _form(request: HttpRequest, step: str, facts: dict, lang: str, project: dict | None):
    initial = initial_from_facts({step: project} if step == "project" else facts, step)
    if step == "project":
        initial[HAS_PROJECT] = YES
    data = None
    if request.method == "POST":
        data = request.POST.copy()
        data[HAS_PROJECT] = YES
    form = StepForm(data, initial=initial, step=step, lang=lang, today=timezone.localdate(),
                    saved_project=project if step == "project" else None)
    if step == "project":
        del form.fields[HAS_PROJECT]  # a profile's project is always one: removing it is its own button
    return form


def _saved(request: HttpRequest) -> HttpResponse:
    notices.success(request, _("The profile is saved."))
    return redirect("profile")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@refusals
def profile_edit(request: HttpRequest, group: str) -> HttpResponse:
    if group not in ("enterprise", "circumstances"):
        raise Http404()
    lang = _lang(request)
    enterprise = services.enterprise_of(request.user)
    facts = services.profile_facts(enterprise)
    form = _form(request, group, facts, lang, None)
    if request.method == "POST" and form.is_valid():
        with invalid_into(form, lang):
            services.profile_update(user=request.user, patch=form.patch())
            return _saved(request)
    return _edit_page(request, lang, form, group, None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@refusals
def profile_project(request: HttpRequest, index: int | None = None) -> HttpResponse:
    lang = _lang(request)
    enterprise = services.enterprise_of(request.user)
    facts = services.profile_facts(enterprise)
    projects = facts["projects"]
    if index is not None and index >= len(projects):
        raise Http404()
    project = projects[index] if index is not None else None
    form = _form(request, "project", facts, lang, project)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.patch()["project"].items() if v is not None}
        changed = [*projects]
        if index is None:
            changed.append(values)
        else:
            changed[index] = values
        at = len(projects) if index is None else index
        with invalid_into(form, lang):
            try:
                services.profile_update(user=request.user, patch={"projects": changed})
            except Invalid as exc:  # the profile names projects.N.field; this form's fields are project.field
                prefix = f"projects.{at}"
                raise Invalid([{**e, "field": e["field"].replace(prefix, "project", 1)} for e in exc.errors],
                              exc.detail) from None
            return _saved(request)
    return _edit_page(request, lang, form, "project", index)


def _edit_page(request: HttpRequest, lang: str, form, group: str, index: int | None) -> HttpResponse:
    titles = {"enterprise": _("Fields and activities"), "circumstances": _("Other circumstances"),
              "project": _("Add a project") if index is None else _("The project")}
    ctx = {**_page(request, lang), "form": form, "fields": list(form), "group": group, "title": titles[group],
           "action": request.path, "regions_datalist": REGIONS_DATALIST, "region_options": region_options(lang)}
    return render(request, "matching/edit.html", ctx)


@login_required
@require_POST
@refusals
def profile_project_remove(request: HttpRequest, index: int) -> HttpResponse:
    projects = services.profile_facts(services.enterprise_of(request.user))["projects"]
    if index >= len(projects):
        raise Http404()
    services.profile_update(user=request.user, patch={"projects": projects[:index] + projects[index + 1:]})
    notices.success(request, _("The project is removed from the profile."))
    return redirect("profile")


@login_required
@require_POST
@refusals
def profile_consent(request: HttpRequest) -> HttpResponse:
    if request.POST.get("screening") == "withdraw":
        services.consent_withdraw(user=request.user)
        notices.success(request, _("Your consent is withdrawn: screening has stopped and its results are deleted."))
    else:
        services.consent_give(user=request.user)
        notices.success(request, _("Thank you: your profile will be screened, and what you may claim will "
                                   "appear in your messages."))
    return redirect("profile")


@login_required
@require_POST
@refusals
def profile_apply(request: HttpRequest) -> HttpResponse:
    """一键申报: a draft prefilled from the profile (one project), opened at the wizard's review step."""
    application = services.draft_from_profile(user=request.user, project=request.POST.get("project", ""))
    notices.success(request, _("A draft was made from your profile: check it, attach the documents and submit."))
    return redirect("application-step", application.pk, "review")
