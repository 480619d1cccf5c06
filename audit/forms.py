"""The filters of the audit page (shared by the list and its Excel export)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    input_type = "date"


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=80,
        help_text=_("Prefix, e.g. user. or enterprise.update"),
    )
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    target_type = forms.CharField(label=_("Object type"), required=False, max_length=80)
    target_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control form-control-sm")

    def clean(self) -> dict:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError(_("The start date must not be after the end date."))
        return data

    @property
    def filters(self) -> dict:
        """Return the cleaned filters, or none when the input is invalid (the page shows the errors)."""
        return {k: v for k, v in self.cleaned_data.items() if v} if self.is_valid() else {}
