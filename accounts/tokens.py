"""API tokens that expire (API_TOKEN_TTL_HOURS after they were issued) and can be revoked."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


def expires_at(token: Token) -> dt.datetime:
    return token.created + dt.timedelta(hours=settings.API_TOKEN_TTL_HOURS)


def token_for(user) -> Token:
    """The user's token, a new one when there is none or it has expired."""
    token = Token.objects.filter(user=user).first()
    if token is not None and expires_at(token) <= timezone.now():
        token.delete()
        token = None
    return token or Token.objects.create(user=user)


def revoke_all(user) -> int:
    """Every API token of the user (sign-out, password changed or reset)."""
    deleted, _per_model = Token.objects.filter(user=user).delete()
    return deleted


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if expires_at(token) <= timezone.now():
            token.delete()
            raise exceptions.AuthenticationFailed(_("The token has expired: ask for a new one."))
        return user, token
