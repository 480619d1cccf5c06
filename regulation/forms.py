"""Forms for setting a parameter's new value and recording a calendar day."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.forms import BootstrapMixin
from regulation.models import CalendarDay, Confidence


class _BootstrapForm(BootstrapMixin, forms.Form):
    pass


class ParameterSetForm(_BootstrapForm):
    value = forms.CharField(
        label=_("New value"), max_length=120, help_text=_("A number, or numbers separated by commas.")
    )
    effective_from = forms.DateField(
        label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    confidence = forms.ChoiceField(
        label=_("Confidence"),
        required=False,
        choices=[("", _("Keep the current confidence")), *Confidence.choices],
    )
    source_note = forms.CharField(
        label=_("Source"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where the new value comes from, e.g. the notice and its number."),
    )


class CalendarDayForm(_BootstrapForm):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    kind = forms.ChoiceField(label=_("Kind"), choices=CalendarDay.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=32, help_text=_("e.g. 春节, 国庆节"))
    source = forms.CharField(
        label=_("Source"), max_length=200, required=False, help_text=_("The State Council notice.")
    )
