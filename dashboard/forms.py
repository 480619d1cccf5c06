"""The dashboard's filters (GET): year, division (city roles only) and industry."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from accounts.permissions import county_regions_for
from dashboard.permissions import can_pick_division
from dashboard.selectors import DashboardFilters
from lib.industries import Industry

SELECT = {"class": "form-select"}
FIRST_YEAR = 2015  # the oldest year offered in the picker; the API accepts any


class DashboardFilterForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("Year"), required=False, coerce=int, empty_value=None, widget=forms.Select(attrs=SELECT)
    )
    division = forms.ModelChoiceField(
        label=_("Division"),
        queryset=Region.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("All divisions"),
        widget=forms.Select(attrs=SELECT),
    )
    industry = forms.ChoiceField(
        label=_("Industry"),
        required=False,
        choices=[("", _("All industries")), *Industry.choices],
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, data=None, *, user, **kwargs) -> None:
        super().__init__(data, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [("", _("All years"))] + [
            (y, str(y)) for y in range(this_year, FIRST_YEAR - 1, -1)
        ]
        if can_pick_division(user):
            self.fields["division"].queryset = county_regions_for(user)
        else:
            # A county sees its own division only: nothing to choose.
            del self.fields["division"]

    def filters(self) -> DashboardFilters:
        """Return the filters from the valid fields; an invalid field is treated as empty."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        division = data.get("division")
        return DashboardFilters(
            year=data.get("year") or None,
            region=division.code if division else None,
            industry=data.get("industry") or None,
        )
