"""Pages: the calculator (政策计算器) and the measure catalogue (措施目录)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.http import require_http_methods, require_safe

from eligibility import presentation
from eligibility.forms import REGIONS_DATALIST, CalculatorForm, region_options
from kernel.pages import invalid_into
from measures import messages, parameters, serialize
from measures.engine import evaluate
from measures.facts import parse_facts
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
    result = None
    if request.method == "POST":
        form = CalculatorForm(request.POST, lang=lang, today=today)
        if form.is_valid():
            with invalid_into(form, lang):
                facts = parse_facts(form.facts())
                ev = evaluate(facts, facts.as_of or today)
                result = presentation.outcome(serialize.evaluation(ev, lang), lang)
    else:
        form = CalculatorForm(lang=lang, today=today)
    ctx = {
        **_page(request, lang, "calculator"),
        "form": form,
        "groups": form.groups(),
        "regions_datalist": REGIONS_DATALIST,
        "region_options": region_options(lang),
        "result": result,
        "carried": _carried(request),
    }
    response = render(request, "measures/calculator.html", ctx)
    if switch in LANGUAGES:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, switch, max_age=settings.LANGUAGE_COOKIE_AGE,
                            samesite=settings.LANGUAGE_COOKIE_SAMESITE, secure=settings.LANGUAGE_COOKIE_SECURE,
                            httponly=settings.LANGUAGE_COOKIE_HTTPONLY, path=settings.LANGUAGE_COOKIE_PATH)
    return response


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
