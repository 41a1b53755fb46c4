"""Telling the enterprise when its application is returned, noticed, approved, rejected or paid (a
message in its 消息中心, also mailed), and an objector when its objection is resolved (a mail). The
message is stored with the decision; the mails go through the job queue after the transaction commits
(retried while the mail server fails, recorded if they never go): a failure never blocks or undoes the
decision."""

from __future__ import annotations

from django.urls import reverse

from applications.tasks import mail_objection_outcome
from inbox.models import Kind
from inbox.services import message_send
from jobs.queue import enqueue

SUBJECTS = {
    "returned": ("您的申请已退回修改", "Your application was returned for correction"),
    "approved": ("您的申请已获批准", "Your application was approved"),
    "rejected": ("您的申请未获批准", "Your application was rejected"),
    "in_notice": ("您的申请已进入公示", "Your application is in public notice"),
    "objection_upheld": ("公示期间异议成立，您的申请已退回审核",
                         "An objection was upheld: your application is back in review"),
    "paid": ("补助资金已拨付", "A payment of your subsidy was made"),
}


def notify_enterprise(application, state: str, note: str | None = None, *,
                      detail: tuple[str, str] | None = None) -> None:
    """`note`: a person's note, shown as written (None: the latest note of the history; "": none).
    `detail`: a text of the system in (zh-hans, en) instead (a payment's figures)."""
    zh, en = SUBJECTS[state]
    number = application.pk
    if detail is not None:
        body = (f"{zh}（申请编号{number}）。\n{detail[0]}", f"{en} (application {number}).\n{detail[1]}")
    else:
        if note is None:
            note = application.history.order_by("-at", "-pk").values_list("note", flat=True).first() or ""
        body = (f"{zh}（申请编号{number}）。" + (f"\n审核意见：{note}" if note else ""),
                f"{en} (application {number})." + (f"\nNote: {note}" if note else ""))
    kind = Kind.OBJECTION if state == "objection_upheld" else Kind.STATUS
    message_send(enterprise=application.enterprise, kind=kind, title=(zh, en), body=body,
                 link=reverse("application-detail", args=[number]))


def notify_objector(objection) -> None:
    """The outcome of an objection, to the objector's email when one was given."""
    if objection.email:
        enqueue(mail_objection_outcome, objection.pk)
