"""Emails to the enterprise when its application is returned, noticed, approved, rejected or paid,
and to an objector when its objection is resolved. Sent after the transaction commits; a failure is
logged and never blocks or undoes the decision."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

logger = logging.getLogger(__name__)

SUBJECTS = {
    "returned": ("您的申请已退回修改", "Your application was returned for correction"),
    "approved": ("您的申请已获批准", "Your application was approved"),
    "rejected": ("您的申请未获批准", "Your application was rejected"),
    "in_notice": ("您的申请已进入公示", "Your application is in public notice"),
    "objection_upheld": ("公示期间异议成立，您的申请已退回审核",
                         "An objection was upheld: your application is back in review"),
    "paid": ("补助资金已拨付", "A payment of your subsidy was made"),
}


def notify_enterprise(application, state: str, detail: str | None = None) -> None:
    """`detail` replaces the latest note of the history in the mail (a payment's figures)."""
    application_id = application.pk
    transaction.on_commit(lambda: send_notice(application_id, state, detail))


def send_notice(application_id: int, state: str, detail: str | None = None) -> bool:
    from applications.models import Application

    try:
        application = Application.objects.select_related("enterprise").get(pk=application_id)
        enterprise = application.enterprise
        recipients = sorted({enterprise.email, *enterprise.users.exclude(email="").values_list("email", flat=True)}
                            - {""})
        if not recipients:
            return False
        zh, en = SUBJECTS[state]
        link = settings.SITE_URL + reverse("application-detail", args=[application_id])
        note = detail if detail is not None else (
            application.history.order_by("-at", "-pk").values_list("note", flat=True).first() or "")
        body = (f"{enterprise.name}：\n\n{zh}（申请编号{application_id}）。\n"
                f"{'审核意见：' + note if note else ''}\n请登录查看：{link}\n\n"
                f"{en} (application {application_id}).\n{'Note: ' + note if note else ''}\nSee: {link}\n")
        send_mail(f"{zh} / {en}", body, settings.DEFAULT_FROM_EMAIL, recipients)
        return True
    except Exception:  # the decision stands whatever the mail server does
        logger.exception("notice for application %s (%s) could not be sent", application_id, state)
        return False


OBJECTION_OUTCOMES = {"upheld": ("成立", "upheld"), "dismissed": ("不成立", "dismissed")}


def notify_objector(objection) -> None:
    """The outcome of an objection, to the objector's email when one was given."""
    if not objection.email:
        return
    objection_id = objection.pk
    transaction.on_commit(lambda: send_objection_outcome(objection_id))


def send_objection_outcome(objection_id: int) -> bool:
    from applications.models import Objection

    try:
        objection = Objection.objects.select_related("notice").get(pk=objection_id)
        zh, en = OBJECTION_OUTCOMES[objection.status]
        notice = objection.notice
        body = (f"{objection.name}：\n\n您对“{notice.enterprise_name} {notice.project_name}”公示提出的异议"
                f"（编号 {objection.reference}）经核查{zh}。\n处理意见：{objection.resolution_note}\n\n"
                f"Your objection {objection.reference} to the notice of {notice.enterprise_name} was {en}.\n"
                f"Note: {objection.resolution_note}\n")
        send_mail(f"异议处理结果 {objection.reference} / Outcome of objection {objection.reference}", body,
                  settings.DEFAULT_FROM_EMAIL, [objection.email])
        return True
    except Exception:  # the resolution stands whatever the mail server does
        logger.exception("outcome of objection %s could not be sent", objection_id)
        return False
