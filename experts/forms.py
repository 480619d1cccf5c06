"""Forms of the expert pool. They only shape input; experts.services validates and writes.

The profile forms run ``expert_clean`` in clean(), as the API and the import do, so the page
shows the same messages. The ID number field of the edit form starts empty: the full number
is typed in, never shown back.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Region, User
from accounts.roles import Role
from enterprises.models import Industry
from experts.models import (
    Expert,
    ExpertChangeRequest,
    ExpertRelation,
    RelativeRelationship,
    Skill,
    Specialty,
)
from experts.selectors import ExpertFilters, division_choices
from experts.services import (
    CONTACT_FIELDS,
    PROFILE_FIELDS,
    QUALIFICATION_FIELDS,
    RELATION_FIELDS,
    expert_clean,
)
from lib.forms import BootstrapMixin, add_service_errors

MAX_IMPORT_BYTES = 10 * 1024 * 1024
SELECT = {"class": "form-select"}
TEXT = {"class": "form-control"}
CHECKS = {"class": "form-check-input"}


def _date(label, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={**TEXT, "type": "date"}, format="%Y-%m-%d"),
    )


def _codes(label, choices) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple(attrs=CHECKS)
    )


class ExpertForm(forms.ModelForm):
    """The admin's form: the code lists shown as checkboxes instead of raw JSON."""

    specialties = forms.MultipleChoiceField(
        label=_("specialties"), choices=Specialty.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    industries = forms.MultipleChoiceField(
        label=_("industries"), choices=Industry.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    skills = forms.MultipleChoiceField(
        label=_("special skills"), choices=Skill.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Expert
        fields = [
            "name",
            "gender",
            "id_number",
            "phone",
            "employer",
            "employer_uscc",
            "title",
            "registered_safety_engineer",
            "registered_safety_engineer_number",
            "years_of_experience",
            "training_certificate_number",
            "specialties",
            "industries",
            "skills",
            "region",
            "status",
            "can_lead",
            "term_until",
            "user",
        ]


# --- List filters ------------------------------------------------------------------


class ExpertFilterForm(forms.Form):
    """The list's filter bar; invalid values are ignored, never an error (it is a GET form)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={**TEXT, "type": "search", "placeholder": _("Name, pinyin initials or employer")}
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Expert.Status.choices],
        widget=forms.Select(attrs=SELECT),
    )
    specialty = forms.ChoiceField(
        label=_("Specialty"),
        required=False,
        choices=[("", _("All specialties")), *Specialty.choices],
        widget=forms.Select(attrs=SELECT),
    )
    industry = forms.ChoiceField(
        label=_("Industry"),
        required=False,
        choices=[("", _("All industries")), *Industry.choices],
        widget=forms.Select(attrs=SELECT),
    )
    skill = forms.ChoiceField(
        label=_("Special skill"),
        required=False,
        choices=[("", _("All special skills")), *Skill.choices],
        widget=forms.Select(attrs=SELECT),
    )
    region = forms.ModelChoiceField(
        label=_("Division"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("All divisions"),
        widget=forms.Select(attrs=SELECT),
    )
    can_lead = forms.ChoiceField(
        label=_("May lead"),
        required=False,
        choices=[("", _("All")), ("yes", _("Yes")), ("no", _("No"))],
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, data=None, *, user, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.fields["region"].queryset = division_choices(user)

    def filters(self) -> ExpertFilters:
        """Return the filters from the valid fields; an invalid field is treated as empty."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        region = data.get("region")
        can_lead = {"yes": True, "no": False}.get(data.get("can_lead") or "")
        return ExpertFilters(
            status=data.get("status") or "",
            specialty=data.get("specialty") or "",
            industry=data.get("industry") or "",
            skill=data.get("skill") or "",
            region=region.pk if region else None,
            can_lead=can_lead,
            q=data.get("q") or "",
        )


# --- Profile ---------------------------------------------------------------------------


def _profile_fields() -> dict[str, forms.Field]:
    return {
        "phone": forms.CharField(
            label=_("Phone"), required=False, max_length=32, widget=forms.TextInput(TEXT)
        ),
        "employer": forms.CharField(
            label=_("Employer"), required=False, max_length=200, widget=forms.TextInput(TEXT)
        ),
        "employer_uscc": forms.CharField(
            label=_("Employer's unified social credit code"),
            required=False,
            max_length=30,
            widget=forms.TextInput(TEXT),
            help_text=_("Optional; lets the draw recognise the employer among registered enterprises."),
        ),
        "title": forms.CharField(
            label=_("Professional title"), required=False, max_length=64, widget=forms.TextInput(TEXT)
        ),
        "registered_safety_engineer": forms.BooleanField(
            label=_("Registered safety engineer"), required=False, widget=forms.CheckboxInput(CHECKS)
        ),
        "registered_safety_engineer_number": forms.CharField(
            label=_("Registered safety engineer number"),
            required=False,
            max_length=64,
            widget=forms.TextInput(TEXT),
        ),
        "years_of_experience": forms.IntegerField(
            label=_("Years of experience"),
            initial=0,
            widget=forms.NumberInput(attrs={**TEXT, "min": 0, "max": 80, "inputmode": "numeric"}),
        ),
        "training_certificate_number": forms.CharField(
            label=_("Training certificate number"),
            required=False,
            max_length=64,
            widget=forms.TextInput(TEXT),
        ),
        "specialties": _codes(_("Specialties"), Specialty.choices),
        "industries": _codes(_("Industries"), Industry.choices),
        "skills": _codes(_("Special skills"), Skill.choices),
        "can_lead": forms.BooleanField(
            label=_("May lead a panel"), required=False, widget=forms.CheckboxInput(CHECKS)
        ),
    }


class ExpertProfileForm(forms.Form):
    """Add an expert or edit his whole profile (the section). The status has its own form."""

    def __init__(self, data=None, *, user, instance: Expert | None = None, **kwargs) -> None:
        if instance is not None and data is None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(instance, name) for name in PROFILE_FIELDS}
            kwargs["initial"]["id_number"] = ""  # never shown back
        super().__init__(data, **kwargs)
        self.instance = instance
        self.fields["name"] = forms.CharField(label=_("Name"), max_length=64, widget=forms.TextInput(TEXT))
        self.fields["gender"] = forms.ChoiceField(
            label=_("Gender"), choices=[("", "—"), *Expert.Gender.choices], widget=forms.Select(attrs=SELECT)
        )
        self.fields["id_number"] = forms.CharField(
            label=_("ID number"),
            required=instance is None,
            max_length=24,
            widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off", "spellcheck": "false"}),
            help_text=_("18-character resident ID number; shown masked everywhere else.")
            if instance is None
            else _("Leave empty to keep %(masked)s; type the full number only to correct it.")
            % {"masked": instance.masked_id_number},
        )
        self.fields.update(_profile_fields())
        self.fields["region"] = forms.ModelChoiceField(
            label=_("Division"),
            queryset=division_choices(user),
            required=False,
            empty_label="—",
            widget=forms.Select(attrs=SELECT),
        )
        self.fields["term_until"] = _date(
            _("Appointment term ends"), help_text=_("The last day of the appointment; empty when open-ended.")
        )
        accounts = User.objects.filter(role=Role.EXPERT, is_active=True).filter(expert_profile__isnull=True)
        if instance is not None and instance.user_id:
            accounts = accounts | User.objects.filter(pk=instance.user_id)
        self.fields["user"] = forms.ModelChoiceField(
            label=_("User account"),
            queryset=accounts.order_by("username"),
            required=False,
            empty_label=_("No account"),
            widget=forms.Select(attrs=SELECT),
            help_text=_("The expert's login, so that he can keep his own profile."),
        )
        if instance is None:
            self.fields["status"] = forms.ChoiceField(
                label=_("Status"),
                choices=Expert.Status.choices,
                initial=Expert.Status.ACTIVE,
                widget=forms.Select(attrs=SELECT),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        data = {name: cleaned.get(name) for name in self.fields}
        if data.get("years_of_experience") is None:
            data["years_of_experience"] = -1  # let the service say what is wrong, keyed by field
        try:
            expert_clean(data=data, instance=self.instance)
        except ValidationError as exc:
            add_service_errors(self, exc, keep_existing=True)
        return cleaned

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.fields}


class ExpertSelfForm(forms.Form):
    """The expert's own profile: contact fields apply at once, qualifications wait for approval."""

    CONTACT = CONTACT_FIELDS
    QUALIFICATIONS = QUALIFICATION_FIELDS

    def __init__(self, data=None, *, expert: Expert, pending: ExpertChangeRequest | None = None, **kwargs):
        if data is None and "initial" not in kwargs:
            initial = {name: getattr(expert, name) for name in (*CONTACT_FIELDS, *QUALIFICATION_FIELDS)}
            # Show what he asked for, so sending the form again keeps his request as it is.
            if pending is not None:
                initial.update({k: v for k, v in pending.changes.items() if k in QUALIFICATION_FIELDS})
            kwargs["initial"] = initial
        super().__init__(data, **kwargs)
        self.expert = expert
        self.fields.update(_profile_fields())
        self.pending_fields = set(pending.changes) & set(self.fields) if pending is not None else set()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        data = {name: getattr(self.expert, name) for name in PROFILE_FIELDS}
        data.update({name: cleaned.get(name) for name in self.fields})
        data["id_number"] = ""
        if data.get("years_of_experience") is None:
            data["years_of_experience"] = -1
        try:
            expert_clean(data=data, instance=self.expert)
        except ValidationError as exc:
            add_service_errors(self, exc, keep_existing=True)
        return cleaned

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.fields}

    def contact_fields(self):
        return [self[name] for name in CONTACT_FIELDS]

    def qualification_fields(self):
        return [self[name] for name in QUALIFICATION_FIELDS]


class StatusForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Expert.Status.choices)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded with the change: why the expert is suspended, leaves or returns."),
    )


# --- Declarations, certificates, ratings, decisions ------------------------------------------


class UnavailabilityForm(BootstrapMixin, forms.Form):
    start = _date(_("From"), required=True)
    end = _date(_("To"), required=True, help_text=_("Both days are included."))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)


class RelationForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *ExpertRelation.Kind.choices])
    enterprise_name = forms.CharField(label=_("Enterprise name"), max_length=200)
    enterprise_uscc = forms.CharField(
        label=_("Enterprise's unified social credit code"),
        required=False,
        max_length=30,
        help_text=_("If you know it: a registered enterprise is then recognised for certain."),
    )
    relative_relationship = forms.ChoiceField(
        label=_("Relationship"),
        required=False,
        choices=[("", "—"), *RelativeRelationship.choices],
        help_text=_("Only for a near relative who is the enterprise's principal or a manager."),
    )
    start = _date(_("From"))
    end = _date(_("To"), help_text=_("Empty while it continues."))
    note = forms.CharField(
        label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, data=None, *args, instance: ExpertRelation | None = None, **kwargs) -> None:
        if instance is not None and data is None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(instance, name) for name in RELATION_FIELDS}
        super().__init__(data, *args, **kwargs)


class CertificateForm(BootstrapMixin, forms.Form):
    name = forms.CharField(
        label=_("Certificate"),
        max_length=100,
        help_text=_("E.g. the expert training certificate, the registered safety engineer certificate."),
    )
    number = forms.CharField(label=_("Number"), required=False, max_length=64)
    issued_on = _date(_("Issued on"))
    expires_on = _date(_("Expires on"), help_text=_("Empty if it does not expire."))
    file = forms.FileField(
        label=_("Scan (PDF, JPEG or PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


def _score(label) -> forms.IntegerField:
    # No min/max validators: the service refuses out-of-range scores with its own message.
    return forms.IntegerField(
        label=label, widget=forms.NumberInput(attrs={"min": 1, "max": 100, "inputmode": "numeric"})
    )


class RatingForm(BootstrapMixin, forms.Form):
    professional = _score(_("Professional competence"))
    discipline = _score(_("Work discipline"))
    ethics = _score(_("Professional ethics"))
    integrity = _score(_("Integrity"))
    source = forms.CharField(
        label=_("Job"),
        required=False,
        max_length=100,
        help_text=_("What was rated, e.g. the application number."),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))]
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when rejecting; the expert sees it."),
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
