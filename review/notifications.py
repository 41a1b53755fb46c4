"""Emails to the enterprise when its application is returned, approved or rejected. Sent after the
transaction commits; a failure is logged and never blocks or undoes the decision."""

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
}


def notify_enterprise(application, state: str) -> None:
    application_id = application.pk
    transaction.on_commit(lambda: send_notice(application_id, state))


def send_notice(application_id: int, state: str) -> bool:
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
        note = application.history.order_by("-at", "-pk").values_list("note", flat=True).first() or ""
        body = (f"{enterprise.name}：\n\n{zh}（申请编号{application_id}）。\n"
                f"{'审核意见：' + note if note else ''}\n请登录查看：{link}\n\n"
                f"{en} (application {application_id}).\n{'Note: ' + note if note else ''}\nSee: {link}\n")
        send_mail(f"{zh} / {en}", body, settings.DEFAULT_FROM_EMAIL, recipients)
        return True
    except Exception:  # the decision stands whatever the mail server does
        logger.exception("notice for application %s (%s) could not be sent", application_id, state)
        return False
