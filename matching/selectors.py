"""Reading profiles, consents and screenings."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import Enterprise
from applications.models import Application
from matching import services
from matching.models import Consent, Screening


def consent_dict(enterprise: Enterprise, lang: str) -> dict:
    consent = services.consent_in_force(enterprise)
    zh, en = services.CONSENT_TEXT
    return {"screening": consent is not None,
            "text_version": consent.text_version if consent else services.CONSENT_VERSION,
            "text": en if lang == "en" else zh,
            "given_at": consent.given_at.isoformat() if consent else None,
            "given_on": timezone.localdate(consent.given_at).isoformat() if consent else None}


def screenings(enterprise: Enterprise) -> list[Screening]:
    return list(Screening.objects.filter(profile__enterprise=enterprise).order_by("pk"))


def profile_dict(enterprise: Enterprise, lang: str) -> dict:
    stored = services.stored_facts(enterprise)
    facts = services.profile_facts(enterprise, stored)
    return {**facts, "saved": stored is not None,
            "consent": consent_dict(enterprise, lang),
            "screenings": [{"project": s.project, "project_name": s.project_name, "matches": s.matches,
                            "screened_on": s.screened_on.isoformat()} for s in screenings(enterprise)]}


def filed() -> Exists:
    """For a screening: an application of its enterprise for its project (by code; for the enterprise
    without a project, one without a project code)."""
    return Exists(Application.objects.filter(enterprise_id=OuterRef("profile__enterprise_id"),
                                             project_code=OuterRef("project")))


def figures(jurisdiction: str | None = None) -> dict:
    """The screening figures: consenting enterprises, projects matching each measure, and projects
    matching #4 with no application yet. `jurisdiction`: a reviewer's (park or a county), else the
    whole city. Counted in the database, in one pass over the screenings."""
    rows = Screening.objects.all()  # only consenting enterprises have screenings (withdrawal deletes them)
    if jurisdiction:
        rows = rows.filter(jurisdiction=jurisdiction)
    counts = rows.aggregate(**{f"m{n}": Count("pk", filter=Q(matches__has_key=str(n))) for n in range(1, 21)})
    consenting = (rows.values("profile__enterprise_id").distinct().count() if jurisdiction
                  else Consent.objects.filter(withdrawn_at__isnull=True, text_version=services.CONSENT_VERSION).count())
    return {"consenting": consenting,
            "by_measure": [(n, counts[f"m{n}"]) for n in range(1, 21) if counts[f"m{n}"]],
            "unfiled_4": rows.filter(matches__has_key="4").exclude(filed()).count()}
