"""Forms of the accounts pages. They only shape input; the services validate and write."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Region
from accounts.roles import OrganisationKind, Role
from accounts.selectors import organisation_choices, region_choices
from lib.forms import BootstrapMixin, bootstrap

# The level a region's parent must have (None: no parent). Checked here, on the admin's
# form, as guidance; region_save itself only refuses cycles.
REGION_PARENT_LEVEL: dict[str, str | None] = {
    Region.Level.PROVINCE: None,
    Region.Level.CITY: Region.Level.PROVINCE,
    Region.Level.COUNTY: Region.Level.CITY,
    Region.Level.TOWN: Region.Level.COUNTY,
}


class LoginForm(BootstrapMixin, AuthenticationForm):
    """Django's login form (it passes ``request`` to authenticate, which django-axes needs)."""


class OwnPasswordChangeForm(BootstrapMixin, PasswordChangeForm):
    """Change one's own password: the old one, then the new one twice; the new must differ."""

    def clean_new_password1(self) -> str:
        password = self.cleaned_data["new_password1"]
        if self.user.check_password(password):
            raise ValidationError(
                _("The new password must differ from the current one."), code="password_unchanged"
            )
        return password


class UserPasswordResetForm(BootstrapMixin, SetPasswordForm):
    """An administrator sets a new password for a user, who must change it at next login."""


class OrganisationChoiceField(forms.ModelChoiceField):
    """An organisation picker whose options are grouped by kind (city bureau, county bureaus…)."""

    def __init__(self, *, user, **kwargs) -> None:
        super().__init__(queryset=Organisation.objects.filter(is_active=True), **kwargs)
        self.choices = [("", "---------"), *organisation_choices(user=user)]


class UserFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=64)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices])
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None
    )
    must_change_password = forms.BooleanField(label=_("Must change password"), required=False)
    locked_out = forms.BooleanField(label=_("Locked out"), required=False)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", _("All organisations")), *organisation_choices(user=user)]


class UserCreateForm(BootstrapMixin, forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=64)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    password = forms.CharField(
        label=_("Initial password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("The user must change it at first login."),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = OrganisationChoiceField(user=user, label=_("Organisation"))
        self.order_fields(["role", "organisation", "username", "full_name", "phone", "email", "password"])
        bootstrap(self)


class UserEditForm(BootstrapMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=64)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = OrganisationChoiceField(user=user, label=_("Organisation"))
        self.order_fields(["role", "organisation", "full_name", "phone", "email", "is_active"])
        bootstrap(self)


class RegionForm(BootstrapMixin, forms.Form):
    code = forms.RegexField(
        label=_("Division code"),
        regex=r"^\d{6}(\d{3})?$",
        help_text=_("6 digits for a province, city or county-level division; 9 for a town."),
        error_messages={"invalid": _("Enter a division code of 6 or 9 digits.")},
    )
    name = forms.CharField(label=_("Name"), max_length=64)
    level = forms.ChoiceField(label=_("Level"), choices=Region.Level.choices)
    parent = forms.TypedChoiceField(label=_("Parent"), required=False, coerce=int, empty_value=None)
    sort_order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, initial=0)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("(none: a province)")), *region_choices()]

    def clean(self) -> dict:
        data = super().clean()
        level = data.get("level")
        parent = Region.objects.filter(pk=data["parent"]).first() if data.get("parent") else None
        data["parent"] = parent
        if level not in REGION_PARENT_LEVEL:
            return data
        expected = REGION_PARENT_LEVEL[level]
        if expected is None and parent is not None:
            self.add_error("parent", _("A province has no parent region."))
        elif expected is not None and (parent is None or parent.level != expected):
            self.add_error(
                "parent",
                _("A %(level)s must sit under a %(parent)s.")
                % {"level": Region.Level(level).label, "parent": Region.Level(expected).label},
            )
        return data


class OrganisationForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    region = forms.TypedChoiceField(label=_("Region"), coerce=int)
    section = forms.CharField(
        label=_("Section"),
        max_length=64,
        required=False,
        help_text=_("For a city bureau: the section that runs grading."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()

    def clean_region(self) -> Region:
        return Region.objects.get(pk=self.cleaned_data["region"])


class TokenCreateForm(BootstrapMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=64,
        help_text=_("What the token is for, e.g. the county's reporting script."),
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=3650)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = settings.API_TOKEN_DEFAULT_DAYS
