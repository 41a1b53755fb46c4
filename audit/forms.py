"""The audit log's filters (a GET form, also used by the CSV export)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from audit.models import Action
from measures.forms import FIELD_ID


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("All")), *Action.choices])
    actor = forms.CharField(label=_("Actor (user name)"), required=False, max_length=150)
    date_from = forms.DateField(label=_("Date from"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                input_formats=["%Y-%m-%d"])
    date_to = forms.DateField(label=_("Date until"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                              input_formats=["%Y-%m-%d"])
    application = forms.IntegerField(label=_("Application no."), required=False, min_value=1,
                                     max_value=999_999_999_999,
                                     widget=forms.TextInput(attrs={"inputmode": "numeric"}))

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("auto_id", FIELD_ID)
        super().__init__(*args, **kwargs)
