"""The fund pool in words and figures for the pages, the CSV and the charts (zh-hans or en)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from eligibility.presentation import capitals, figures
from funds.selectors import ZERO, PayerFigures, PaymentStatus, payer_name, payments_of
from measures import regions

COLUMNS = ("budget", "paid", "committed", "in_notice", "pipeline", "remaining")


def column_labels() -> dict[str, str]:
    return {"budget": _("Budget"), "paid": _("Paid"), "committed": _("Committed (approved, unpaid)"),
            "in_notice": _("In public notice"), "pipeline": _("Pipeline (submitted and in review, estimated)"),
            "remaining": _("Remaining (budget − paid − committed)")}


def payer_label(payer: str, lang: str) -> str:
    """The paying authority: the park committee or a county government (第4条)."""
    if lang != "en":
        return payer_name(payer)
    if payer == "park":
        return "Haidong Industrial Park Management Committee"
    return f"{regions.county_name(payer, 'en')} Government"


def pool_rows(pool: list[PayerFigures], lang: str) -> dict:
    """One row per payer with each column in figures, and the totals."""
    rows = []
    for f in pool:
        values = {c: getattr(f, c) for c in COLUMNS}
        rows.append({"payer": f.payer, "label": payer_label(f.payer, lang), "name": f.name, "values": values,
                     "figures": {c: figures(v) if v is not None else None for c, v in values.items()},
                     "over": f.remaining is not None and f.remaining < 0})
    totals = {c: sum((r["values"][c] or ZERO for r in rows), ZERO) for c in COLUMNS if c not in ("budget",
                                                                                                  "remaining")}
    budgets = [r["values"]["budget"] for r in rows if r["values"]["budget"] is not None]
    totals["budget"] = sum(budgets, ZERO) if budgets else None
    totals["remaining"] = None if totals["budget"] is None else totals["budget"] - totals["paid"] - totals["committed"]
    labels = column_labels()
    for row in rows:
        row["cells"] = [(c, labels[c], row["figures"][c]) for c in COLUMNS]
    total_figures = {c: figures(v) if v is not None else None for c, v in totals.items()}
    return {"rows": rows, "totals": total_figures, "total_cells": [(c, labels[c], total_figures[c]) for c in COLUMNS],
            "columns": [(c, labels[c]) for c in COLUMNS]}


def status_label(status: str | None, lang: str) -> str:
    """未拨付 / 部分拨付 / 已拨付; "" without a grant."""
    if status is None:
        return ""
    zh, en = PaymentStatus.LABELS[status]
    return en if lang == "en" else zh


def payments_context(payments, lang: str) -> dict:
    """What funds/_payments.html shows: the amount, paid, unpaid, status and each payment."""
    return {"payments": payments, "amount_figures": figures(payments.amount) if payments.amount else None,
            "amount_capitals": capitals(payments.amount) if payments.amount else None,
            "paid_figures": figures(payments.paid), "unpaid_figures": figures(payments.unpaid),
            "status_label": status_label(payments.status, lang),
            "payment_rows": [{"paid_on": p.paid_on, "figures": figures(p.amount_cny), "reference": p.reference}
                             for p in payments.rows]}


def payments_section(application, lang: str) -> dict:
    """The payments section of an application's page (the enterprise's, the reviewer's, the
    finance officer's): nothing without a grant."""
    payments = payments_of(application)
    if payments.amount is None:
        return {"has_payments": False}
    return {"has_payments": True, **payments_context(payments, lang)}
