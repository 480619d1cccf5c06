"""Forms of the portal. They only shape input; the services (and results') validate and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.forms import BootstrapMixin
from portal.models import Article
from portal.selectors import ArticleFilters
from portal.services import ArticleIn
from results.models import Announcement


def _choices(blank_label, choices):
    return [("", blank_label), *choices]


class ArticleForm(BootstrapMixin, forms.Form):
    """The article's text. Required marks are shown; the service gives the messages."""

    category = forms.ChoiceField(
        label=_("Category"), choices=_choices(_("Choose…"), Article.Category.choices)
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences shown in the lists."),
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Plain text; a blank line starts a new paragraph. No formatting or HTML."),
        strip=False,
    )

    def to_input(self) -> ArticleIn:
        data = self.cleaned_data
        return ArticleIn(
            category=data.get("category") or "",
            title=data.get("title") or "",
            summary=data.get("summary") or "",
            body=data.get("body") or "",
        )


class AttachmentForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("Attachment"),
        help_text=_("PDF, Word (.docx), Excel (.xlsx), JPEG or PNG; at most 20 MB."),
    )


class ArticleFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=_choices(_("All"), Article.Category.choices)
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_choices(_("All"), Article.Status.choices)
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("Title or summary")

    def filters(self) -> ArticleFilters:
        if not self.is_valid():
            return ArticleFilters()
        return ArticleFilters(
            **{name: self.cleaned_data.get(name) or "" for name in ("q", "category", "status")}
        )


# --- Public -------------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ObjectionForm(BootstrapMixin, forms.Form):
    """An objection to a listed enterprise. Fields are optional here: ``objection_file`` checks
    them and its messages (keyed by field) are shown on the form, with what was typed kept."""

    name = forms.CharField(label=_("Your name"), max_length=60, required=False)
    contact = forms.CharField(
        label=_("How to reach you"),
        max_length=100,
        required=False,
        help_text=_("A telephone number or an address. Kept confidential; used only to check the objection."),
    )
    content = forms.CharField(
        label=_("Objection and facts"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What you object to and the facts that support it."),
    )
    # A plain field: objection_file checks the files themselves (request.FILES.getlist("files")).
    files = forms.Field(
        label=_("Evidence (optional)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        help_text=_("Up to 3 files: PDF, JPEG or PNG, at most 10 MB each."),
    )

    REQUIRED = ("name", "contact", "content")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in self.REQUIRED:
            self.fields[name].widget.attrs["required"] = True


class CertificateSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Certificate number, enterprise name or credit code"), required=False, max_length=100
    )


class AnnouncementFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_choices(_("All"), Announcement.Kind.choices)
    )


class ArticleCategoryForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=_choices(_("All"), Article.Category.choices)
    )
