"""Language choice. Pages are Chinese unless the visitor picked English (the language cookie set
by the switch); the API follows `Accept-Language` (zh-hans|en, default zh-hans) as DESIGN §4 says."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from measures.messages import DEFAULT_LANGUAGE, language


def api_language(header: str) -> str:
    """The first of zh / en in the client's order of preference; zh-hans when neither is asked."""
    for tag, q in parse_accept_lang_header(header or ""):
        if q > 0 and tag.startswith(("zh", "en")):
            return language(tag)
    return DEFAULT_LANGUAGE


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            lang = api_language(request.headers.get("Accept-Language", ""))
        else:
            lang = language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", lang)
        return response
