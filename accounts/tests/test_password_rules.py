"""Password rules: length, character classes, common and numeric passwords (settings.AUTH_PASSWORD_VALIDATORS)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext

from accounts.services import user_set_password


def _codes(user, password: str) -> set[str]:
    with pytest.raises(ValidationError) as info:
        user_set_password(actor=user, user=user, password=password, must_change=False)
    return {e.code for e in info.value.error_list}


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Ab1!xyz", "password_too_short"),  # 7 < 10 characters
        ("abcdefghijkl", "password_too_simple"),  # one class only
        ("abcdefgh1234", "password_too_simple"),  # two classes
        ("8264917305", "password_entirely_numeric"),
        ("Password123", "password_too_common"),
    ],
)
def test_weak_passwords_are_refused_with_a_code(personas, password, code):
    user = personas.city_officer
    assert code in _codes(user, password)
    user.refresh_from_db()
    assert not user.check_password(password)


def test_a_similar_password_to_the_username_is_refused(personas):
    user = personas.county_officer  # username "county_officer"
    assert "password_too_similar" in _codes(user, "County_Officer1")


@pytest.mark.parametrize("password", ["Yingkou-2026", "anquan#Biaozhun9", "应急管理局安全Ab-3"])
def test_strong_passwords_are_accepted(personas, password):
    user = personas.city_officer
    user_set_password(actor=user, user=user, password=password, must_change=False)
    user.refresh_from_db()
    assert user.check_password(password)


def test_rule_errors_reach_the_form_in_chinese(client, personas, login):
    user = personas.city_officer
    response = login(user).post(
        "/accounts/password/",
        {"old_password": "Anbiao-Test-2026", "new_password1": "Ab1!xyz", "new_password2": "Ab1!xyz"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    errors = form.errors.as_data()["new_password2"]
    assert {e.code for e in errors} >= {"password_too_short"}
    # Our own msgid (Django 5.2's is not in its Chinese catalogue), shown through gettext.
    with translation.override("zh-hans"):
        expected = gettext("The password is too short: it must contain at least %(min)d characters.") % {
            "min": 10
        }
    assert expected in response.content.decode()
