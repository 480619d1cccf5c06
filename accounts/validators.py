"""Password rules beyond Django's: a minimum number of character classes, and a translatable length rule."""

import string

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """Require characters from at least ``min_classes`` of: lowercase, uppercase, digits, symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(c in string.punctuation or not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                _(
                    "The password must contain at least %(min)d of: lowercase letters, uppercase letters, "
                    "digits and symbols."
                )
                % {"min": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _(
            "Your password must contain at least %(min)d of: lowercase letters, uppercase letters, digits and symbols."
        ) % {"min": self.min_classes}


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with our own message.

    Django 5.2 changed its message to a msgid that its Simplified Chinese catalogue does not
    translate yet, so users saw English; this msgid lives in our catalogue.
    """

    def get_error_message(self) -> str:
        return _("The password is too short: it must contain at least %(min)d characters.") % {
            "min": self.min_length
        }

    def get_help_text(self) -> str:
        return _("Your password must contain at least %(min)d characters.") % {"min": self.min_length}
