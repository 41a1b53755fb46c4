"""The objection form of the public notice page. It only collects text; `notices.services` checks
it and its errors stand beside the fields (`kernel.pages.invalid_into`). `website` is a honeypot:
hidden from people (and from screen readers), filled in only by form-filling robots."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kernel.forms import FIELD_ID
from measures import messages
from notices.services import LIMITS

HONEYPOT = "website"


class ObjectionForm(forms.Form):
    name = forms.CharField(label=_("Your name or organisation"), required=False, max_length=LIMITS["name"])
    contact = forms.CharField(label=_("How to reach you"), required=False, max_length=LIMITS["contact"],
                              help_text=_("A phone number or an email address. With an email, you receive the "
                                          "outcome. Never published."))
    text = forms.CharField(label=_("Your objection"), required=False, max_length=LIMITS["text"],
                           widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("What is wrong with the proposed grant, and how you know it (at most "
                                       "2,000 characters)."))
    website = forms.CharField(label=_("Leave this field empty"), required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def __init__(self, *args: Any, lang: str, **kwargs: Any):
        kwargs.setdefault("auto_id", FIELD_ID)
        super().__init__(*args, **kwargs)
        self.lang = lang

    def add_domain_errors(self, errors: list[dict[str, str]]) -> None:
        """The service names `objection.name` and so on; here they stand beside `name`."""
        for error in errors:
            name = error["field"].removeprefix("objection.")
            self.add_error(name if name in self.fields else None,
                           messages.field_error(error["field"], error["code"], self.lang))

    @property
    def is_robot(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data.get(HONEYPOT))
