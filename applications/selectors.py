"""Reads shared by every sub-domain: what a user may see, and the one-time grants."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from applications.models import Application, Attachment, Grant, State, Transition
from kernel.errors import NotFound


def applications_visible_to(user: User) -> QuerySet[Application]:
    """Enterprise users: their enterprise's; reviewers: their jurisdiction's, drafts excepted;
    city admins: all but drafts (DESIGN §5); finance officers: their jurisdiction's grants (§11).
    Anyone else: none."""
    qs = Application.objects.select_related("enterprise")
    if not user.is_authenticated:
        return qs.none()
    if user.is_enterprise:
        return qs.filter(enterprise_id=user.enterprise_id)
    # Never submitted (a draft, or a draft withdrawn before submission): the enterprise's alone.
    if user.is_reviewer:
        return qs.filter(jurisdiction=user.jurisdiction, submitted_at__isnull=False)
    if user.is_city_admin:
        return qs.filter(submitted_at__isnull=False)
    # Finance officers pay what was granted: their jurisdiction's approved applications with an amount.
    if user.is_finance:
        return qs.filter(jurisdiction=user.jurisdiction, state=State.APPROVED, grant__isnull=False)
    return qs.none()


def application_get(user: User, application_id: int) -> Application:
    """The application if the user may see it; `NotFound` otherwise, so others cannot tell it exists."""
    application = applications_visible_to(user).filter(pk=application_id).first()
    if application is None:
        raise NotFound(_("No such application."))
    return application


def application_list(user: User, *, status: str | None = None) -> QuerySet[Application]:
    qs = applications_visible_to(user)
    if status:
        qs = qs.filter(state=status)
    return qs.order_by("-created_at", "-pk")


def latest_return(application: Application) -> Transition | None:
    """The latest return for correction (with the reviewer's note), if the application was ever returned."""
    return (application.history.select_related("actor").filter(to_state=State.RETURNED)
            .order_by("-at", "-pk").first())


def attachment_get(user: User, application_id: int, attachment_id: int) -> Attachment:
    application = application_get(user, application_id)
    attachment = application.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound(_("No such attachment."))
    return attachment


def project_already_granted(project_code: str | None, *, exclude_application_id: int | None = None) -> bool:
    """Whether the project code holds an approved measure-4 grant (第4条: one-time per project)."""
    if not project_code:
        return False
    return Grant.objects.filter(project_code=project_code).exclude(application_id=exclude_application_id).exists()
