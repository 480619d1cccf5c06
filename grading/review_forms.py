"""Forms of the regulators' pages: the county opinion, the city decision, returns, comments.

Forms only shape input; ``grading.services`` validates the business rules and writes. The
per-condition confirmations are built from the eligibility lines that are ``unknown`` (each
gets a "verified" tick and a note); the correction notices are formsets of item / problem /
what to fix rows, of which blank ones are ignored.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from grading import domain
from grading.models import CityDecision, CountyOpinion
from grading.services import MAX_TEXT, CorrectionIn
from lib.forms import BootstrapMixin

EMPTY_ROWS = 3  # blank correction rows offered at first, and added by "more rows"


def _text(label, *, rows: int = 3, required: bool = False, max_length: int = MAX_TEXT, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ConditionChecksMixin:
    """Add an ``ok_<code>`` tick and a ``note_<code>`` note per eligibility line to confirm by hand."""

    def add_condition_fields(self, checks: list[domain.Check], saved: dict | None) -> None:
        self.condition_lines = [c for c in checks if c.result == domain.UNKNOWN]
        saved = saved or {}
        for check in self.condition_lines:
            row = saved.get(check.code) or {}
            self.fields[f"ok_{check.code}"] = forms.BooleanField(
                label=_("Verified"), required=False, initial=bool(row.get("ok"))
            )
            self.fields[f"note_{check.code}"] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=500,
                initial=row.get("note", ""),
                widget=forms.TextInput(attrs={"placeholder": _("How it was verified")}),
            )

    def condition_rows(self):
        """(check, tick field, note field) per line, for the template's table."""
        return [(c, self[f"ok_{c.code}"], self[f"note_{c.code}"]) for c in self.condition_lines]

    def clean_conditions(self, cleaned: dict) -> dict:
        checks = {}
        for check in self.condition_lines:
            ok = bool(cleaned.get(f"ok_{check.code}"))
            note = (cleaned.get(f"note_{check.code}") or "").strip()
            if ok and not note:
                self.add_error(f"note_{check.code}", _("Say how this condition was verified."))
            checks[check.code] = {"ok": ok, "note": note}
        return checks


class CountyOpinionForm(ConditionChecksMixin, BootstrapMixin, forms.Form):
    """《初审意见》: the officer's structured findings and conclusion."""

    basic_info_check = _text(_("Basic information verified"))
    licence_check = _text(_("Licences checked"))
    score_check = _text(_("Self-assessment score reviewed"))
    site_check = _text(_("On-site check"))
    problems = _text(_("Problems found"))
    conclusion = forms.ChoiceField(
        label=_("Conclusion"),
        required=False,
        choices=CountyOpinion.Conclusion.choices,
        widget=forms.RadioSelect,
    )
    reasons = _text(_("Reasons"))
    round = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, checks: list[domain.Check], opinion: CountyOpinion | None = None, **kwargs):
        if opinion is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{name: getattr(opinion, name) for name in self.text_fields()},
                "conclusion": opinion.conclusion,
                "round": opinion.round,
            }
        super().__init__(*args, **kwargs)
        self.add_condition_fields(checks, opinion.condition_checks if opinion else None)
        self.fields["conclusion"].widget.attrs["class"] = "form-check-input"

    def finding_fields(self):
        """The findings, in the order of the printed opinion (the reasons come after the conclusion)."""
        return [self[name] for name in self.text_fields() if name != "reasons"]

    @staticmethod
    def text_fields() -> tuple[str, ...]:
        return ("basic_info_check", "licence_check", "score_check", "site_check", "problems", "reasons")

    def clean(self):
        cleaned = super().clean()
        cleaned["condition_checks"] = self.clean_conditions(cleaned)
        return cleaned

    def service_data(self) -> dict:
        data = {name: self.cleaned_data.get(name, "") for name in self.text_fields()}
        data["conclusion"] = self.cleaned_data.get("conclusion") or ""
        data["condition_checks"] = self.cleaned_data["condition_checks"]
        return data


class CorrectionRowForm(BootstrapMixin, forms.Form):
    """One line of a correction notice (一次性告知): the item, its problem, what to fix."""

    subject = forms.CharField(label=_("Item"), required=False, max_length=200)
    problem = forms.CharField(
        label=_("Problem"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    fix = forms.CharField(
        label=_("What to fix"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


CorrectionRowFormSet = forms.formset_factory(CorrectionRowForm, extra=EMPTY_ROWS, max_num=100)


def correction_formset(data=None, *, initial: list[dict] | None = None, prefix: str = "items"):
    """The rows formset; a POST with ``more_rows`` comes back with ``EMPTY_ROWS`` more blank rows."""
    if data is not None and "more_rows" in data:
        data = data.copy()
        key = f"{prefix}-TOTAL_FORMS"
        try:
            total = int(data.get(key) or 0)
        except ValueError:
            total = 0
        data[key] = str(min(total + EMPTY_ROWS, 100))
    return CorrectionRowFormSet(data, initial=initial, prefix=prefix)


def correction_rows(formset) -> list[CorrectionIn]:
    """The formset's rows as the service's input (blank rows dropped; the service checks the rest)."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
        row = CorrectionIn(
            (data.get("subject") or "").strip(),
            (data.get("problem") or "").strip(),
            (data.get("fix") or "").strip(),
        )
        if row.subject or row.problem or row.fix:
            rows.append(row)
    return rows


class CountyReturnForm(BootstrapMixin, forms.Form):
    """The note above the itemised rows of the county's correction notice."""

    comment = _text(_("Note to the enterprise"), help_text=_("Optional; printed above the items."))


class CityDecisionForm(ConditionChecksMixin, BootstrapMixin, forms.Form):
    """The 制造业科 officer's re-review proposal to the 科长."""

    package_check = _text(
        _("Package checked"),
        help_text=_("The self-assessment report, the county opinion and the attachments."),
    )
    proposal = forms.ChoiceField(
        label=_("Proposal"), required=False, choices=CityDecision.Proposal.choices, widget=forms.RadioSelect
    )
    reasons = _text(_("Reasons"), help_text=_("Required to decline; printed in the notice."))
    round = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, checks: list[domain.Check], decision: CityDecision | None = None, **kwargs):
        if decision is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "package_check": decision.package_check,
                "proposal": decision.proposal,
                "reasons": decision.reasons,
                "round": decision.round,
            }
        super().__init__(*args, **kwargs)
        self.add_condition_fields(checks, decision.condition_checks if decision else None)
        self.fields["proposal"].widget.attrs["class"] = "form-check-input"

    def clean(self):
        cleaned = super().clean()
        cleaned["condition_checks"] = self.clean_conditions(cleaned)
        return cleaned

    def service_data(self, rows: list[CorrectionIn]) -> dict:
        return {
            "package_check": self.cleaned_data.get("package_check", ""),
            "proposal": self.cleaned_data.get("proposal") or "",
            "reasons": self.cleaned_data.get("reasons", ""),
            "condition_checks": self.cleaned_data["condition_checks"],
            "correction_items": [{"subject": r.subject, "problem": r.problem, "fix": r.fix} for r in rows],
        }


class CommentForm(BootstrapMixin, forms.Form):
    """A chief's comment on approving or sending back (the service says when it is required)."""

    comment = _text(_("Comment"), rows=2)
    round = forms.IntegerField(required=False, widget=forms.HiddenInput)


class GuidanceForm(BootstrapMixin, forms.Form):
    text = _text(_("Guidance for the enterprise"), rows=3)


class TerminateForm(BootstrapMixin, forms.Form):
    reason = _text(
        _("Reason and evidence"), rows=4, help_text=_("Which commitment was false, and how it is known.")
    )


class CorrectionCheckForm(forms.Form):
    accepted = forms.TypedChoiceField(
        choices=[("1", _("Accept the answer")), ("0", _("Reopen the item"))], coerce=lambda v: v == "1"
    )


class CorrectionAnswerForm(BootstrapMixin, forms.Form):
    answer = _text(_("Answer"), rows=2, max_length=2000)
