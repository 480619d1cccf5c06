"""USCC rules of enterprises.domain: normalisation and the check digit."""

import pytest
from django.utils import translation

from enterprises.domain import UsccError, normalise_uscc, validate_uscc
from enterprises.tests.factories import make_uscc


@pytest.fixture(autouse=True)
def _english():
    """Assert on the English msgids, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


def test_valid_code_is_accepted():
    code = make_uscc(1)
    assert validate_uscc(code) == code


def test_lowercase_spaces_and_hyphens_are_normalised():
    code = make_uscc(7)
    messy = f" {code[:6].lower()}-{code[6:12]} {code[12:].lower()} "
    assert normalise_uscc(messy) == code
    assert validate_uscc(messy) == code


def test_bad_check_digit_is_refused_with_a_message_about_the_last_character():
    code = make_uscc(3)
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(UsccError, match="check digit"):
        validate_uscc(wrong)


@pytest.mark.parametrize("code", ["91210802MA0XAMPL", "91210802MA0XAMPLE12"])
def test_wrong_length_is_refused_with_the_length(code):
    with pytest.raises(UsccError) as exc:
        validate_uscc(code)
    assert str(len(code)) in str(exc.value)
    assert "18" in str(exc.value)


def test_empty_code_is_refused():
    with pytest.raises(UsccError):
        validate_uscc("   ")


def test_letters_outside_the_alphabet_are_refused():
    # I, O, Z, S and V never appear in a USCC.
    with pytest.raises(UsccError):
        validate_uscc("91210802MA0OOOOOOO")
