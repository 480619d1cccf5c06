"""Pure rules of the registry: USCC checks, pinyin search keys, industry derivation. No ORM."""

from collections.abc import Iterable

from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import uscc as stdnum_uscc

from lib.search import joined_grams


class UsccError(ValueError):
    """A USCC that cannot be accepted; the message is for the user."""


def normalise_uscc(value: str) -> str:
    """Return the code without spaces or hyphens, in upper case (users type lowercase)."""
    return stdnum_uscc.compact(value or "").upper()


def validate_uscc(value: str) -> str:
    """Return the normalised USCC, or raise UsccError with a Chinese message saying what is wrong."""
    code = normalise_uscc(value)
    if not code:
        raise UsccError(_("Enter the unified social credit code."))
    try:
        return stdnum_uscc.validate(code)
    except stdnum_exceptions.InvalidLength as exc:
        raise UsccError(
            _("A unified social credit code has 18 characters; this one has %(n)d.") % {"n": len(code)}
        ) from exc
    except stdnum_exceptions.InvalidChecksum as exc:
        raise UsccError(
            _("The check digit (the last character) of this unified social credit code is wrong.")
        ) from exc
    except stdnum_exceptions.ValidationError as exc:
        raise UsccError(
            _("This is not a valid unified social credit code: it contains characters that are not allowed.")
        ) from exc


def pinyin_keys(name: str, short_name: str = "") -> tuple[str, str]:
    """Return (full pinyin, initials) for name and short name, for search by "ykgt" or "yingkou".

    Both names are included, separated by a space, so a search on either matches.
    """
    names = [n for n in (name, short_name) if n]
    full = " ".join("".join(lazy_pinyin(n)) for n in names).lower()
    initials = " ".join("".join(lazy_pinyin(n, style=Style.FIRST_LETTER)) for n in names).lower()
    return full[:600], initials[:200]


def name_grams(name: str, short_name: str = "") -> str:
    """The grams of the name and the short name, space-separated (the search column; lib.search)."""
    return joined_grams(name, short_name)


def derive_industry(gb4754_code: str, mappings: Iterable[tuple[str, str]]) -> str | None:
    """Return the industry whose code prefix is the longest match for the code, or None.

    ``mappings`` is (code_prefix, industry) pairs, e.g. ("31", "metallurgy").
    """
    code = (gb4754_code or "").strip()
    best: tuple[int, str] | None = None
    for prefix, industry in mappings:
        if code.startswith(prefix) and (best is None or len(prefix) > best[0]):
            best = (len(prefix), industry)
    return best[1] if best else None


def is_valid_gb4754_code(code: str) -> bool:
    """A GB/T 4754-2017 class code here is 2 to 4 digits (大类 to 小类, without the letter 门类)."""
    return code.isdigit() and 2 <= len(code) <= 4
