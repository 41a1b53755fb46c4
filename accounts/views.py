"""Account pages and the lockout answer for repeated failed logins."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages as notices
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rest_framework.throttling import SimpleRateThrottle

from accounts.forms import ENTERPRISE_FIELDS, RegistrationForm
from accounts.services import enterprise_errors, enterprise_register, password_changed
from kernel.pages import invalid_into, throttled
from kernel.problems import problem
from kernel.throttling import CurrentRate
from measures import messages


def locked_out(request, response, credentials, *args, **kwargs):
    """django-axes calls this once a username or an address has failed too often."""
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    detail = _("Too many failed logins. Try again in %(minutes)s minutes, or reset your password.") % {
        "minutes": minutes}
    if request.path.startswith("/api/"):
        return problem(429, detail, getattr(request, "LANGUAGE_CODE", "zh-hans"),
                       headers={"Retry-After": str(minutes * 60)})
    return render(request, "accounts/locked_out.html", {"detail": detail}, status=429)


def _next(request: HttpRequest) -> str | None:
    """Where to go after registering (e.g. back to 按此结果申报 with the facts), when it is ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure())
    return target if target and safe else None


class RegistrationThrottle(CurrentRate, SimpleRateThrottle):
    """Registrations tried per client address (THROTTLE_REGISTER, default 5/hour)."""

    scope = "register"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


@require_http_methods(["GET", "HEAD", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Self-registration of an enterprise and its first user, who is then signed in."""
    if request.user.is_authenticated:
        return redirect("my-applications")
    lang = messages.language(getattr(request, "LANGUAGE_CODE", None))
    if request.method == "POST" and (refused := throttled(request, RegistrationThrottle(), _(
            "Too many registrations from your address. Please try again in %(minutes)s minutes."))):
        return refused
    if request.method == "POST":
        form = RegistrationForm(request.POST, lang=lang)
        if form.is_valid():
            with invalid_into(form, lang):
                user = enterprise_register(username=form.cleaned_data["username"],
                                           password=form.cleaned_data["password1"], **form.enterprise_values())
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                notices.success(request, _("Your enterprise is registered and you are logged in. "
                                           "Start an application when you are ready."))
                return redirect(_next(request) or "my-applications")
        else:
            # The enterprise's own checks too, so every problem shows at once.
            form.add_domain_errors(enterprise_errors(**form.enterprise_values()))
    else:
        form = RegistrationForm(lang=lang)
    ctx = {
        "lang": lang,
        "page": "register",
        "form": form,
        "account_fields": [form["username"], form["password1"], form["password2"]],
        "enterprise_fields": [form[name] for name in ENTERPRISE_FIELDS],
        "next": _next(request) or "",
    }
    return render(request, "accounts/register.html", ctx)


class PasswordChange(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)  # keeps this session; the others end
        password_changed(user=form.user, actor=form.user, how="changed")
        return response


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed(user=form.user, actor=form.user, how="reset")
        return response
