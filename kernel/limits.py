"""Request bodies are capped before anything reads them: at most UPLOAD_BODY_MAX_BYTES (21 MB)
where a file is uploaded, BODY_MAX_BYTES (1 MB) everywhere else. A larger declared body is refused
with 413 at once, so it is never read, parsed or written to a temporary file. (A body without a
Content-Length is read by Django as empty.) The reverse proxy caps it too (README)."""

from __future__ import annotations

import re

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _

from kernel.problems import problem

UPLOAD_PATHS = (
    re.compile(r"^/api/v1/applications/\d+/attachments/?$"),  # the API's upload
    re.compile(r"^/applications/\d+/edit/attachments/$"),  # the wizard's attachments step
    re.compile(r"^/verify/[^/]+/$"),  # comparing a PDF with the issued determination
)


def body_limit(path: str) -> int:
    if any(pattern.match(path) for pattern in UPLOAD_PATHS):
        return settings.UPLOAD_BODY_MAX_BYTES
    return settings.BODY_MAX_BYTES


class BodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # Django reads an unreadable length as no body
        limit = body_limit(request.path)
        if declared > limit:
            detail = _("The request body is larger than %(mb)s MB and was not read.") % {
                "mb": round(limit / 1024 / 1024)}
            if request.path.startswith("/api/"):
                return problem(413, detail, getattr(request, "LANGUAGE_CODE", "zh-hans"))
            return render(request, "413.html", {"detail": detail}, status=413)
        return self.get_response(request)
