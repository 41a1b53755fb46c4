"""The enterprise's profile and consent, and screening (DESIGN §13). Nothing is screened without a
consent in force; withdrawing it stops screening at once and deletes the stored screenings."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Enterprise, User
from applications.models import Application, Grant
from audit.services import record as audit_record
from eligibility.presentation import figures
from filing.services import application_create, checked_facts, merge_patch
from inbox.models import Kind, Message
from inbox.services import messages_send_many
from jobs.queue import enqueue
from kernel.errors import Invalid, NotAllowed, NotFound
from matching import screening, tasks
from matching.models import Consent, Profile, Screening
from measures.rules import MEASURES
from measures.version import RULES_VERSION

# The notice shown with the consent (意愿确认), by version: a new text needs a new consent.
CONSENT_VERSION = "2026-12-01"
CONSENT_TEXT = (
    "本企业同意海东市绿色算力产业政策服务根据本企业画像中的信息，按现行政策条款定期主动比对本企业可享受的政策，"
    "并通过消息中心和电子邮件告知比对结果、申报期限提醒。比对仅使用本企业画像中的信息，不向第三方提供；"
    "本企业可随时撤回同意，撤回后立即停止比对并删除比对结果。",
    "The enterprise agrees that the Haidong green computing policy service regularly screens the information in "
    "its profile against the measures in force and tells it, in its messages and by email, what it may claim and "
    "when deadlines approach. Only the profile's information is used, and it is not shared with third parties; "
    "the consent can be withdrawn at any time, which stops screening at once and deletes its results.",
)
MAX_PROJECTS = 20
STATUS_WORDS = {"eligible": ("可享受", "eligible"),
                "referred": ("转有关部门办理", "referred to the competent department")}
PROFILE_KEYS = ("enterprise", "projects", "circumstances")


def enterprise_of(user: User) -> Enterprise:
    if not (user.is_authenticated and user.is_enterprise):
        raise NotAllowed(_("Only enterprise users keep a profile."))
    return user.enterprise


# --- profile -------------------------------------------------------------------------------------

def prefill(enterprise: Enterprise) -> dict:
    """From the latest submitted application: its enterprise facts, project and circumstances."""
    latest = (Application.objects.filter(enterprise=enterprise, submitted_at__isnull=False)
              .order_by("-submitted_at", "-pk").values_list("facts", flat=True).first()) or {}
    facts = copy.deepcopy(latest)
    return {"enterprise": facts.get("enterprise") or {}, "projects": [facts["project"]] if facts.get("project") else [],
            "circumstances": facts.get("circumstances") or {}}


def stored_facts(enterprise: Enterprise) -> dict | None:
    """The profile's facts as saved; None when it was never saved."""
    return Profile.objects.filter(enterprise=enterprise).values_list("facts", flat=True).first()


def profile_facts(enterprise: Enterprise, stored: dict | None = None) -> dict:
    """The profile as saved (`stored`, read when not given), or (never saved yet) the one prefilled
    from the latest submitted application; the identity always the account's."""
    stored = stored if stored is not None else stored_facts(enterprise)
    facts = copy.deepcopy(stored) if stored is not None else prefill(enterprise)
    identity = {"name": enterprise.name, "credit_code": enterprise.credit_code,
                "registered_region": enterprise.registered_region}
    facts["enterprise"] = {**(facts.get("enterprise") or {}), **identity}
    facts.setdefault("projects", [])
    facts.setdefault("circumstances", {})
    return facts


def validated(enterprise: Enterprise, data: Any) -> dict:
    """The profile as stored, each project checked with the enterprise facts and circumstances exactly
    as an application's facts are (filing.services.checked_facts); `Invalid` naming each bad field
    (`projects.1.standard_racks`)."""
    if not isinstance(data, dict):
        raise Invalid([{"field": "body", "code": "not_an_object"}], "invalid profile")
    errors = [{"field": str(k), "code": "unknown_field"} for k in data if k not in PROFILE_KEYS]
    # Only a missing key or null (a merge patch's removal) means "none": any other value must be of its type.
    projects = data.get("projects")
    projects = [] if projects is None else projects
    if not isinstance(projects, list):
        errors.append({"field": "projects", "code": "invalid_type"})
    elif len(projects) > MAX_PROJECTS:
        errors.append({"field": "projects", "code": "too_many"})
    else:
        errors += [{"field": f"projects.{i}", "code": "invalid_type"} for i, p in enumerate(projects)
                   if not isinstance(p, dict)]
    errors += [{"field": group, "code": "invalid_type"} for group in ("enterprise", "circumstances")
               if data.get(group) is not None and not isinstance(data[group], dict)]
    if errors:
        raise Invalid(errors, "invalid profile")
    base = {"enterprise": data.get("enterprise"), "circumstances": data.get("circumstances")}
    base = {k: v for k, v in base.items() if v is not None}
    stored_projects, codes = [], set()
    try:
        common, _model = checked_facts(enterprise, base)
    except Invalid as exc:
        errors += exc.errors
        common = None
    for i, project in enumerate(projects):
        try:
            stored, _model = checked_facts(enterprise, {**base, "project": project})
        except Invalid as exc:
            errors += [{**e, "field": e["field"].replace("project", f"projects.{i}", 1)} for e in exc.errors
                       if e["field"] == "body" or e["field"].startswith("project")]
            continue
        code = stored["project"].get("code")
        if code and code in codes:
            errors.append({"field": f"projects.{i}.code", "code": "duplicate"})
        codes.add(code)
        stored_projects.append(stored["project"])
    if errors:
        raise Invalid(errors, "invalid profile")
    return {"enterprise": common["enterprise"], "projects": stored_projects,
            "circumstances": common.get("circumstances") or {}}


@transaction.atomic
def profile_update(*, user: User, patch: Any) -> Profile:
    """Merge-patch the profile (RFC 7396: objects merge, null removes, `projects` is replaced whole);
    screened again after commit when the enterprise consents."""
    enterprise = enterprise_of(user)
    if not isinstance(patch, dict):
        raise Invalid([{"field": "body", "code": "not_an_object"}], "invalid profile")
    locked = _lock_profile(enterprise)  # two tabs saving at once: the second merges into the first's result
    current = profile_facts(enterprise, locked.facts if locked else None)
    facts = validated(enterprise, merge_patch(current, patch))
    profile = _save(enterprise, facts, user)
    if consent_in_force(enterprise) is not None:
        enqueue(tasks.screen_enterprise, enterprise.pk)
    return profile


def _lock_profile(enterprise: Enterprise) -> Profile | None:
    """The profile's row lock, held until the transaction ends: what screening holds too, so that a
    change of the profile or of the consent and a screening of it never interleave."""
    return Profile.objects.select_for_update().filter(enterprise=enterprise).first()


def _save(enterprise: Enterprise, facts: dict, user: User) -> Profile:
    profile, _created = Profile.objects.update_or_create(
        enterprise=enterprise, defaults={"facts": facts, "updated_at": timezone.now(), "updated_by": user})
    return profile


# --- consent -------------------------------------------------------------------------------------

def consent_in_force(enterprise: Enterprise) -> Consent | None:
    """The consent to the current text, if given and not withdrawn."""
    return Consent.objects.filter(enterprise=enterprise, withdrawn_at__isnull=True,
                                  text_version=CONSENT_VERSION).first()


@transaction.atomic
def consent_give(*, user: User) -> Consent:
    """Opt in (意愿确认) to the current CONSENT_TEXT; the profile is kept from now on (prefilled if it
    was never saved) and screened after commit. Given twice: the consent in force."""
    enterprise = enterprise_of(user)
    if _lock_profile(enterprise) is None:
        _save(enterprise, validated(enterprise, profile_facts(enterprise)), user)
        _lock_profile(enterprise)
    current = consent_in_force(enterprise)
    if current is not None:
        return current
    # A consent to an earlier text is no consent to this one: it ends, and this one is asked for.
    Consent.objects.filter(enterprise=enterprise, withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
    consent = Consent.objects.create(enterprise=enterprise, given_by=user, text_version=CONSENT_VERSION)
    audit_record(action="consent", obj=consent, actor=user, note_code="consent_given",
                 note_params={"version": CONSENT_VERSION})
    enqueue(tasks.screen_enterprise, enterprise.pk)
    return consent


@transaction.atomic
def consent_withdraw(*, user: User) -> Consent:
    """Withdraw: screening stops at once (every run checks the consent under the profile's lock) and
    the stored screenings are deleted. Without a consent in force: NotFound."""
    enterprise = enterprise_of(user)
    _lock_profile(enterprise)  # waits for a screening of the profile running now, then stops the next
    consent = Consent.objects.filter(enterprise=enterprise, withdrawn_at__isnull=True).first()
    if consent is None:
        raise NotFound(_("There is no consent to withdraw."))
    consent.withdrawn_at, consent.withdrawn_by = timezone.now(), user
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    Screening.objects.filter(profile__enterprise=enterprise).delete()
    audit_record(action="consent", obj=consent, actor=user, note_code="consent_withdrawn")
    return consent


# --- screening -----------------------------------------------------------------------------------

def granted_codes(codes: list[str]) -> set[str]:
    """The codes among these that hold a grant; asked 1,000 at a time (a chunk of profiles can hold
    tens of thousands of projects, more than SQLite takes parameters in one query)."""
    wanted = sorted({c for c in codes if c})
    found: set[str] = set()
    for start in range(0, len(wanted), 1000):
        found.update(Grant.objects.filter(project_code__in=wanted[start:start + 1000])
                     .values_list("project_code", flat=True))
    return found


def project_codes(facts: dict) -> list[str]:
    return [p.get("code") or "" for p in facts.get("projects") or []]


def unchanged(stored: dict[str, tuple], found: list[tuple]) -> bool:
    """Whether a screening `found` equals the stored one ({project: (matches, rules_version,
    project_name, jurisdiction)}): then `plan` would change nothing."""
    return len(stored) == len(found) and all(
        stored.get(key) == (matched, RULES_VERSION, name, jurisdiction) for key, name, matched, jurisdiction in found)


def plan(stored: dict[str, Screening], profile_id: int, today: dt.date, found: list[tuple]):
    """What a screening changes: (rows to create, rows to update, ids to delete, news to tell). A
    result equal to the stored one changes nothing (running a screening twice writes nothing)."""
    stored = dict(stored)
    create, update, news = [], [], []
    for key, name, matched, jurisdiction in found:
        before = stored.pop(key, None)
        fresh = screening.news(before.matches if before else {}, matched)
        if fresh:
            news.append((key, name, matched, fresh))
        now = (matched, RULES_VERSION, name, jurisdiction)
        if before is None:
            create.append(Screening(profile_id=profile_id, project=key, project_name=name, matches=matched,
                                    rules_version=RULES_VERSION, jurisdiction=jurisdiction, screened_on=today))
        elif (before.matches, before.rules_version, before.project_name, before.jurisdiction) != now:
            before.matches, before.rules_version, before.project_name, before.jurisdiction = now
            before.screened_on, before.screened_at = today, timezone.now()
            update.append(before)
    return create, update, [s.pk for s in stored.values()], news


def apply(plans: list[tuple[int, tuple]]) -> int:
    """Write the plans of several profiles at once (inside the transaction holding their locks);
    the number of messages written."""
    Screening.objects.bulk_create([row for _e, p in plans for row in p[0]])
    Screening.objects.bulk_update([row for _e, p in plans for row in p[1]],
                                  ["matches", "rules_version", "project_name", "jurisdiction", "screened_on",
                                   "screened_at"])
    Screening.objects.filter(pk__in=[pk for _e, p in plans for pk in p[2]]).delete()
    told = [_match_message(enterprise_id, key, name, matched, fresh)
            for enterprise_id, (_c, _u, _d, news) in plans for key, name, matched, fresh in news]
    return len(messages_send_many(told))


def _match_message(enterprise_id: int, key: str, name: str, matched: dict, fresh: list[str]) -> Message:
    lines: dict[str, list[str]] = {"zh-hans": [], "en": []}
    for number in fresh:
        measure, amount = MEASURES[int(number) - 1], matched[number]["amount_cny"]
        zh, en = STATUS_WORDS[matched[number]["status"]]
        money = figures(amount) if amount else None
        lines["zh-hans"].append(f"第{number}条 {measure.title}：{zh}" + (f"，{money}" if money else ""))
        lines["en"].append(f"Art. {number} {measure.title_en}: {en}" + (f", {money}" if money else ""))
    label = (name or key)[:60]
    project_zh = f"项目“{label}”" if key else "本企业"
    project_en = f"the project “{label}”" if key else "the enterprise"
    news = ",".join(f"{n}:{matched[n]['status']}:{matched[n]['amount_cny']}" for n in fresh)
    digest = hashlib.sha256(news.encode()).hexdigest()[:32]
    return Message(
        enterprise_id=enterprise_id, kind=Kind.MATCH,
        title=f"{project_zh}可享受新的政策", title_en=f"New measures for {project_en}",
        body="根据您的企业画像，按现行政策比对：\n" + "\n".join(lines["zh-hans"]) + "\n可在企业画像中一键申报。",
        body_en=("Screened against the measures in force, your profile now matches:\n" + "\n".join(lines["en"])
                 + "\nYou can apply in one step from your profile."),
        link=reverse("profile"), key=f"match:{key}:{digest}")


@transaction.atomic
def screen_enterprise(enterprise_id: int, *, today: dt.date | None = None) -> int:
    """Screen one enterprise's profile now, under its lock; nothing without a consent in force."""
    profile = Profile.objects.select_for_update().select_related("enterprise").filter(
        enterprise_id=enterprise_id).first()
    if profile is None or consent_in_force(profile.enterprise) is None:
        return 0
    today = today or timezone.localdate()
    found = screening.screen(profile.facts, today, granted_codes(project_codes(profile.facts)))
    stored = {s.project: s for s in Screening.objects.filter(profile=profile)}
    return apply([(profile.enterprise_id, plan(stored, profile.pk, today, found))])


# --- one-step application (一键申报) -------------------------------------------------------------

def draft_from_profile(*, user: User, project: str) -> Application:
    """A draft whose facts are the profile's for one project (its key, "" for none)."""
    enterprise = enterprise_of(user)
    facts = profile_facts(enterprise)
    chosen = None
    for index, candidate in enumerate(facts["projects"]):
        if screening.project_key(candidate, index) == project:
            chosen = candidate
    if project and chosen is None:
        raise NotFound(_("This project is not in your profile."))
    code = (chosen or {}).get("code") or ""
    draft = Application.objects.filter(enterprise=enterprise, state="draft", project_code=code).order_by("-pk").first()
    if draft is not None and code:  # pressed twice, or a draft of this project already started: that one
        return draft
    return application_create(user=user, facts=screening.project_facts(facts, chosen))
