"""The calculator form: the facts of DESIGN §4 as HTML fields.

Field names are the facts' dotted paths ("project.equipment_investment_cny"), so a validation
error from `parse_facts` lands beside its field and a missing fact links to `#f-<path>`. The form
itself only collects text: `parse_facts` is the one validator, as for the API. Labels and choices
come from `measures.labels`, the one source of display names.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from eligibility import typed_input
from kernel.forms import FIELD_ID
from measures import labels, messages, parameters, regions
from measures.labels import long_date

YES, NO = "yes", "no"
# Longer digit strings stay text, so parse_facts names the field rather than int() choking on them.
INTEGER_RE = re.compile(r"[+-]?[0-9]{1,12}")

# (group, field path) in page order. Groups are the facts' top-level objects.
GROUPS = ("enterprise", "project", "circumstances")

HELP: dict[str, Any] = {
    "as_of": _("The date to evaluate on; today unless you change it. The measures are in force from "
               "%(valid_from)s to %(valid_to)s."),
    "enterprise.name": _("As on the business licence."),
    "enterprise.credit_code": _("The 18 characters on the business licence, e.g. 91630202MA7ABCDE1Y. "
                                "Characters 3–8 give the region of registration. May be left empty for "
                                "a quick check."),
    "enterprise.registered_region": _("6-digit administrative division code of the place of registration, "
                                      "e.g. 630202 for Ledu District. When given, it decides; otherwise "
                                      "the credit code does."),
    "enterprise.sectors": _("At least one listed field is needed for the measures to apply; "
                            "“Other industry” alone is outside their scope."),
    "enterprise.activities": _("At least one of research and development, production and operation."),
    "enterprise.qualifications": _("Recognitions the enterprise already holds."),
    "project.code": _("The investment project code, like 2406-630202-04-01-532198. Needed when you "
                      "describe a project; leave the whole group empty if there is none."),
    "project.name": _("As in the project filing."),
    "project.kind": _("Only new builds and expansions can receive the investment subsidy."),
    "project.category": _("A data centre, or a green computing key project."),
    "project.region": _("The county or district where the project is built (6-digit code). The city-level "
                        "code 630200 does not tell who pays the subsidy."),
    "project.in_industrial_park": _("Inside Haidong Industrial Park (any of its parks, including the "
                                    "Zero-Carbon Industrial Park) the park committee pays the subsidy; "
                                    "elsewhere the county's own finance does."),
    "project.standard_racks": _("Standard racks actually built; a standard rack is %(kw)s kW. A data centre "
                                "needs at least one."),
    "project.equipment_investment_cny": _("Actual investment in the built racks and the purchased "
                                          "computing equipment, in yuan: type it as you like, e.g. 3.2亿, "
                                          "32000万 or 320,000,000. The tiers are in Art. 4 of the catalogue."),
    "project.completed_on": _("The date the project was actually built: not before %(not_before)s and not "
                              "after the evaluation date."),
    "circumstances.ai_model_training": _("AI foundation model or industry model training carried out in "
                                         "Haidong."),
    "circumstances.scheduling_pilot": _("Takes part in the integrated compute-network scheduling pilot."),
    "circumstances.scheduled_compute_pflops": _("Compute put under integrated scheduling, in PFLOPS "
                                                "(up to 3 decimals)."),
    "circumstances.green_data_center": _("Recognised as a green data centre (environmental impact "
                                         "assessment exemption)."),
    "circumstances.research_achievement": _("A major research achievement in green computing."),
    "circumstances.high_level_talents": _("Outstanding, leading and top talents brought in directly "
                                          "(Kunlun Talent programme)."),
    "circumstances.joint_training": _("Trains talent jointly with research institutes, universities or "
                                      "vocational colleges."),
    "circumstances.needs_land": _("Needs land for industrial use."),
    "circumstances.leases_standard_factory": _("Leases standard factory space in Haidong Industrial Park "
                                               "or a county industrial park."),
    "circumstances.seeks_financing": _("Seeks government investment funds or bank financing."),
}

TEXT = "text"
REGION = "region"
MULTI = "multi"
CHOICE = "choice"
TRISTATE = "tristate"
COUNT = "count"
DECIMAL = "decimal"
DATE = "date"
FLAG = "flag"

CODE = "code"

# path -> (kind, labels.CHOICES group or None, extra widget attributes)
SPEC: dict[str, tuple[str, str | None, dict[str, str]]] = {
    "enterprise.name": (TEXT, None, {"autocomplete": "organization"}),
    "enterprise.credit_code": (CODE, None, {"autocapitalize": "characters", "spellcheck": "false",
                                            "autocomplete": "off", "placeholder": "91630202MA7ABCDE1Y"}),
    "enterprise.registered_region": (REGION, None, {}),
    "enterprise.sectors": (MULTI, "sector", {}),
    "enterprise.activities": (MULTI, "activity", {}),
    "enterprise.qualifications": (MULTI, "qualification", {}),
    "project.code": (CODE, None, {"spellcheck": "false", "autocomplete": "off",
                                  "placeholder": "2406-630202-04-01-532198"}),
    "project.name": (TEXT, None, {}),
    "project.kind": (CHOICE, "kind", {}),
    "project.category": (CHOICE, "category", {}),
    "project.region": (REGION, None, {}),
    "project.in_industrial_park": (TRISTATE, None, {}),
    "project.standard_racks": (COUNT, None, {}),
    # data-money: echoed as read while typing (static/js/forms.js); read by typed_input.money.
    "project.equipment_investment_cny": (DECIMAL, None, {"placeholder": "3.2亿", "data-money": ""}),
    "project.completed_on": (DATE, None, {}),
    "circumstances.ai_model_training": (CHOICE, "ai_model_training", {}),
    "circumstances.scheduling_pilot": (FLAG, None, {}),
    "circumstances.scheduled_compute_pflops": (DECIMAL, None, {}),
    "circumstances.green_data_center": (FLAG, None, {}),
    "circumstances.research_achievement": (FLAG, None, {}),
    "circumstances.high_level_talents": (COUNT, None, {}),
    "circumstances.joint_training": (FLAG, None, {}),
    "circumstances.needs_land": (FLAG, None, {}),
    "circumstances.leases_standard_factory": (FLAG, None, {}),
    "circumstances.seeks_financing": (FLAG, None, {}),
}
REGIONS_DATALIST = "haidong-regions"


class CalculatorForm(forms.Form):
    """Every field optional: an absent fact is `needs_info` in the outcome, never a form error."""

    def error_message(self, path: str, code: str, lang: str) -> str:
        """For kernel.pages: the form sends only text, so a type error means text that is not the
        number expected; what could not be read is said with an example of what can be typed."""
        code = "invalid_format" if code == "invalid_type" else code
        kind = SPEC.get(path, (DATE if path == "as_of" else None,))[0]
        example = EXAMPLES.get(kind) if code == "invalid_format" and _reader(path, kind) else None
        if example is None:
            return messages.field_error(path, code, lang)
        label = labels.field(path, lang)
        if lang == "en":
            return f"{label} could not be read (e.g. {example.replace('、', ', ')})"
        return f"{label}无法识别（例如：{example}）"

    def __init__(self, *args: Any, lang: str, today: dt.date, **kwargs: Any):
        kwargs.setdefault("auto_id", FIELD_ID)
        kwargs.setdefault("initial", {"as_of": today.isoformat(), "circumstances.ai_model_training": "none"})
        super().__init__(*args, **kwargs)
        self.lang = lang
        # Help texts quote dated parameters, never literals: a revision of the policy shows here too.
        values = {
            "kw": parameters.value("m04.rack_power_kw", today),
            "not_before": long_date(parameters.value("m04.built_not_before", today), lang),
            "valid_from": long_date(parameters.value("policy.valid_from", today), lang),
            "valid_to": long_date(parameters.value("policy.valid_to", today), lang),
        }
        self.fields["as_of"] = forms.CharField(
            required=False, label=labels.field("as_of", lang), help_text=HELP["as_of"] % values,
            widget=forms.DateInput(attrs={"type": "date"}))
        for path, (kind, group, attrs) in SPEC.items():
            help_text = HELP[path]
            if "%(" in str(help_text):
                help_text = help_text % values
            self.fields[path] = _field(kind, group, attrs, lang)
            self.fields[path].label = labels.field(path, lang)
            self.fields[path].help_text = help_text
            if kind == REGION:
                self._keep_typed_region(path)

    def _keep_typed_region(self, path: str) -> None:
        """A region not among the options (an older code, one outside Haidong) stays selectable."""
        current = (self.data.get(path) if self.is_bound else self.initial.get(path)) or ""
        widget = self.fields[path].widget
        if current and current not in {value for value, _label in widget.choices}:
            widget.choices = [*widget.choices, (current, current)]

    def clean(self) -> dict[str, Any]:
        """What people type, read as the facts (eligibility.typed_input); an unreadable value is an
        error beside its field with an example, and everything else is kept."""
        data = super().clean()
        for path, (kind, _group, _attrs) in SPEC.items():
            raw = data.get(path)
            reader = _reader(path, kind)
            if not raw or reader is None or not isinstance(raw, str):
                continue
            try:
                data[path] = reader(raw)
            except typed_input.Unreadable:
                continue  # left as typed: the facts' check reports it with every other problem
            if path.endswith("_cny"):
                self.fields[path].echo = f"= ¥{Decimal(data[path]):,.2f}" + ("" if self.lang == "en" else " 元")
        if data.get("as_of"):
            with contextlib.suppress(typed_input.Unreadable):
                data["as_of"] = typed_input.date(data["as_of"])
        return data

    def groups(self) -> list[dict[str, Any]]:
        """The bound fields by group, for the template."""
        return [
            {"key": g, "title": labels.field(g, self.lang),
             "fields": [self[p] for p in SPEC if p.startswith(g + ".")]}
            for g in GROUPS
        ]

    def facts(self) -> dict[str, Any]:
        """The facts dict of DESIGN §4 from the cleaned data, empty fields left out."""
        data = self.cleaned_data
        facts: dict[str, Any] = {}
        if data.get("as_of"):
            facts["as_of"] = data["as_of"]
        for group in GROUPS:
            values = {}
            for path, (kind, _group, _attrs) in SPEC.items():
                if not path.startswith(group + "."):
                    continue
                value = _fact(kind, data.get(path))
                if value is not None:
                    values[path.split(".", 1)[1]] = value
            if values or group == "enterprise":
                facts[group] = values
        return facts


EXAMPLES = {
    DECIMAL: "3.2亿、32000万、320,000,000",
    COUNT: "1200、1,200",
    DATE: "2025-01-15、2025/1/15",
    REGION: "630202、乐都区",
}


def _reader(path: str, kind: str):
    if kind == DECIMAL:
        return typed_input.money if path.endswith("_cny") else None
    return {COUNT: typed_input.count, DATE: typed_input.date, REGION: typed_input.region}.get(kind)


def _field(kind: str, group: str | None, attrs: dict[str, str], lang: str) -> forms.Field:
    if kind == MULTI:
        return forms.MultipleChoiceField(required=False, choices=_choices(group, lang),
                                         widget=forms.CheckboxSelectMultiple)
    if kind == CHOICE:
        choices = _choices(group, lang)
        if group != "ai_model_training":
            choices = [("", _("— not given —")), *choices]
        return forms.ChoiceField(required=False, choices=choices)
    if kind == TRISTATE:
        return forms.ChoiceField(required=False, widget=forms.RadioSelect,
                                 choices=[(YES, _("Yes")), (NO, _("No")), ("", _("Not given"))])
    if kind == FLAG:
        return forms.BooleanField(required=False)
    widget_attrs = dict(attrs)
    if kind == REGION:  # the counties by name, their codes as values (a code typed elsewhere is kept)
        return forms.CharField(required=False, widget=forms.Select(
            choices=[("", _("— not given —")), *region_options(lang)]))
    if kind == COUNT:
        widget_attrs["inputmode"] = "numeric"
    elif kind == DECIMAL:
        widget_attrs["inputmode"] = "decimal"
    if kind == DATE:
        return forms.CharField(required=False, widget=forms.DateInput(attrs={"type": "date", **widget_attrs}))
    return forms.CharField(required=False, widget=forms.TextInput(attrs=widget_attrs))


def _choices(group: str | None, lang: str) -> list[tuple[str, str]]:
    assert group is not None
    return [(value, labels.choice(group, value, lang)) for value in labels.CHOICES[group]]


def _fact(kind: str, value: Any) -> Any:
    """A form value as its fact, None when empty. Text that is not a number is passed on as text,
    for `parse_facts` to report."""
    if kind == FLAG:
        return True if value else None  # unchecked is the facts' default, false
    if kind == MULTI:
        return list(value) if value else None
    if kind == TRISTATE:
        return {YES: True, NO: False}.get(value)
    if value in (None, ""):
        return None
    if not isinstance(value, str):  # already read (eligibility.typed_input)
        return value
    if kind in (CODE, REGION, COUNT, DECIMAL, DATE):
        # A Chinese input method types full-width digits, letters and hyphens (９１６３…，－):
        # what a person means is the ASCII the API takes.
        value = unicodedata.normalize("NFKC", value).strip()
    if kind == COUNT and INTEGER_RE.fullmatch(value):
        return int(value)
    return value


def region_options(lang: str) -> list[tuple[str, str]]:
    """The Haidong county codes with their names (the code in brackets), and the city level."""
    def named(name: str, code: str) -> str:
        return f"{name} ({code})" if lang == "en" else f"{name}（{code}）"

    city = ("630200", named(str(_("Haidong (city level)")), "630200"))
    return [*((code, named(regions.county_name(code, lang), code)) for code in regions.COUNTIES), city]
