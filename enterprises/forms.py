"""Forms of the registry pages. Validation lives in enterprises.services.enterprise_clean."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from accounts.permissions import county_regions_for, regions_visible_to
from enterprises.models import Enterprise, Industry
from enterprises.selectors import EnterpriseFilters, risk_tags
from enterprises.services import EDITABLE_FIELDS, enterprise_clean
from lib.forms import add_service_errors

MAX_IMPORT_BYTES = 10 * 1024 * 1024


def _text(label, max_length: int, required: bool = False, **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.TextInput(attrs={"class": "form-control", **attrs}),
    )


class EnterpriseFilterForm(forms.Form):
    """The list's filter bar; invalid values are ignored, never an error (it is a GET form)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "type": "search",
                "placeholder": _("Name, credit code or pinyin initials"),
            }
        ),
    )
    region = forms.ModelChoiceField(
        label=_("Division"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("All divisions"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    industry = forms.ChoiceField(
        label=_("Industry"),
        required=False,
        choices=[("", _("All industries")), *Industry.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    risk_tag = forms.ChoiceField(
        label=_("Special risk"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Enterprise.Status.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, data=None, *, user, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.fields["region"].queryset = county_regions_for(user)
        self.fields["risk_tag"].choices = [("", _("All special risks"))] + [
            (t.code, t.name) for t in risk_tags()
        ]

    def filters(self) -> EnterpriseFilters:
        """Return the filters from the valid fields; an invalid field is treated as empty."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        region = data.get("region")
        return EnterpriseFilters(
            region=region.pk if region else None,
            industry=data.get("industry") or "",
            risk_tag=data.get("risk_tag") or "",
            status=data.get("status") or "",
            q=data.get("q") or "",
        )


class EnterpriseForm(forms.Form):
    """Create or edit an enterprise. clean() runs enterprise_clean, as the API and import do."""

    uscc = _text(_("Unified social credit code"), 32, required=True, autocomplete="off")
    name = _text(_("Enterprise name"), 200, required=True)
    short_name = _text(_("Short name"), 64)
    region = forms.ModelChoiceField(
        label=_("County-level division"),
        queryset=Region.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    town = forms.ModelChoiceField(
        label=_("Town or subdistrict"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    address = _text(_("Address"), 255)
    legal_representative = _text(_("Legal representative"), 64)
    principal_name = _text(_("Principal"), 64)
    principal_phone = _text(_("Principal's phone"), 32, inputmode="tel")
    safety_manager_name = _text(_("Safety manager"), 64)
    safety_manager_phone = _text(_("Safety manager's phone"), 32, inputmode="tel")
    employee_count = _text(_("Employees"), 10, inputmode="numeric")
    scale = forms.ChoiceField(
        label=_("Scale"),
        choices=Enterprise.Scale.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    gb4754_code = forms.CharField(
        label=_("GB/T 4754 industry code"),
        max_length=4,
        help_text=_("2 to 4 digits, e.g. 3130; the industry is derived from it."),
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=Enterprise.Status.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    on_credit_blacklist = forms.BooleanField(
        label=_("On the credit blacklist"),
        required=False,
        help_text=_("Listed for serious dishonesty in work safety; it cannot apply for grading (E7)."),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    credit_blacklist_note = _text(_("Blacklist note"), 200)
    risk_tags = forms.ModelMultipleChoiceField(
        label=_("Special risks"),
        queryset=risk_tags(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    # Pairs that sit side by side in the two-column layout.
    field_order = [
        "uscc",
        "name",
        "short_name",
        "region",
        "town",
        "address",
        "legal_representative",
        "employee_count",
        "principal_name",
        "principal_phone",
        "safety_manager_name",
        "safety_manager_phone",
        "gb4754_code",
        "scale",
        "status",
        "on_credit_blacklist",
        "credit_blacklist_note",
        "risk_tags",
    ]

    def __init__(self, data=None, *, user, instance: Enterprise | None = None, **kwargs) -> None:
        if instance is not None and data is None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(instance)
        super().__init__(data, **kwargs)
        self.user = user
        self.instance = instance
        divisions = county_regions_for(user)
        self.fields["region"].queryset = divisions
        if instance is None:
            self.initial.setdefault("scale", Enterprise.Scale.BELOW)
            self.initial.setdefault("status", Enterprise.Status.NORMAL)
            if len(divisions) == 1:  # a county officer registers in his own division
                self.initial.setdefault("region", divisions[0].pk)
        # Choosing a division reloads the town choices (htmx); without JS, saving re-offers them.
        self.fields["region"].widget.attrs.update(
            {"hx-get": reverse("enterprises:town_options"), "hx-target": "#id_town", "hx-trigger": "change"}
        )
        self.fields["risk_tags"].queryset = risk_tags()
        region_id = self.data.get("region") if self.is_bound else self.initial.get("region")
        self.fields["town"].queryset = town_choices(user, region_id)

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields and not isinstance(
                self.fields[name].widget, forms.CheckboxSelectMultiple | forms.CheckboxInput
            ):
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        data = {name: cleaned.get(name) for name in (*EDITABLE_FIELDS, "risk_tags")}
        try:
            enterprise_clean(actor=self.user, data=data, instance=self.instance)
        except ValidationError as exc:
            add_service_errors(self, exc, keep_existing=True)
        return cleaned

    def service_data(self) -> dict[str, Any]:
        """Return the data for enterprise_create/enterprise_update."""
        return {name: self.cleaned_data.get(name) for name in (*EDITABLE_FIELDS, "risk_tags")}


def initial_for(enterprise: Enterprise) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(enterprise, name) for name in EDITABLE_FIELDS}
    initial["region"] = enterprise.region_id
    initial["town"] = enterprise.town_id
    initial["risk_tags"] = list(enterprise.risk_tags.all())
    return initial


def town_choices(user, region_id: Any):
    """Return the towns under ``region_id`` that the user may pick (none without a division)."""
    try:
        region_pk = int(region_id)
    except (TypeError, ValueError):
        return Region.objects.none()
    return (
        regions_visible_to(user)
        .filter(level=Region.Level.TOWN, parent_id=region_pk)
        .order_by("sort_order", "code")
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_("Fill in the import template; at most 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control",
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(
                _("Upload an Excel workbook (.xlsx). Save older .xls files as .xlsx first."), code="extension"
            )
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(
                _("The file is larger than 10 MB. Split it into smaller files."), code="size"
            )
        return upload
