"""Pure rules of the expert pool: resident ID numbers and their masked form. No ORM."""

from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric


class IdNumberError(ValueError):
    """An ID number that cannot be accepted; the message is for the user."""


def normalise_id_number(value: str) -> str:
    """Return the number without spaces or hyphens, with a trailing x in upper case."""
    return "".join((value or "").split()).replace("-", "").upper()


def validate_id_number(value: str) -> str:
    """Return the normalised 18-digit resident ID number, or raise IdNumberError saying what is wrong.

    python-stdnum checks the length, the check digit, the birth date and that the division
    code existed in the birth year.
    """
    number = normalise_id_number(value)
    if not number:
        raise IdNumberError(_("Enter the ID number."))
    try:
        return ric.validate(number)
    except stdnum_exceptions.InvalidLength as exc:
        raise IdNumberError(
            _("A resident ID number has 18 characters; this one has %(n)d.") % {"n": len(number)}
        ) from exc
    except stdnum_exceptions.InvalidChecksum as exc:
        raise IdNumberError(_("The check digit (the last character) of this ID number is wrong.")) from exc
    except stdnum_exceptions.ValidationError as exc:
        raise IdNumberError(
            _("This is not a valid resident ID number: the birth date or the division code is wrong.")
        ) from exc


def mask_id_number(value: str) -> str:
    """Return the number with all but the first 6 and last 4 characters hidden.

    The first 6 are the division code and the last 4 tell two people apart; the birth date
    in between is personal data most pages do not need.
    """
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]
