"""Forms of the accident pages. Validation lives in accidents.services.accident_clean."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accidents.domain import AccidentGrade, AccidentType
from accidents.models import Accident, ReportingViolation
from accidents.permissions import recordable_enterprises
from accidents.selectors import AccidentFilters
from accidents.services import EDITABLE_FIELDS, accident_clean
from accounts.models import Region
from accounts.permissions import county_regions_for
from enterprises.models import Enterprise
from enterprises.permissions import visible_to as enterprises_visible_to
from lib.forms import add_service_errors

YEARS_OFFERED = 10  # the year filter; older accidents are found with the date range
PICKER_OPTIONS = 50  # enterprises offered before the user searches

SELECT = {"class": "form-select"}
TEXT = {"class": "form-control"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def enterprise_label(enterprise: Enterprise) -> str:
    return f"{enterprise.name}（{enterprise.region.name}）"


class AccidentFilterForm(forms.Form):
    """The list's filter bar; invalid values are ignored, never an error (it is a GET form)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={**TEXT, "type": "search", "placeholder": _("Enterprise, credit code, pinyin or place")}
        ),
    )
    region = forms.ModelChoiceField(
        label=_("Division"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("All divisions"),
        widget=forms.Select(attrs=SELECT),
    )
    accident_type = forms.ChoiceField(
        label=_("Accident type"),
        required=False,
        choices=[("", _("All types")), *AccidentType.choices],
        widget=forms.Select(attrs=SELECT),
    )
    grade = forms.ChoiceField(
        label=_("Grade"),
        required=False,
        choices=[("", _("All grades")), *AccidentGrade.choices],
        widget=forms.Select(attrs=SELECT),
    )
    reporting_violation = forms.ChoiceField(
        label=_("Reporting"),
        required=False,
        choices=[("", _("All")), *ReportingViolation.choices],
        widget=forms.Select(attrs=SELECT),
    )
    year = forms.TypedChoiceField(
        label=_("Year"), required=False, coerce=int, empty_value=None, widget=forms.Select(attrs=SELECT)
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={**TEXT, "type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={**TEXT, "type": "date"})
    )
    # Set by the link on an enterprise's page; shown as a removable chip, not a picker.
    enterprise = forms.ModelChoiceField(
        queryset=Enterprise.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, data=None, *, user, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.fields["region"].queryset = county_regions_for(user)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [("", _("All years"))] + [
            (y, str(y)) for y in range(this_year, this_year - YEARS_OFFERED, -1)
        ]
        self.fields["enterprise"].queryset = enterprises_visible_to(user)

    def filters(self) -> AccidentFilters:
        """Return the filters from the valid fields; an invalid field is treated as empty."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        region, enterprise = data.get("region"), data.get("enterprise")
        return AccidentFilters(
            enterprise=enterprise.pk if enterprise else None,
            region=region.pk if region else None,
            accident_type=data.get("accident_type") or "",
            grade=data.get("grade") or "",
            reporting_violation=data.get("reporting_violation") or "",
            year=data.get("year"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            q=data.get("q") or "",
        )

    @property
    def chosen_enterprise(self) -> Enterprise | None:
        return getattr(self, "cleaned_data", {}).get("enterprise")


def _count(label) -> forms.IntegerField:
    # No min_value: accident_clean refuses negatives with its own message.
    return forms.IntegerField(
        label=label, initial=0, widget=forms.NumberInput(attrs={**TEXT, "min": 0, "inputmode": "numeric"})
    )


class AccidentForm(forms.Form):
    """Record or edit an accident. clean() runs accident_clean, as the API does."""

    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"),
        queryset=Enterprise.objects.none(),
        widget=forms.Select(attrs=SELECT),
        help_text=_("Type part of the name, the credit code or the pinyin initials to find it."),
    )
    occurred_at = forms.DateTimeField(
        label=_("Occurred at"),
        widget=forms.DateTimeInput(attrs={**TEXT, "type": "datetime-local"}, format=DATETIME_FORMAT),
    )
    place = forms.CharField(label=_("Place"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    accident_type = forms.ChoiceField(
        label=_("Accident type (GB 6441)"),
        choices=[("", "—"), *AccidentType.choices],
        widget=forms.Select(attrs=SELECT),
    )
    deaths = _count(_("Deaths"))
    serious_injuries = _count(_("Serious injuries"))
    minor_injuries = _count(_("Minor injuries"))
    direct_loss_yuan = forms.DecimalField(
        label=_("Direct economic loss (yuan)"),
        max_digits=14,
        decimal_places=2,
        initial=0,
        widget=forms.NumberInput(attrs={**TEXT, "step": "0.01", "inputmode": "decimal"}),
    )
    reported_at = forms.DateTimeField(
        label=_("Reported at"),
        required=False,
        widget=forms.DateTimeInput(attrs={**TEXT, "type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text=_("When the enterprise reported it to the county bureau."),
    )
    reporting_violation = forms.ChoiceField(
        label=_("Reporting"),
        choices=ReportingViolation.choices,
        initial=ReportingViolation.NONE,
        widget=forms.Select(attrs=SELECT),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 4}),
    )
    grade_override = forms.ChoiceField(
        label=_("Grade set by the officer"),
        required=False,
        choices=[("", _("As computed from the bands")), *AccidentGrade.choices],
        widget=forms.Select(attrs=SELECT),
        help_text=_("Leave as computed unless the investigation decided otherwise."),
    )
    grade_override_reason = forms.CharField(
        label=_("Reason for the grade"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )

    def __init__(
        self,
        data=None,
        *,
        user,
        instance: Accident | None = None,
        enterprise: Enterprise | None = None,
        **kwargs,
    ) -> None:
        if instance is not None and data is None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(instance, name) for name in EDITABLE_FIELDS}
        super().__init__(data, **kwargs)
        self.user = user
        self.instance = instance
        if enterprise is not None:
            self.initial.setdefault("enterprise", enterprise)
        field = self.fields["enterprise"]
        field.queryset = recordable_enterprises(user).select_related("region")
        # Validation accepts any enterprise in scope; the select offers the first few and the
        # chosen one, and the search box above it (htmx) replaces the options.
        field.widget.choices = self._enterprise_options(field.queryset)
        field.widget.attrs["data-search-url"] = reverse("accidents:enterprise_options")
        for name in ("occurred_at", "reported_at"):
            self.fields[name].widget.attrs["max"] = timezone.localtime().strftime(DATETIME_FORMAT)

    def _enterprise_options(self, queryset) -> list[tuple[Any, str]]:
        chosen = self.data.get("enterprise") if self.is_bound else self.initial.get("enterprise")
        try:
            chosen_pk = int(getattr(chosen, "pk", chosen) or 0)
        except (TypeError, ValueError):
            chosen_pk = 0
        offered = list(queryset.order_by("name", "pk")[:PICKER_OPTIONS])
        if chosen_pk and chosen_pk not in {e.pk for e in offered}:
            offered = [*queryset.filter(pk=chosen_pk), *offered]
        return [("", "—"), *((e.pk, enterprise_label(e)) for e in offered)]

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        data = {name: cleaned.get(name) for name in EDITABLE_FIELDS}
        try:
            accident_clean(actor=self.user, data=data)
        except ValidationError as exc:
            add_service_errors(self, exc, keep_existing=True)
        return cleaned

    def service_data(self) -> dict[str, Any]:
        """Return the data for accident_record/accident_update."""
        return {name: self.cleaned_data.get(name) for name in EDITABLE_FIELDS}
