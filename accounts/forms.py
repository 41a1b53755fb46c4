"""The enterprise self-registration form. It only collects text: `accounts.services` validates, as
for accounts made on the command line, and its field errors land beside the fields here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from kernel.forms import FIELD_ID
from measures import labels, messages, regions

# form field -> the labelled path its messages use (measures.labels.FIELDS)
PATHS = {
    "username": "account.username",
    "password1": "account.password",
    "password2": "account.password",
    "name": "enterprise.name",
    "credit_code": "enterprise.credit_code",
    "registered_region": "enterprise.registered_region",
    "contact_person": "enterprise.contact_person",
    "phone": "enterprise.phone",
    "email": "enterprise.email",
}
# a field named in a service error -> the form field it belongs beside
SERVICE_FIELDS = {"password": "password1"}
ENTERPRISE_FIELDS = ("name", "credit_code", "registered_region", "contact_person", "phone", "email")


def region_choices(lang: str) -> list[tuple[str, str]]:
    """Haidong's current county codes and the city level, each with its name."""
    city = "海东市（市本级）" if lang != "en" else "Haidong (city level)"
    return [("", str(_("— choose —"))),
            *((code, f"{code} {regions.county_name(code, lang)}") for code in regions.COUNTIES),
            ("630200", f"630200 {city}")]


class RegistrationForm(forms.Form):
    username = forms.CharField(max_length=150, widget=forms.TextInput(attrs={
        "autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}))
    password1 = forms.CharField(strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    name = forms.CharField(max_length=200, widget=forms.TextInput(attrs={"autocomplete": "organization"}))
    credit_code = forms.CharField(max_length=30, widget=forms.TextInput(attrs={
        "autocapitalize": "characters", "spellcheck": "false", "autocomplete": "off",
        "placeholder": "91630202MA7ABCDE1Y"}))
    registered_region = forms.ChoiceField()
    contact_person = forms.CharField(max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(max_length=30, widget=forms.TextInput(attrs={
        "type": "tel", "autocomplete": "tel", "inputmode": "tel"}))
    email = forms.CharField(max_length=254, widget=forms.TextInput(attrs={
        "type": "email", "autocomplete": "email", "inputmode": "email", "spellcheck": "false"}))

    def __init__(self, *args: Any, lang: str, **kwargs: Any):
        kwargs.setdefault("auto_id", FIELD_ID)
        super().__init__(*args, **kwargs)
        self.lang = lang
        self.fields["registered_region"].choices = region_choices(lang)
        for name, field in self.fields.items():
            path = PATHS[name]
            field.label = labels.field(path, lang)
            field.error_messages["required"] = messages.field_error(path, "required", lang)
            field.error_messages["invalid_choice"] = messages.field_error(path, "invalid_choice", lang)
            field.error_messages["max_length"] = messages.field_error(path, "too_long", lang)
        self.fields["password2"].label = _("Password again")
        self.fields["username"].help_text = _("Letters, digits and @ . + - _ only; used to log in.")
        self.fields["password1"].help_text = " ".join(password_validators_help_texts())
        self.fields["credit_code"].help_text = _("The 18 characters on the business licence. One enterprise "
                                                 "registers once; its colleagues are added by the service desk.")
        self.fields["registered_region"].help_text = _("Only enterprises registered in Haidong can register.")
        self.fields["contact_person"].help_text = _("The person the reviewing authority contacts about "
                                                    "applications.")

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        try:
            User.username_validator(username)
        except forms.ValidationError:
            raise forms.ValidationError(messages.field_error(PATHS["username"], "invalid_format", self.lang)) from None
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", messages.field_error(PATHS["password2"], "password_mismatch", self.lang))
        return data

    def enterprise_values(self) -> dict[str, str]:
        """The enterprise fields as entered (also when the form is not valid), for the service."""
        return {name: (self.cleaned_data.get(name) or self.data.get(name) or "").strip()
                for name in ENTERPRISE_FIELDS}

    def add_domain_errors(self, errors: list[dict[str, str]]) -> None:
        """Field errors from `accounts.services`, each beside its field (once per field)."""
        for error in errors:
            name = SERVICE_FIELDS.get(error["field"], error["field"])
            if name not in self.fields:
                self.add_error(None, messages.field_error(error["field"], error["code"], self.lang))
                continue
            if self.has_error(name):
                continue
            text = messages.field_error(PATHS[name], error["code"], self.lang)
            if error["code"] == "weak_password" and error.get("message"):
                # Django's password validators say why, in the page's language.
                text += (": " if self.lang == "en" else "：") + error["message"]
            self.add_error(name, text)
