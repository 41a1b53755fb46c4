"""Pages: the calculator (政策计算器) and the measure catalogue (措施目录)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from eligibility import presentation, sharing
from eligibility.forms import REGIONS_DATALIST, CalculatorForm, region_options
from kernel.pages import invalid_into
from measures import messages, parameters, serialize
from measures.engine import evaluate
from measures.facts import FactsError, parse_facts
from measures.messages import LANGUAGES


def _lang(request: HttpRequest) -> str:
    return messages.language(getattr(request, "LANGUAGE_CODE", None))


def _page(request: HttpRequest, lang: str, page: str) -> dict:
    return {"lang": lang, "html_lang": "en" if lang == "en" else "zh-Hans", "page": page,
            "next_url": request.get_full_path()}


@require_http_methods(["GET", "HEAD", "POST"])
def calculator(request: HttpRequest) -> HttpResponse:
    switch = request.POST.get("switch_language") if request.method == "POST" else None
    if switch in LANGUAGES:
        translation.activate(switch)
        request.LANGUAGE_CODE = switch
    lang = _lang(request)
    today = timezone.localdate()  # Asia/Shanghai (settings.TIME_ZONE)
    result, share, link_error = None, None, None
    data = request.POST if request.method == "POST" else None
    if request.method != "POST" and request.GET.get("f"):  # a shared link: the facts it carries
        try:
            data = sharing.form_data(sharing.decode(request.GET["f"]))
        except sharing.BadLink:
            link_error = _("This link is damaged: its facts cannot be read. Enter them again below.")
    form = CalculatorForm(data, lang=lang, today=today)
    if data is not None and form.is_valid():
        with invalid_into(form, lang):
            entered = form.facts()
            facts = parse_facts(entered)
            ev = evaluate(facts, facts.as_of or today)
            result = presentation.outcome(serialize.evaluation(ev, lang), lang)
            share = _share(request, entered, result)
    ctx = {
        **_page(request, lang, "calculator"),
        "form": form,
        "groups": form.groups(),
        "regions_datalist": REGIONS_DATALIST,
        "region_options": region_options(lang),
        "result": result,
        "share": share,
        "link_error": link_error,
        "carried": _carried(request),
    }
    response = render(request, "measures/calculator.html", ctx)
    if switch in LANGUAGES:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, switch, max_age=settings.LANGUAGE_COOKIE_AGE,
                            samesite=settings.LANGUAGE_COOKIE_SAMESITE, secure=settings.LANGUAGE_COOKIE_SECURE,
                            httponly=settings.LANGUAGE_COOKIE_HTTPONLY, path=settings.LANGUAGE_COOKIE_PATH)
    return response


def _share(request: HttpRequest, entered: dict, result: dict) -> dict:
    """The link that reproduces this result, and for each way to qualify a link comparing the two."""
    token = sharing.encode(entered)
    for chapter in result["chapters"]:
        for measure in chapter["measures"]:
            for change in measure["what_if"]:
                changed = what_if_facts(entered, change["field"], change["value"])
                change["compare_url"] = reverse("compare") + "?" + urlencode({"a": token, "b": sharing.encode(changed)})
    return {"url": request.build_absolute_uri(reverse("calculator") + "?" + urlencode({"f": token})), "token": token,
            "apply_url": reverse("application-from-result") + "?" + urlencode({"f": token})}


def what_if_facts(facts: dict, field: str, value) -> dict:
    group, name = field.split(".", 1)
    return {**facts, group: {**(facts.get(group) or {}), name: value}}


def _carried(request: HttpRequest) -> list[tuple[str, str]]:
    """The submitted facts, for the language switch to post again."""
    if request.method != "POST":
        return []
    skip = ("csrfmiddlewaretoken", "switch_language")
    return [(name, value) for name, values in request.POST.lists() if name not in skip for value in values]


@require_safe
def catalogue_page(request: HttpRequest) -> HttpResponse:
    lang = _lang(request)
    today = timezone.localdate()
    ctx = {
        **_page(request, lang, "catalogue"),
        "as_of": today,
        "chapters": presentation.catalogue_chapters(today, lang),
        "scope": presentation.scope_clause(today, lang),
        "document": parameters.value("policy.document", today),
    }
    return render(request, "measures/catalogue.html", ctx)


@require_safe
def compare(request: HttpRequest) -> HttpResponse:
    """对比: two fact sets (two shared links' `f`) side by side, the measures that differ marked."""
    lang = _lang(request)
    today = timezone.localdate()
    sides, error = [], None
    try:
        for key in ("a", "b"):
            token = request.GET.get(key, "")
            facts = sharing.decode(token)
            parsed = parse_facts(facts)
            result = serialize.evaluation(evaluate(parsed, parsed.as_of or today), lang)
            url = reverse("calculator") + "?" + urlencode({"f": token})
            sides.append({"facts": facts, "result": result, "url": url})
    except (sharing.BadLink, FactsError):
        error = _("These links cannot be compared: one of them is damaged or holds facts that are not valid.")
    ctx = {**_page(request, lang, "compare"), "error": error,
           "comparison": presentation.comparison(sides[0], sides[1], lang) if not error else None}
    return render(request, "measures/compare.html", ctx, status=400 if error else 200)
