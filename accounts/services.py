"""Writes for accounts: enterprise registration and accounts made by the command line."""

from __future__ import annotations

import re

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q

from accounts import identity, tokens
from accounts.models import CITY, JURISDICTIONS, Enterprise, Role, User
from audit import services as audit
from kernel.errors import Invalid
from measures import regions
from measures.facts import CREDIT_CODE_RE, credit_code_check_char

PHONE_RE = re.compile(r"[0-9+\-() ]{5,30}", re.ASCII)


def _error(field: str, code: str) -> dict[str, str]:
    return {"field": field, "code": code}


def enterprise_errors(*, name: str, credit_code: str, registered_region: str, contact_person: str,
                      phone: str, email: str) -> list[dict[str, str]]:
    """The same checks as the facts model (GB 32100-2015 check character, division codes), plus:
    registered in Haidong (the service is for Haidong enterprises) and not yet registered here."""
    errors = []
    if not name.strip():
        errors.append(_error("name", "required"))
    code = credit_code.strip().upper()
    if not CREDIT_CODE_RE.fullmatch(code):
        errors.append(_error("credit_code", "invalid_format"))
    elif credit_code_check_char(code[:17]) != code[17]:
        errors.append(_error("credit_code", "invalid_checksum"))
    elif not code.startswith("91"):
        errors.append(_error("credit_code", "not_an_enterprise"))
    if not re.fullmatch(r"\d{6}", registered_region, re.ASCII):
        errors.append(_error("registered_region", "invalid_format"))
    elif not regions.is_haidong(registered_region):
        errors.append(_error("registered_region", "outside_haidong"))
    if not contact_person.strip():
        errors.append(_error("contact_person", "required"))
    if not PHONE_RE.fullmatch(phone.strip()):
        errors.append(_error("phone", "invalid_format"))
    try:
        validate_email(email)
    except ValidationError:
        errors.append(_error("email", "invalid_format"))
    return errors


def username_errors(username: str) -> list[dict[str, str]]:
    """A username Django accepts, checked in its canonical form (accounts.identity)."""
    try:
        UnicodeUsernameValidator()(identity.canonical(username))
        if not username:
            raise ValidationError("empty")
    except ValidationError:
        return [_error("username", "invalid_format")]
    return []


def clash_errors(*, username: str, credit_code: str = "") -> list[dict[str, str]]:
    """A username taken (or confusable with a taken one) and a credit code already registered.
    Registration says so only once everything else is right, so that the form cannot be used to
    find out who is registered."""
    errors = []
    canonical = identity.canonical(username)
    clash = User.objects.filter(Q(username=canonical) | Q(username_skeleton=identity.skeleton(username))).first()
    if clash is not None:
        errors.append(_error("username", "already_taken" if clash.username == canonical else "confusable"))
    if credit_code and Enterprise.objects.filter(credit_code=credit_code.strip().upper()).exists():
        errors.append(_error("credit_code", "already_registered"))
    return errors


def _save_new(user: User) -> None:
    """Insert a new account; a look-alike registered at the same moment is refused by the database."""
    user.username = identity.canonical(user.username)
    user.username_skeleton = identity.skeleton(user.username)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise Invalid([_error("username", "confusable")], "username taken") from None


def password_errors(password: str, user: User) -> list[dict[str, str]]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return [{"field": "password", "code": "weak_password", "message": " ".join(exc.messages)}]
    return []


@transaction.atomic
def enterprise_register(*, username: str, password: str, name: str, credit_code: str, registered_region: str,
                        contact_person: str, phone: str, email: str) -> User:
    """A new enterprise and its first user. Raises `Invalid` listing every bad field; a taken
    username or credit code only when nothing else is wrong."""
    errors = enterprise_errors(name=name, credit_code=credit_code, registered_region=registered_region,
                               contact_person=contact_person, phone=phone, email=email)
    errors += username_errors(username)
    user = User(username=identity.canonical(username), email=email, role=Role.ENTERPRISE)
    errors += password_errors(password, user)
    errors = errors or clash_errors(username=username, credit_code=credit_code)
    if errors:
        raise Invalid(errors, "invalid registration")
    enterprise = Enterprise.objects.create(
        name=name.strip(), credit_code=credit_code.strip().upper(), registered_region=registered_region,
        contact_person=contact_person.strip(), phone=phone.strip(), email=email.strip(),
    )
    user.enterprise = enterprise
    user.set_password(password)
    _save_new(user)
    audit.record(action="account", obj=user, actor=user, note_code="enterprise_registered",
                 note_params={"credit_code": enterprise.credit_code})
    return user


@transaction.atomic
def account_create(*, username: str, password: str, role: str, credit_code: str = "", enterprise_name: str = "",
                   registered_region: str = "", jurisdiction: str = "", email: str = "", phone: str = "") -> User:
    """An account of any role (the create_account command, demo data, tests). An enterprise user
    joins its enterprise when the credit code is already registered, else creates it."""
    if role not in Role.values:
        raise Invalid(detail=f"role must be one of {', '.join(Role.values)}")
    if username_errors(username) or clash_errors(username=username):
        raise Invalid(detail=f"username {username!r} is not valid, taken, or looks like a taken one")
    user = User(username=identity.canonical(username), email=email, phone=phone.strip(), role=role)
    if role == Role.ENTERPRISE:
        user.enterprise = _enterprise_for(credit_code, enterprise_name, registered_region, email)
    elif role in (Role.REVIEWER, Role.FINANCE):
        if jurisdiction not in JURISDICTIONS:
            raise Invalid(detail=f"jurisdiction must be one of {', '.join(JURISDICTIONS)}")
        user.jurisdiction = jurisdiction
    elif role == Role.SYSTEM_ADMIN:  # the Django admin, for accounts only; never a superuser
        user.is_staff = True
    problems = password_errors(password, user)
    if problems:
        raise Invalid(detail=problems[0]["message"])
    user.set_password(password)
    _save_new(user)
    params = {"role": role, "username": user.username}
    if user.enterprise:
        code = "account_created_enterprise"
        params |= {"enterprise": user.enterprise.name, "credit_code": user.enterprise.credit_code}
    elif user.jurisdiction:
        code, params["jurisdiction"] = "account_created_jurisdiction", user.jurisdiction
    else:
        code = "account_created"
    audit.record(action="account", obj=user, actor=None, actor_name="create_account", note_code=code,
                 note_params=params)
    return user


def revoke_token(*, user: User, actor: User) -> None:
    """Sign out of the API: the user's token stops working at once."""
    if tokens.revoke_all(user):
        audit.record(action="account", obj=user, actor=actor, note_code="api_token_revoked")


def password_changed(*, user: User, actor: User, how: str) -> None:
    """After a password change or reset: every API token of the user is revoked (the other sessions
    end by themselves, their session hash no longer matching) and the change is audited."""
    if how not in ("changed", "reset"):
        raise ValueError(f"how must be 'changed' or 'reset', not {how!r}")
    revoked = tokens.revoke_all(user)
    audit.record(action="account", obj=user, actor=actor,
                 note_code=f"password_{how}" + ("_tokens_revoked" if revoked else ""))


# The notes the Django admin (accounts/admin.py) writes: "admin changed: email, phone", "admin created
# enterprise <credit code>: name, credit_code" ("nothing" when no field changed).
ADMIN_NOTE = re.compile(r"admin (?P<how>changed|created)(?: enterprise (?P<credit_code>\S+))?: (?P<fields>.*)")


def account_changed(*, user: User, actor: User, note: str = "", note_code: str = "",
                    note_params: dict | None = None) -> None:
    """An account change made elsewhere (the admin) into the audit log, as a code of
    `audit.messages.NOTES` with its parameters, shown in the reader's language. A note in the
    admin's words (ADMIN_NOTE) is stored as its code too; any other note as the text it is."""
    match = None if note_code else ADMIN_NOTE.fullmatch(note)
    if match:
        fields = match["fields"]
        note_params = {"fields": [] if fields == "nothing" else fields.split(", ")}
        if match["credit_code"]:
            note_params["credit_code"] = match["credit_code"]
        note_code = f"admin_{'enterprise' if match['credit_code'] else 'account'}_{match['how']}"
        note = ""
    audit.record(action="account", obj=user, actor=actor, note=note, note_code=note_code, note_params=note_params)


def _enterprise_for(credit_code: str, name: str, registered_region: str, email: str) -> Enterprise:
    code = credit_code.strip().upper()
    existing = Enterprise.objects.filter(credit_code=code).first()
    if existing:
        return existing
    region = registered_region or code[2:8]
    errors = enterprise_errors(name=name, credit_code=code, registered_region=region, contact_person=name,
                               phone="00000", email=email or "contact@example.invalid")
    if errors:
        raise Invalid(detail="; ".join(f"{e['field']}: {e['code']}" for e in errors))
    return Enterprise.objects.create(name=name.strip(), credit_code=code, registered_region=region,
                                     contact_person="", phone="", email=email)


def jurisdiction_of_region(region: str) -> str:
    """A Haidong county's jurisdiction code; the city level is worked by city admins."""
    code = regions.normalize(region)
    return code if code in regions.COUNTIES else CITY
