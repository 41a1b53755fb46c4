"""Writes for accounts: enterprise registration and accounts made by the command line."""

from __future__ import annotations

import re

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

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
    elif Enterprise.objects.filter(credit_code=code).exists():
        errors.append(_error("credit_code", "already_registered"))
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


def password_errors(password: str, user: User) -> list[dict[str, str]]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return [{"field": "password", "code": "weak_password", "message": " ".join(exc.messages)}]
    return []


@transaction.atomic
def enterprise_register(*, username: str, password: str, name: str, credit_code: str, registered_region: str,
                        contact_person: str, phone: str, email: str) -> User:
    """A new enterprise and its first user. Raises `Invalid` listing every bad field."""
    errors = enterprise_errors(name=name, credit_code=credit_code, registered_region=registered_region,
                               contact_person=contact_person, phone=phone, email=email)
    try:
        UnicodeUsernameValidator()(username)
        if not username:
            raise ValidationError("empty")
    except ValidationError:
        errors.append(_error("username", "invalid_format"))
    if User.objects.filter(username__iexact=username).exists():
        errors.append(_error("username", "already_taken"))
    user = User(username=username, email=email, role=Role.ENTERPRISE)
    errors += password_errors(password, user)
    if errors:
        raise Invalid(errors, "invalid registration")
    enterprise = Enterprise.objects.create(
        name=name.strip(), credit_code=credit_code.strip().upper(), registered_region=registered_region,
        contact_person=contact_person.strip(), phone=phone.strip(), email=email.strip(),
    )
    user.enterprise = enterprise
    user.set_password(password)
    user.save()
    audit.record(action="account", obj=user, actor=user, note=f"registered enterprise {enterprise.credit_code}")
    return user


@transaction.atomic
def account_create(*, username: str, password: str, role: str, credit_code: str = "", enterprise_name: str = "",
                   registered_region: str = "", jurisdiction: str = "", email: str = "") -> User:
    """An account of any role (the create_account command, demo data, tests). An enterprise user
    joins its enterprise when the credit code is already registered, else creates it."""
    if role not in Role.values:
        raise Invalid(detail=f"role must be one of {', '.join(Role.values)}")
    if User.objects.filter(username__iexact=username).exists():
        raise Invalid(detail=f"username {username!r} is taken")
    user = User(username=username, email=email, role=role)
    if role == Role.ENTERPRISE:
        user.enterprise = _enterprise_for(credit_code, enterprise_name, registered_region, email)
    elif role == Role.REVIEWER:
        if jurisdiction not in JURISDICTIONS:
            raise Invalid(detail=f"jurisdiction must be one of {', '.join(JURISDICTIONS)}")
        user.jurisdiction = jurisdiction
    else:  # city admins manage accounts and reference data in the Django admin
        user.is_staff = user.is_superuser = True
    problems = password_errors(password, user)
    if problems:
        raise Invalid(detail=problems[0]["message"])
    user.set_password(password)
    user.save()
    audit.record(action="account", obj=user, actor=None, actor_name="create_account",
                 note=f"created {role} {username} {user.enterprise or user.jurisdiction or ''}".strip())
    return user


def account_changed(*, user: User, actor: User, note: str) -> None:
    """An account change made elsewhere (the admin, a password change) into the audit log."""
    audit.record(action="account", obj=user, actor=actor, note=note)


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
