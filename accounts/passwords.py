"""Password rules beyond Django's validators (settings.AUTH_PASSWORD_VALIDATORS)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = (str.islower, str.isupper, str.isdigit)


def _class_of(char: str) -> int:
    return next((i for i, test in enumerate(CLASSES) if test(char)), len(CLASSES))  # the last: anything else


class CharacterClassValidator:
    """Not all from one class of characters (lower-case letters, upper-case letters, digits,
    anything else): `haidongcloud` and `2024202420` are refused, `haidong-2024` is not."""

    def validate(self, password: str, user=None) -> None:
        if len({_class_of(c) for c in password}) < 2:
            raise ValidationError(_("The password must mix at least two kinds of characters: lower-case "
                                    "letters, upper-case letters, digits, other characters."),
                                  code="password_one_class")

    def get_help_text(self) -> str:
        return _("Mix at least two kinds of characters: lower-case letters, upper-case letters, digits, "
                 "other characters.")
