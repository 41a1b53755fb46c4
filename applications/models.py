"""Applications (申请), their frozen evaluations, history, attachments, and the one-time grants.

Rows here are written only by the services (`filing`, `review`, `determinations`, through
`applications.transitions`); no business logic lives in save().
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Enterprise
from applications.workflow import QUEUE_STATES, State
from measures import frozen


class Application(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="applications")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    # The facts of DESIGN §4 without as_of; the enterprise's identity is always the account's.
    facts = models.JSONField(default=dict)
    # park, a county code, or city (DESIGN §5, §9); kept current whenever the facts change.
    jurisdiction = models.CharField(max_length=10)
    project_code = models.CharField(max_length=24, blank=True)
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Copied from the facts and the latest evaluation by the services, for the review queue's filters
    # and columns without reading JSON: declared investment, estimated 第4条 amount and tier (0 none).
    county = models.CharField(max_length=6, blank=True)
    declared_investment_cny = models.DecimalField(max_digits=15, decimal_places=2, null=True, blank=True)
    estimated_amount_cny = models.DecimalField(max_digits=15, decimal_places=2, default=0)
    tier = models.PositiveSmallIntegerField(default=0)
    # Computed by the database from the state: 1 while the application waits in a review queue.
    # An equality (`in_queue = 1`) the indexes below can be read in order with: a `state IN (…)`
    # cannot, and a boolean column is written as a bare truth test that SQLite will not seek on.
    in_queue = models.GeneratedField(
        expression=Case(When(state__in=[str(s) for s in QUEUE_STATES], then=Value(1)), default=Value(0)),
        output_field=models.PositiveSmallIntegerField(), db_persist=True)

    class Meta:
        indexes = [
            # My applications: WHERE enterprise_id = ? ORDER BY created_at DESC
            models.Index(fields=["enterprise", "-created_at"], name="app_enterprise_recent"),
            # Reviewer queue: WHERE in_queue AND jurisdiction = ? ORDER BY submitted_at, id
            # (also the overdue filter: … AND submitted_at < ?)
            models.Index(fields=["in_queue", "jurisdiction", "submitted_at", "id"], name="app_queue"),
            # City queue: WHERE in_queue ORDER BY submitted_at, id
            models.Index(fields=["in_queue", "submitted_at", "id"], name="app_queue_all"),
            # Tier filter: WHERE in_queue AND jurisdiction = ? AND tier = ? ORDER BY submitted_at, id
            models.Index(fields=["in_queue", "jurisdiction", "tier", "submitted_at", "id"], name="app_queue_tier"),
            # Tier filter (city admins, every jurisdiction): WHERE in_queue AND tier = ? ORDER BY submitted_at, id
            models.Index(fields=["in_queue", "tier", "submitted_at", "id"], name="app_queue_tier_all"),
            # Status filter: WHERE in_queue AND jurisdiction = ? AND state = ? ORDER BY submitted_at, id
            models.Index(fields=["in_queue", "jurisdiction", "state", "submitted_at", "id"], name="app_queue_state"),
            # Status filter (city admins, every jurisdiction): WHERE in_queue AND state = ? ORDER BY submitted_at, id
            models.Index(fields=["in_queue", "state", "submitted_at", "id"], name="app_queue_state_all"),
            # County filter (city admins): WHERE in_queue AND county = ? ORDER BY submitted_at, id
            models.Index(fields=["in_queue", "county", "submitted_at", "id"], name="app_queue_county"),
            # Overview counts: GROUP BY jurisdiction, state
            models.Index(fields=["jurisdiction", "state"], name="app_jurisdiction_state"),
            # One-time rule and search: WHERE project_code = ? (or LIKE 'prefix%')
            models.Index(fields=["project_code"], name="app_project_code"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.enterprise.name} ({self.state})"


class Evaluation(models.Model):
    """An outcome frozen at submission or decision: the facts, the answer, the rules version."""

    class Kind(models.TextChoices):
        SUBMISSION = "submission", _("At submission")
        PROPOSAL = "proposal", _("At proposal")
        DECISION = "decision", _("At decision")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="evaluations")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    as_of = models.DateField()
    facts = models.JSONField()
    outcome = models.JSONField()  # DESIGN §4 response, zh-hans
    outcome_en = models.JSONField()  # the same outcome, English messages
    rules_version = models.CharField(max_length=40)
    recognized_investment_cny = models.DecimalField(max_digits=15, decimal_places=2, null=True, blank=True)
    total_amount_cny = models.DecimalField(max_digits=15, decimal_places=2)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"evaluation {self.kind} of #{self.application_id} ({self.as_of}, {self.rules_version})"

    @property
    def result(self) -> frozen.StoredOutcome:
        """The stored outcome as typed values: `evaluation.result.measure(4).status`."""
        return frozen.read(self.outcome)


class Transition(models.Model):
    """Append-only history of an application's states."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="history")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    from_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=State.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"#{self.application_id} {self.from_state or '-'} → {self.to_state}"


class AttachmentKind(models.TextChoices):
    BUSINESS_LICENSE = "business_license", _("Business licence")
    PROJECT_FILING = "project_filing", _("Project filing or approval")
    INVESTMENT_AUDIT = "investment_audit", _("Investment audit or final accounts")
    EQUIPMENT_INVOICE = "equipment_invoice", _("Equipment purchase invoices")
    RACK_ACCEPTANCE = "rack_acceptance", _("Rack acceptance certificate")


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random name: the uploaded one is kept only as data (original_name), never as a path.
    suffix = PurePosixPath(filename).suffix
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(max_length=30, choices=AttachmentKind.choices)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    # Set when a newer file of the same kind replaces this one; the old one stays as history.
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], condition=Q(superseded_at__isnull=True),
                                    name="one_current_attachment_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of #{self.application_id}: {self.original_name}"


class Grant(models.Model):
    """The one-time investment subsidy of 第4条, granted at most once per project code."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="grant")
    # The database, not only the rule, makes a second grant for one project impossible (DESIGN §3).
    project_code = models.CharField(max_length=24, unique=True)
    amount_cny = models.DecimalField(max_digits=15, decimal_places=2)
    payer_kind = models.CharField(max_length=20)
    payer_region = models.CharField(max_length=6, blank=True)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # Fund pool and monthly chart: WHERE granted_at in a year (funds.selectors)
            models.Index(fields=["granted_at"], name="grant_granted_at"),
        ]

    def __str__(self) -> str:
        return f"grant {self.project_code}: {self.amount_cny}"


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


def determination_path(instance: Determination, filename: str) -> str:
    return f"determinations/{instance.year}/{uuid.uuid4().hex}.pdf"


class Determination(models.Model):
    """The decision document (决定书) issued with an approval or rejection, in the same transaction."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="determination")
    evaluation = models.OneToOneField(Evaluation, on_delete=models.PROTECT, related_name="determination")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    authority = models.CharField(max_length=10)  # park, a county code, or city: whose number series
    authority_name = models.CharField(max_length=100)
    year = models.PositiveSmallIntegerField()
    serial = models.PositiveIntegerField()
    number = models.CharField(max_length=40, unique=True)
    verification_code = models.CharField(max_length=32, unique=True)
    amount_cny = models.DecimalField(max_digits=15, decimal_places=2, null=True, blank=True)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_on = models.DateField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    pdf = models.FileField(upload_to=determination_path, max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["authority", "year", "serial"], name="one_number_per_serial"),
        ]

    def __str__(self) -> str:
        return self.number


class NumberSeries(models.Model):
    """The last serial used per issuing authority and year; locked while a number is taken, so
    numbers have no gaps and no duplicates, and a rolled-back decision takes none."""

    authority = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["authority", "year"], name="one_series_per_year")]

    def __str__(self) -> str:
        return f"{self.authority} {self.year}: {self.last_serial}"


class Notice(models.Model):
    """The public notice (公示) of a proposed grant (DESIGN §11): open from the proposal to the end of
    its period, closed after it, or withdrawn (proposal withdrawn, objection upheld). What the public
    sees is copied here at the proposal: the record does not change when the application does."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="notices")
    evaluation = models.OneToOneField(Evaluation, on_delete=models.PROTECT, related_name="notice")
    enterprise_name = models.CharField(max_length=200)
    project_name = models.CharField(max_length=200)
    amount_cny = models.DecimalField(max_digits=15, decimal_places=2)
    payer = models.CharField(max_length=10)  # park or a county code: whose budget pays
    payer_name = models.CharField(max_length=100)
    recognized_investment_cny = models.DecimalField(max_digits=15, decimal_places=2, null=True, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    starts_on = models.DateField()
    ends_on = models.DateField()  # the last day of the period (inclusive)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # Public list: WHERE withdrawn_at IS NULL AND ends_on >= today (open) ORDER BY ends_on
            models.Index(fields=["ends_on", "id"], name="notice_ends"),
            # Feed and list: ORDER BY proposed_at DESC
            models.Index(fields=["-proposed_at"], name="notice_recent"),
        ]

    def __str__(self) -> str:
        return f"notice of #{self.application_id} ({self.starts_on}–{self.ends_on})"

    def status_on(self, today) -> str:
        if self.withdrawn_at is not None:
            return self.Status.WITHDRAWN
        return self.Status.OPEN if today <= self.ends_on else self.Status.CLOSED


class Objection(models.Model):
    """An objection (异议) to a notice, from anyone; resolved by a reviewer with a note."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="objections")
    reference = models.CharField(max_length=20, unique=True)  # given to the objector
    name = models.CharField(max_length=100)
    contact = models.CharField(max_length=200)
    email = models.EmailField(blank=True)  # where the outcome goes, when the contact is an email
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # Queue badge and approval check: WHERE notice_id = ? AND status = 'open'
            models.Index(fields=["notice", "status"], name="objection_open"),
        ]

    def __str__(self) -> str:
        return f"objection {self.reference} to notice {self.notice_id}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Outcome.OPEN

    @property
    def upheld(self) -> bool:
        return self.status == self.Outcome.UPHELD
