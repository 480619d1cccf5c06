"""Forms of the application pages. They only shape input: grading.services validates and writes."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from accounts.permissions import county_regions_for
from accounts.roles import CITY_ROLES, Role
from grading.models import GradeLevel, Kind, RequiredDocument, Status, TeamMember
from grading.selectors import ApplicationFilters
from lib.forms import BootstrapMixin
from standards.models import ScoringStandard

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
CHECK = {"class": "form-check-input"}
# The kinds an enterprise picks itself (the fast track is decided by the city).
CREATE_KINDS = [(Kind.INITIAL.value, Kind.INITIAL.label), (Kind.RENEWAL.value, Kind.RENEWAL.label)]
REGION_FILTER_ROLES = CITY_ROLES | {Role.SYSTEM_ADMIN}


class ApplicationFilterForm(forms.Form):
    """The list's filter bar; an invalid value is ignored, never an error (it is a GET form)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                **TEXT,
                "type": "search",
                "placeholder": _("Number, enterprise, credit code or pinyin initials"),
            }
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Status.choices],
        widget=forms.Select(attrs=SELECT),
    )
    region = forms.ModelChoiceField(
        label=_("Division"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("All divisions"),
        widget=forms.Select(attrs=SELECT),
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False, widget=forms.CheckboxInput(CHECK))
    open_only = forms.BooleanField(label=_("Open only"), required=False, widget=forms.CheckboxInput(CHECK))

    def __init__(self, data=None, *, user, **kwargs) -> None:
        super().__init__(data, **kwargs)
        if user.role in REGION_FILTER_ROLES:
            self.fields["region"].queryset = county_regions_for(user)
        else:
            # A county sees one division and an enterprise its own: nothing to choose.
            del self.fields["region"]

    def filters(self) -> ApplicationFilters:
        """Return the filters from the valid fields; an invalid field is treated as empty."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        region = data.get("region")
        return ApplicationFilters(
            status=data.get("status") or "",
            region=region.pk if region else None,
            overdue=bool(data.get("overdue")),
            q=(data.get("q") or "").strip(),
            open_only=bool(data.get("open_only")),
        )


def _mark_invalid(form: forms.Form) -> None:
    for name in form.errors:
        if name in form.fields:
            widget = form.fields[name].widget
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class MarkInvalidMixin:
    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        _mark_invalid(self)  # type: ignore[arg-type]


class ApplicationCreateForm(MarkInvalidMixin, BootstrapMixin, forms.Form):
    standard = forms.ModelChoiceField(
        label=_("Scoring standard"),
        queryset=ScoringStandard.objects.none(),
        empty_label=None,
        help_text=_("The published standards of your industry, and the general ones."),
    )
    grade_level = forms.TypedChoiceField(
        label=_("Grade applied for"), choices=GradeLevel.choices, coerce=int, initial=GradeLevel.LEVEL3
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=CREATE_KINDS, initial=Kind.INITIAL)

    def __init__(self, data=None, *, standards: list[ScoringStandard], **kwargs) -> None:
        super().__init__(data, **kwargs)
        field = self.fields["standard"]
        field.queryset = ScoringStandard.objects.filter(pk__in=[s.pk for s in standards]).order_by(
            "code", "-version"
        )
        if not standards:
            field.empty_label = "—"


class ApplicationFileForm(MarkInvalidMixin, BootstrapMixin, forms.Form):
    """The free parts of the self-assessment report (the problems come in a formset)."""

    grade_level = forms.TypedChoiceField(label=_("Grade applied for"), choices=GradeLevel.choices, coerce=int)
    assessment_started_on = forms.DateField(
        label=_("Self-assessment started"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    assessment_finished_on = forms.DateField(
        label=_("Self-assessment finished"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    internal_publicity_place = forms.CharField(
        label=_("Where the self-assessment is posted"),
        required=False,
        max_length=200,
        help_text=_("For example: the notice board on the ground floor of the office building."),
    )
    summary = forms.CharField(
        label=_("Self-assessment summary"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("How the self-assessment was organised and what it found."),
    )

    FIELDS = (
        "grade_level",
        "assessment_started_on",
        "assessment_finished_on",
        "internal_publicity_place",
        "summary",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate().isoformat()
        for name in ("assessment_started_on", "assessment_finished_on"):
            self.fields[name].widget.attrs["max"] = today

    @classmethod
    def initial_for(cls, application) -> dict[str, Any]:
        return {name: getattr(application, name) for name in cls.FIELDS}


class ProblemForm(BootstrapMixin, forms.Form):
    problem = forms.CharField(
        label=_("Problem found"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    fix = forms.CharField(
        label=_("How it was fixed"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


ProblemFormSet = forms.formset_factory(ProblemForm, extra=2, can_delete=True, max_num=100, validate_max=True)


class TeamMemberForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Full name"), required=False, max_length=64)
    position = forms.CharField(label=_("Position"), required=False, max_length=64)
    role = forms.ChoiceField(
        label=_("Role in the group"), choices=TeamMember.Role.choices, initial=TeamMember.Role.MEMBER
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=32)


TeamFormSet = forms.formset_factory(TeamMemberForm, extra=2, can_delete=True, max_num=100, validate_max=True)


def formset_rows(formset, keys: tuple[str, ...]) -> list[dict[str, str]]:
    """Return the cleaned rows of a valid formset, without the deleted and the empty ones."""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not data or data.get("DELETE"):
            continue
        rows.append(
            {k: (data.get(k) or "").strip() if isinstance(data.get(k), str) else data.get(k) for k in keys}
        )
    return rows


class AttachmentForm(MarkInvalidMixin, BootstrapMixin, forms.Form):
    document = forms.ModelChoiceField(label=_("Document"), queryset=RequiredDocument.objects.none())
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG; the file is checked by its content, not by its name."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, documents: list[RequiredDocument], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = RequiredDocument.objects.filter(
            pk__in=[d.pk for d in documents]
        ).order_by("sort_order", "pk")


class CommitmentSignForm(BootstrapMixin, forms.Form):
    confirm = forms.BooleanField(label=_("I have read the commitment above and sign it for the enterprise."))


class MoveForm(BootstrapMixin, forms.Form):
    """A move of the case; ``state`` is the status the user saw, so a repeated click is stale."""

    state = forms.CharField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PublicityForm(MarkInvalidMixin, MoveForm):
    start = forms.DateField(
        label=_("Posted from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The day the self-assessment was posted inside the enterprise."),
    )
    place = forms.CharField(
        label=_("Where it is posted"),
        max_length=200,
        help_text=_("For example: the notice board on the ground floor of the office building."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["comment"].widget = forms.HiddenInput()


class WithdrawForm(MarkInvalidMixin, MoveForm):
    reason = forms.CharField(
        label=_("Reason for withdrawing"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["comment"].widget = forms.HiddenInput()


class CorrectionAnswerForm(MarkInvalidMixin, BootstrapMixin, forms.Form):
    answer = forms.CharField(
        label=_("What was corrected"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
