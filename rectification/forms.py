"""Forms of the rectification pages. They only shape input: ``rectification.services`` validates
and writes, and its Chinese messages come back onto these forms (``lib.forms.add_service_errors``).

Most fields are optional here on purpose: an empty description, a major hazard without its
clause, an extension without a reason are refused by the service, with the service's message.
"""

from collections import defaultdict
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from accounts.permissions import county_regions_for
from accounts.roles import CITY_ROLES, COUNTY_ROLES, Role
from experts.models import Expert
from lib.forms import BootstrapMixin
from lib.industries import Industry
from rectification.models import Hazard, HazardEvidence, MajorHazardClause
from rectification.permissions import plans_visible_to
from rectification.selectors import LedgerFilters
from rectification.services import FINDING_FIELDS, FIX_FIELDS, HazardIn

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
CHECK = {"class": "form-check-input"}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DIVISION_FILTER_ROLES = CITY_ROLES | {Role.SYSTEM_ADMIN}
REGULATOR_FILTER_ROLES = CITY_ROLES | COUNTY_ROLES | {Role.SYSTEM_ADMIN}


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


# --- The ledger's filters --------------------------------------------------------------------


class LedgerFilterForm(forms.Form):
    """The ledger's filter bar (a GET form: an invalid value is ignored, never an error)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={**TEXT, "type": "search", "placeholder": _("Hazard description or enterprise name")}
        ),
    )
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=[("", _("All levels")), *Hazard.Level.choices],
        widget=forms.Select(attrs=SELECT),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Hazard.Status.choices],
        widget=forms.Select(attrs=SELECT),
    )
    source = forms.ChoiceField(
        label=_("Source"),
        required=False,
        choices=[("", _("All sources")), *Hazard.Source.choices],
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
    leader = forms.ModelChoiceField(
        label=_("Panel leader"),
        queryset=Expert.objects.none(),
        required=False,
        empty_label=_("All leaders"),
        widget=forms.Select(attrs=SELECT),
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False, widget=forms.CheckboxInput(CHECK))
    # The enterprise's register exports through the ledger (the selector keeps the user's scope).
    enterprise = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, data=None, *, user, **kwargs) -> None:
        super().__init__(data, **kwargs)
        if user.role in DIVISION_FILTER_ROLES:
            self.fields["division"].queryset = county_regions_for(user)
        else:
            # A county sees one division and an enterprise its own: nothing to choose.
            del self.fields["division"]
        if user.role in REGULATOR_FILTER_ROLES:
            self.fields["leader"].queryset = (
                Expert.objects.filter(
                    panel_seats__role="leader",
                    panel_seats__state="confirmed",
                    panel_seats__panel__application__rectification_plan__in=plans_visible_to(user),
                )
                .distinct()
                .order_by("name")
            )
        else:
            del self.fields["leader"]
            del self.fields["industry"]

    def filters(self) -> LedgerFilters:
        """Return the filters from the valid fields; an invalid field is treated as empty."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        division = data.get("division")
        leader = data.get("leader")
        return LedgerFilters(
            level=data.get("level") or "",
            status=data.get("status") or "",
            overdue=bool(data.get("overdue")),
            industry=data.get("industry") or "",
            division=division.code if division else "",
            leader=leader.pk if leader else None,
            source=data.get("source") or "",
            enterprise=data.get("enterprise") or None,
            q=(data.get("q") or "").strip(),
        )


# --- A hazard's fields -----------------------------------------------------------------------


def clause_choices() -> list[tuple[Any, Any]]:
    """The active clauses of the judgment standard, grouped by article (an article with items
    offers its items; one without offers its head)."""
    by_article: dict[int, list[MajorHazardClause]] = defaultdict(list)
    for clause in MajorHazardClause.objects.filter(active=True).order_by("article", "item", "version"):
        by_article[clause.article].append(clause)
    groups: list[tuple[Any, Any]] = [("", "—")]
    for article, clauses in by_article.items():
        items = [c for c in clauses if c.item is not None] or clauses
        options = [(c.pk, f"{c} {c.text[:60]}") for c in items]
        groups.append((str(_("Article %(article)s") % {"article": article}), options))
    return groups


class HazardForm(MarkInvalidMixin, BootstrapMixin, forms.Form):
    """Every field of a hazard; ``fields`` keeps those the person may set (the finding side or
    the enterprise's fix side, see ``rectification.services.FINDING_FIELDS``/``FIX_FIELDS``)."""

    description = forms.CharField(label=_("Hazard description"), required=False, widget=_textarea(3))
    location = forms.CharField(label=_("Location or department"), required=False, max_length=200)
    level = forms.ChoiceField(label=_("Hazard level"), choices=Hazard.Level.choices, initial="general")
    basis_clause = forms.TypedChoiceField(
        label=_("Basis clause"),
        required=False,
        coerce=int,
        empty_value=0,
        help_text=_("Required for a major hazard: the clause of 《工贸企业重大事故隐患判定标准》 it meets."),
    )
    item_code = forms.CharField(
        label=_("Scoring item"),
        required=False,
        max_length=32,
        help_text=_("The code of the item of the standard it was found under, such as 5.1.2."),
    )
    requirement = forms.CharField(label=_("Rectification requirement"), required=False, widget=_textarea(3))
    deadline = forms.DateField(label=_("Rectification deadline"), required=False, widget=DATE)
    found_on = forms.DateField(label=_("Found on"), required=False, widget=DATE)
    measures = forms.CharField(label=_("Rectification measures"), required=False, widget=_textarea(3))
    responsible_name = forms.CharField(label=_("Responsible person"), required=False, max_length=64)
    responsible_phone = forms.CharField(label=_("Responsible person's phone"), required=False, max_length=32)
    funds = forms.CharField(
        label=_("Funds (yuan)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    responsibility = forms.CharField(
        label=_("Responsibility (who answers for it)"), required=False, widget=_textarea(2)
    )
    contingency_plan = forms.CharField(label=_("Contingency plan"), required=False, widget=_textarea(2))
    governance_plan = forms.CharField(label=_("Governance plan"), required=False, widget=_textarea(2))

    FIELD_OF = {"basis_clause_id": "basis_clause"}

    def __init__(self, data=None, *, keep: tuple[str, ...], **kwargs) -> None:
        super().__init__(data, **kwargs)
        names = {self.FIELD_OF.get(name, name) for name in keep}
        for name in list(self.fields):
            if name not in names:
                del self.fields[name]
        if "basis_clause" in self.fields:
            self.fields["basis_clause"].choices = clause_choices()

    @classmethod
    def keep_for(
        cls, *, finding: bool, fixing: bool, creating: bool = False, plan: bool = False, pending: bool = True
    ) -> tuple[str, ...]:
        """The fields a person edits: the finding's and/or the fix's; the scoring item only on a
        plan's hazard; the deadline of an existing hazard only while it is pending (after that,
        an extension moves it, on record)."""
        keep: tuple[str, ...] = ()
        if finding:
            keep += tuple(
                f
                for f in FINDING_FIELDS
                if (f != "item_code" or plan) and (f != "deadline" or creating or pending)
            )
            if creating:
                keep += ("found_on",)
        if fixing:
            keep += FIX_FIELDS
        return keep

    @staticmethod
    def initial_for(hazard: Hazard) -> dict[str, Any]:
        initial = {
            name: getattr(hazard, name)
            for name in (
                "description",
                "location",
                "level",
                "requirement",
                "deadline",
                "measures",
                "responsible_name",
                "responsible_phone",
                "responsibility",
                "contingency_plan",
                "governance_plan",
            )
        }
        initial["basis_clause"] = hazard.basis_clause_id or ""
        initial["item_code"] = hazard.item.code if hazard.item_id else ""
        initial["funds"] = "" if hazard.funds is None else str(hazard.funds)
        return initial

    def hazard_in(self) -> HazardIn:
        """The entered values for the service; a field the person may not set stays None."""
        data = self.cleaned_data
        values: dict[str, Any] = {}
        for name in self.fields:
            if name == "basis_clause":
                values["basis_clause_id"] = data.get("basis_clause") or 0
            else:
                values[name] = data.get(name)
        return HazardIn(**values)


# --- The loop's forms ------------------------------------------------------------------------


class ProgressForm(MarkInvalidMixin, BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("Progress"), required=False, max_length=5000, widget=_textarea(2))
    percent = forms.IntegerField(label=_("Done (%)"), required=False, min_value=0, max_value=100)


class EvidenceForm(MarkInvalidMixin, BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=HazardEvidence.Kind.choices, initial="after")
    file = forms.FileField(
        label=_("File"), help_text=_("A photo (JPEG or PNG) or a PDF document, at most 20 MB.")
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class SubmitForm(MarkInvalidMixin, BootstrapMixin, forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000, widget=_textarea(2))


PASS, REJECT = "pass", "reject"


class VerifyForm(MarkInvalidMixin, BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(PASS, _("Verified: close the hazard")), (REJECT, _("Send back with the reason"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    note = forms.CharField(
        label=_("Verification opinion"), required=False, max_length=5000, widget=_textarea(3)
    )


class ExtensionRequestForm(MarkInvalidMixin, BootstrapMixin, forms.Form):
    requested_deadline = forms.DateField(label=_("Requested deadline"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000, widget=_textarea(2))


APPROVE = "approve"


class ExtensionDecisionForm(MarkInvalidMixin, BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve the new deadline")), (REJECT, _("Refuse"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    note = forms.CharField(label=_("Decision note"), required=False, max_length=2000, widget=_textarea(2))


class EscalationOpenForm(MarkInvalidMixin, BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class EscalationCloseForm(MarkInvalidMixin, BootstrapMixin, forms.Form):
    assessment = forms.CharField(
        label=_("Rectification assessment"), required=False, max_length=5000, widget=_textarea(3)
    )
    resume_request = forms.CharField(
        label=_("Written request to resume"), required=False, max_length=5000, widget=_textarea(3)
    )


# --- The application's moves ------------------------------------------------------------------


class MoveForm(MarkInvalidMixin, BootstrapMixin, forms.Form):
    """A move of the case; ``state`` is the status the user saw, so a repeated click is stale."""

    state = forms.CharField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000, widget=_textarea(3))


RETURN = "return"


class ConfirmForm(MoveForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (PASS, _("Rectification confirmed: on to the result")),
            (RETURN, _("Send back to the enterprise")),
        ],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    comment = forms.CharField(
        label=_("Rectification check opinion"), required=False, max_length=2000, widget=_textarea(4)
    )
    field_order = ["state", "decision", "comment"]


class FailForm(MoveForm):
    comment = None  # the decision's text is its reasons
    reason = forms.CharField(
        label=_("Reasons (the enterprise receives them)"),
        required=False,
        max_length=2000,
        widget=_textarea(4),
    )
