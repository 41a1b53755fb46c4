"""The review pages' forms. As in the filing wizard, they only collect text: the queue's filters
are validated by `review.selectors.queue_filters` and the actions by `review.services`, whose
errors `kernel.pages` puts beside the fields. Also the audit log's filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.transitions import NOTE_MAX
from applications.workflow import QUEUE_STATES
from audit.models import Action
from kernel.forms import FIELD_ID
from measures import messages
from review import presentation

# Unknown query parameters are refused by the selector; these are the ones the form sends.
QUEUE_FIELDS = ("q", "status", "tier", "county", "jurisdiction", "submitted_from", "submitted_to", "overdue")


def _text(label: Any, *, widget: forms.Widget | None = None, help_text: Any = "") -> forms.CharField:
    # CharField whatever the widget: the selector, not Django, says what is valid.
    return forms.CharField(label=label, required=False, widget=widget or forms.TextInput(), help_text=help_text)


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


class QueueFilterForm(forms.Form):
    """The queue's GET form. `jurisdiction` is for city admins; `county` for those who see several."""

    def __init__(self, *args: Any, lang: str, today: dt.date, city_admin: bool, several_counties: bool,
                 **kwargs: Any):
        kwargs.setdefault("auto_id", FIELD_ID)
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        fields: dict[str, forms.Field] = {
            "q": _text(_("Search"), help_text=_("Part of an enterprise name (one or two characters: its beginning), "
                                                "or the beginning of a credit code or project code")),
            "status": _text(_("Status"), widget=forms.Select(choices=[
                *every, *((s.value, s.label) for s in QUEUE_STATES)])),
            "tier": _text(_("Investment subsidy (Art. 4)"), widget=forms.Select(choices=[
                *every, *((str(t), presentation.tier_label(t, today)) for t in (1, 2, 0))])),
        }
        if city_admin:
            fields["jurisdiction"] = _text(_("Jurisdiction"), widget=forms.Select(
                choices=[*every, *presentation.jurisdiction_options(lang)]))
        if several_counties:
            fields["county"] = _text(_("County or district of the project"), widget=forms.Select(
                choices=[*every, *presentation.county_options(lang)]))
        fields["submitted_from"] = _text(_("Submitted from"), widget=_date_input())
        fields["submitted_to"] = _text(_("Submitted until"), widget=_date_input())
        fields["overdue"] = _text(_("Deadline"), widget=forms.Select(choices=[
            *every, ("true", _("Overdue only")), ("false", _("Within the deadline"))]))
        self.fields = fields

    def error_message(self, path: str, code: str, lang: str) -> str:
        """The filter's label and what is wrong with it; a parameter that is no filter, by name."""
        if path not in self.fields:
            return _("“%(name)s” is not a filter of the queue.") % {"name": path}
        zh, en = messages.FIELD_ERRORS.get(code, messages.FIELD_ERRORS["invalid_format"])
        label = self.fields[path].label
        return f"{label} {en}" if lang == "en" else f"{label}{zh}"


class BatchForm(forms.Form):
    """Claim or return the applications ticked in the queue (each through its own service call)."""

    action = forms.ChoiceField(choices=[("claim", _("Claim")), ("return", _("Return"))])
    note = forms.CharField(label=_("Note for the enterprise (required to return): what to correct"), required=False,
                           max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, lang: str, max_items: int, **kwargs: Any):
        kwargs.setdefault("auto_id", FIELD_ID)
        super().__init__(*args, **kwargs)
        self.lang = lang
        self.max_items = max_items
        self.selected: list[int] = []
        if self.is_bound:
            raw = self.data.getlist("application") if hasattr(self.data, "getlist") else []
            self.selected = list(dict.fromkeys(int(v) for v in raw if v.isdigit() and len(v) <= 12))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.selected:
            self.add_error(None, _("Select at least one application."))
        elif len(self.selected) > self.max_items:
            self.add_error(None, _("Select at most %(n)s applications at a time.") % {"n": self.max_items})
        if data.get("action") == "return" and not (data.get("note") or "").strip():
            self.add_error("note", messages.field_error("note", "required", self.lang))
        return data


class NoteForm(forms.Form):
    """Return or reject: the note is required (the service says so; the form keeps what was typed)."""

    note = forms.CharField(required=False, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, label: Any, help_text: Any = "", **kwargs: Any):
        kwargs.setdefault("auto_id", FIELD_ID)
        super().__init__(*args, **kwargs)
        self.fields["note"].label = label
        self.fields["note"].help_text = help_text


class ApproveForm(forms.Form):
    recognized_investment_cny = forms.CharField(
        label=_("Recognised investment (CNY, optional)"), required=False, max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, declared: str | None = None, noticed: str | None = None, **kwargs: Any):
        kwargs.setdefault("auto_id", FIELD_ID)
        super().__init__(*args, **kwargs)
        field = self.fields["recognized_investment_cny"]
        if noticed is not None:  # in notice: the figure was published and cannot change here
            del self.fields["recognized_investment_cny"]
        elif declared:
            field.help_text = _("Leave empty to accept the declared investment of %(declared)s. A lower figure, in "
                                "CNY with at most two decimals, replaces it for Art. 4; it may not be higher.") % {
                "declared": declared}
        else:
            field.help_text = _("The application declares no investment: leave this empty.")


class ResolveForm(forms.Form):
    """Resolve an objection: upheld or dismissed, with a note (required; the service says so)."""

    outcome = forms.ChoiceField(label=_("Outcome"), required=False, widget=forms.RadioSelect, choices=[
        ("dismissed", _("Dismissed: the notice stands")),
        ("upheld", _("Upheld: withdraw the notice and review the application again"))])
    note = forms.CharField(label=_("Findings (required)"), required=False, max_length=NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}), help_text=_(
                               "Sent to the objector (if an email was given) and, when upheld, to the enterprise: "
                               "do not name the objector."))

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("auto_id", FIELD_ID)
        super().__init__(*args, **kwargs)


class AuditFilterForm(forms.Form):
    """The audit log's GET form. Every error names its field (the error summary lists them apart
    from the fields), and a reversed date range is refused beside `date_to`."""

    DATE_FORMATS = ["%Y-%m-%d"]
    APPLICATION_RANGE = _("“Application no.” must be a whole number from 1 to 999999999999.")

    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("All")), *Action.choices],
                               error_messages={"invalid_choice": _("Choose an action from the list.")})
    actor = forms.CharField(label=_("Actor (user name)"), required=False, max_length=150, error_messages={
        "max_length": _("The actor's user name has at most %(limit_value)d characters.")})
    date_from = forms.DateField(label=_("Date from"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                input_formats=DATE_FORMATS, error_messages={
                                    "invalid": _("“Date from” is not a valid date: write it as 2025-03-01.")})
    date_to = forms.DateField(label=_("Date until"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                              input_formats=DATE_FORMATS, error_messages={
                                  "invalid": _("“Date until” is not a valid date: write it as 2025-03-01.")})
    application = forms.IntegerField(label=_("Application no."), required=False, min_value=1,
                                     max_value=999_999_999_999,
                                     widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                                     error_messages={"invalid": APPLICATION_RANGE, "min_value": APPLICATION_RANGE,
                                                     "max_value": APPLICATION_RANGE})

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("auto_id", FIELD_ID)
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", forms.ValidationError(
                _("“Date until” (%(date_to)s) is before “Date from” (%(date_from)s)."), code="reversed_range",
                params={"date_from": start.isoformat(), "date_to": end.isoformat()}))
        return cleaned
