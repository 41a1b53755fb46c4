"""Jobs of the applications layer (jobs.queue)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail

from jobs.queue import job

OBJECTION_OUTCOMES = {"upheld": ("成立", "upheld"), "dismissed": ("不成立", "dismissed")}


@job(retry_on=(OSError,))  # smtplib's errors are OSErrors
def mail_objection_outcome(objection_id: int) -> bool:
    from applications.models import Objection

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
