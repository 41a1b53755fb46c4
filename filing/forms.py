"""The filing wizard's forms: each facts step is the calculator's fields of one group (same labels,
help, widgets and `f-<path>` ids), and turns what was entered into a JSON merge patch of the
application's facts. As in the calculator, the form only collects text: the facts model, through
`filing.services`, is the one validator."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.transitions import NOTE_MAX
from eligibility.forms import FLAG, MULTI, NO, SPEC, TRISTATE, YES, CalculatorForm, _fact
from measures import messages, parameters
from measures.labels import long_date

STEPS = ("enterprise", "project", "circumstances", "attachments", "review")
STEP_TITLES = {
    "enterprise": _("Enterprise"),
    "project": _("Project"),
    "circumstances": _("Circumstances"),
    "attachments": _("Attachments"),
    "review": _("Review and submit"),
}
FACT_STEPS = ("enterprise", "project", "circumstances")
# The enterprise's identity comes from the account; only these enterprise facts are the applicant's.
EDITABLE_ENTERPRISE = ("enterprise.sectors", "enterprise.activities", "enterprise.qualifications")
HAS_PROJECT = "has_project"
# The buttons of the confirmation shown when "No" is chosen while a project is saved.
REMOVE_PROJECT = "remove_project"
CONFIRM, KEEP = "confirm", "keep"


def step_paths(step: str) -> tuple[str, ...]:
    if step == "enterprise":
        return EDITABLE_ENTERPRISE
    return tuple(path for path in SPEC if path.startswith(step + "."))


def _initial_value(kind: str, value: Any) -> Any:
    if kind == MULTI:
        return list(value or [])
    if kind == TRISTATE:
        return {True: YES, False: NO}.get(value, "")
    if kind == FLAG:
        return bool(value)
    return "" if value is None else str(value)


def initial_from_facts(facts: dict[str, Any], step: str) -> dict[str, Any]:
    """The stored facts as the step's form values."""
    initial: dict[str, Any] = {}
    for path in step_paths(step):
        group, name = path.split(".", 1)
        initial[path] = _initial_value(SPEC[path][0], (facts.get(group) or {}).get(name))
    if step == "project":
        # Nothing preselected without a project: the applicant answers (issue 12).
        initial[HAS_PROJECT] = YES if facts.get("project") else ""
    return initial


class StepForm(CalculatorForm):
    """The facts of one wizard step (enterprise, project or circumstances)."""

    def __init__(self, *args: Any, step: str, lang: str, today: dt.date, saved_project: dict | None = None,
                 **kwargs: Any):
        super().__init__(*args, lang=lang, today=today, **kwargs)
        self.step = step
        # The project as stored: choosing "No" then removes it, but only once confirmed.
        self.saved_project = saved_project if step == "project" else None
        paths = step_paths(step)
        fields = {path: self.fields[path] for path in paths}
        if step == "project":
            has_project = forms.ChoiceField(
                label=_("Does the enterprise declare a new or expanded project?"),
                choices=[(YES, _("Yes: a data centre or green computing key project (investment subsidy, Art. 4)")),
                         (NO, _("No: apply for the other measures only"))],
                widget=forms.RadioSelect,
                help_text=_("With a project, every project field is needed to submit, and the project "
                            "documents must be attached."),
                error_messages={"required": _("Choose whether the enterprise declares a project.")})
            fields = {HAS_PROJECT: has_project, **fields}
            fields["project.code"].help_text = _("The investment project code from the project filing, like "
                                                 "2406-630202-04-01-532198.")
            # The wizard's own wording: an application is evaluated on the day it is submitted.
            fields["project.completed_on"].help_text = _(
                "The date the project was actually built: not before %(not_before)s and not after the day "
                "the application is submitted.") % {
                "not_before": long_date(parameters.value("m04.built_not_before", today), lang)}
        self.fields = fields

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # Never drop what was typed without the applicant saying so (with a project saved, the
        # view asks to confirm its removal instead, naming what would be lost).
        if (self.step == "project" and data.get(HAS_PROJECT) == NO and not self.saved_project
                and self.entered_project()):
            self.add_error(HAS_PROJECT, _("You entered project details: choose “Yes” to keep them, or "
                                          "clear them to apply without a project."))
        return data

    def entered_project(self) -> list[str]:
        """The project fields holding a value on the page."""
        data = self.cleaned_data
        return [p for p in step_paths("project") if _fact(SPEC[p][0], data.get(p)) is not None]

    @property
    def removes_project(self) -> bool:
        """"No" is chosen while a project is saved (valid forms only)."""
        return self.step == "project" and bool(self.saved_project) and self.cleaned_data.get(HAS_PROJECT) == NO

    @property
    def removal_confirmed(self) -> bool:
        return self.data.get(REMOVE_PROJECT) == CONFIRM

    def unsaved_project(self) -> list[str]:
        """The labels of project fields typed on the page but not saved: removing the project
        discards them too, so the confirmation names them. Needs the saved facts as `initial`."""
        changed = set(self.changed_data)
        return [str(self.fields[p].label) for p in self.entered_project() if p in changed]

    def patch(self) -> dict[str, Any]:
        """A JSON merge patch (RFC 7396) for the step's group: an empty field deletes its fact."""
        data = self.cleaned_data
        if self.step == "project" and data.get(HAS_PROJECT) == NO:
            return {"project": None}
        values: dict[str, Any] = {}
        for path in step_paths(self.step):
            kind = SPEC[path][0]
            value = _fact(kind, data.get(path))
            if kind == FLAG:
                value = bool(value)
            values[path.split(".", 1)[1]] = value
        return {self.step: values}


class WithdrawForm(forms.Form):
    note = forms.CharField(required=False, max_length=NOTE_MAX, label=_("Reason (optional)"),
                           widget=forms.Textarea(attrs={"rows": 3}))


class AttachmentForm(forms.Form):
    """One kind's file input of the attachments step: refusals of the file stand under it."""

    def __init__(self, kind: str):
        super().__init__(data={})
        self.kind = kind

    def error_message(self, path: str, code: str, lang: str) -> str:
        return messages.field_error(f"attachments.{self.kind}", code, lang)


class DeclarationForm(forms.Form):
    """The review step's submission: the 承诺书 box; what is still missing is listed on the page."""

    declaration = forms.BooleanField(required=False)

    def __init__(self, data: Any):
        super().__init__(data=data)
