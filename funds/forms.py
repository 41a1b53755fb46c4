"""The funds pages' forms. They only collect text; `funds.services` checks it and its errors
stand beside the fields (`kernel.pages.invalid_into`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from funds.services import REFERENCE_MAX
from kernel.forms import FIELD_ID


class PaymentForm(forms.Form):
    amount_cny = forms.CharField(label=_("Amount paid (CNY)"), required=False, max_length=30,
                                 widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
    paid_on = forms.CharField(label=_("Paid on"), required=False, max_length=10,
                              widget=forms.DateInput(attrs={"type": "date"}),
                              help_text=_("The date of the transfer, as on the voucher (2025-11-20)."))
    reference = forms.CharField(label=_("Voucher or bank reference"), required=False, max_length=REFERENCE_MAX)

    def __init__(self, *args: Any, unpaid: str = "", **kwargs: Any):
        kwargs.setdefault("auto_id", FIELD_ID)
        super().__init__(*args, **kwargs)
        if unpaid:
            self.fields["amount_cny"].help_text = _("At most %(unpaid)s, the amount still unpaid.") % {
                "unpaid": unpaid}


class BudgetForm(forms.Form):
    """One amount per payer for one year; an empty field leaves that payer's budget as it is."""

    def __init__(self, *args: Any, payers: list[tuple[str, str, str]], **kwargs: Any):
        kwargs.setdefault("auto_id", FIELD_ID)
        super().__init__(*args, **kwargs)
        for payer, label, current in payers:
            self.fields[payer] = forms.CharField(
                label=label, required=False, max_length=30, initial=current,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
