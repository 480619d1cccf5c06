"""Pure rules of the expert pool: ID numbers and their masked form, search keys, certificate
expiry, date periods and rating averages. No ORM, no clock (``today`` is passed in)."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric

# A certificate expiring within this many days gets a warning badge.
EXPIRY_WARNING_DAYS = 90
RATING_MIN, RATING_MAX = 1, 100


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


def name_search_keys(name: str) -> tuple[str, str]:
    """Return (full pinyin, initials) of a name in lower case: 张三军 → ("zhangsanjun", "zsj")."""
    name = (name or "").strip()
    if not name:
        return "", ""
    full = "".join(lazy_pinyin(name)).lower().replace(" ", "")
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower().replace(" ", "")
    return full[:200], initials[:64]


def certificate_expiry(expires_on: date | None, today: date) -> str:
    """Return "expired", "expiring" (within EXPIRY_WARNING_DAYS) or "" (valid, or no expiry).

    A certificate is valid through its expiry day.
    """
    if expires_on is None:
        return ""
    if expires_on < today:
        return "expired"
    if expires_on <= today + timedelta(days=EXPIRY_WARNING_DAYS):
        return "expiring"
    return ""


def periods_overlap(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    """Whether two periods, both days included, share at least one day."""
    return a_start <= b_end and b_start <= a_end


def rating_average(*scores: int) -> Decimal:
    """Return the mean of the scores to two decimal places (half up); 0 for none."""
    if not scores:
        return Decimal("0.00")
    return (Decimal(sum(scores)) / Decimal(len(scores))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
