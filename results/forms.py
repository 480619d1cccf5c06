"""Forms of the results pages. They only shape input: ``results.services`` validates and writes,
and its Chinese messages come back onto these forms (``lib.forms.add_service_errors``).

Most text fields are optional here on purpose: an empty title, a send-back without a comment, a
decision without its reasons are refused by the service, with the service's message. Every move's
form carries ``state``, the status the person saw, so a second click meets the stale-state
message instead of a second move.
"""

from datetime import date

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from accounts.permissions import county_regions_for
from accounts.roles import CITY_ROLES, Role
from lib.forms import BootstrapMixin
from lib.industries import Industry
from results import domain
from results.models import Objection, PublicityBatch, RevocationCase
from results.selectors import CertificateFilters

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
DIVISION_FILTER_ROLES = CITY_ROLES | {Role.SYSTEM_ADMIN}
FIRST_CERTIFICATE_YEAR = 2000


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class MarkInvalidMixin:
    """Give a refused field Bootstrap's ``is-invalid`` class (services add errors after cleaning)."""

    def add_error(self, field, error) -> None:
        super().add_error(field, error)  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:  # type: ignore[attr-defined]
                widget = self.fields[name].widget  # type: ignore[attr-defined]
                classes = widget.attrs.get("class", "")
                if "is-invalid" not in classes:
                    widget.attrs["class"] = f"{classes} is-invalid".strip()


class StateForm(MarkInvalidMixin, BootstrapMixin, forms.Form):
    """A move; ``state`` is the status the person saw (a repeated click is then stale)."""

    state = forms.CharField(widget=forms.HiddenInput, required=False)


# --- Publicity batches -----------------------------------------------------------------------


class ApplicationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.number} {obj.enterprise.name}"


class BatchForm(MarkInvalidMixin, BootstrapMixin, forms.Form):
    """A publicity batch: its texts and the applications it lists (``candidates``)."""

    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    contact = forms.CharField(
        label=_("Objection contact"),
        required=False,
        max_length=200,
        help_text=_("Where and how the public may object (telephone, address, e-mail)."),
    )
    intro = forms.CharField(label=_("Text"), required=False, max_length=4000, widget=_textarea(4))
    applications = ApplicationChoiceField(
        label=_("Applications to list"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, candidates: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = candidates


class CommentForm(StateForm):
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000, widget=_textarea(2))


class SendBackForm(StateForm):
    comment = forms.CharField(
        label=_("What is to be changed"), required=False, max_length=2000, widget=_textarea(3)
    )


class AnnounceForm(StateForm):
    title = forms.CharField(
        label=_("Title of the announcement"),
        required=False,
        max_length=200,
        help_text=_("Leave empty for the standard title with the document number."),
    )
    body = forms.CharField(label=_("Text"), required=False, max_length=8000, widget=_textarea(4))


class BatchFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *PublicityBatch.Status.choices],
        widget=forms.Select(attrs=SELECT),
    )


# --- Objections ------------------------------------------------------------------------------


class ObjectionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Objection.Status.choices],
        widget=forms.Select(attrs=SELECT),
    )
    entry = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


UPHELD, REJECTED = Objection.Outcome.UPHELD.value, Objection.Outcome.REJECTED.value


class ObjectionDecideForm(StateForm):
    outcome = forms.ChoiceField(
        label=_("Finding"),
        choices=[
            (UPHELD, _("Upheld: take the enterprise off the list")),
            (REJECTED, _("Not upheld")),
        ],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    note = forms.CharField(
        label=_("Check and findings"), required=False, max_length=4000, widget=_textarea(4)
    )


# --- Certificates ----------------------------------------------------------------------------

STATE_CHOICES = [
    (domain.ACTIVE, _("Valid")),
    (domain.EXPIRING, _("Expiring soon")),
    (domain.EXPIRED, _("Expired")),
    (domain.REVOKED, _("Revoked")),
    (domain.SUPERSEDED, _("Superseded by renewal")),
]


class CertificateFilterForm(forms.Form):
    """The certificate list's filter bar (a GET form: an invalid value is ignored, never an error)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={**TEXT, "type": "search", "placeholder": _("Certificate number, enterprise or USCC")}
        ),
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All states")), *STATE_CHOICES],
        widget=forms.Select(attrs=SELECT),
    )
    industry = forms.ChoiceField(
        label=_("Industry"),
        required=False,
        choices=[("", _("All industries")), *Industry.choices],
        widget=forms.Select(attrs=SELECT),
    )
    division = forms.ModelChoiceField(
        label=_("Division"),
        queryset=Region.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("All divisions"),
        widget=forms.Select(attrs=SELECT),
    )
    year = forms.TypedChoiceField(
        label=_("Year issued"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, data=None, *, user, today: date, **kwargs) -> None:
        super().__init__(data, **kwargs)
        if user.role in DIVISION_FILTER_ROLES:
            self.fields["division"].queryset = county_regions_for(user)
        else:
            # A county sees one division and an enterprise its own: nothing to choose.
            del self.fields["division"]
        years = range(today.year, FIRST_CERTIFICATE_YEAR - 1, -1)
        self.fields["year"].choices = [("", _("All years")), *((y, str(y)) for y in years)]

    def filters(self) -> CertificateFilters:
        """Return the filters from the valid fields; an invalid field is treated as empty."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        division = data.get("division")
        return CertificateFilters(
            q=(data.get("q") or "").strip(),
            state=data.get("state") or "",
            industry=data.get("industry") or "",
            region=division.path if division else "",
            year=data.get("year") or None,
        )


class RevocationFlagForm(MarkInvalidMixin, BootstrapMixin, forms.Form):
    ground = forms.ChoiceField(
        label=_("Ground"),
        required=False,
        choices=[("", "—"), *RevocationCase.Ground.choices],
    )
    detail = forms.CharField(label=_("Facts"), required=False, max_length=4000, widget=_textarea(4))


# --- Revocation ------------------------------------------------------------------------------


class RevocationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *RevocationCase.Status.choices],
        widget=forms.Select(attrs=SELECT),
    )


REVOKE, DISMISS = "revoke", "dismiss"


class RevocationDecideForm(StateForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(REVOKE, _("Revoke the certificate")), (DISMISS, _("Dismiss the flag"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    reason = forms.CharField(
        label=_("Reasons for the decision"), required=False, max_length=4000, widget=_textarea(4)
    )


# --- The application's result --------------------------------------------------------------------


class ResultFailForm(StateForm):
    reason = forms.CharField(
        label=_("Reasons (the enterprise receives them)"),
        required=False,
        max_length=2000,
        widget=_textarea(4),
    )
