"""Forms of the standards pages: upload a version, start a sheet, score one item."""

import json
import re
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from standards.formats import FormatError, StandardFormatError, read_csv_text, read_xlsx_tables
from standards.models import ScoringStandard
from standards.permissions import visible_to
from standards.selectors import standard_industry_choices
from standards.services import DeductionIn, EntryIn
from standards.sheet_io import entries_from_json, entries_from_xlsx

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_SHEET_UPLOAD_BYTES = 5 * 1024 * 1024  # as the API's sheet import
MAX_DEDUCTIONS = 50  # rows read from one item form; more is a broken or hostile client
_DEDUCTION_FIELD = re.compile(r"^d-(\d{1,3})-(points|reason|hazard)$")


def _file_input(accept: str) -> forms.ClearableFileInput:
    return forms.ClearableFileInput(attrs={"class": "form-control", "accept": accept})


class StandardImportForm(forms.Form):
    """Upload a version: one .xlsx (sheets elements and items) or the two CSV files."""

    workbook = forms.FileField(
        label=_("Excel workbook (.xlsx)"),
        required=False,
        help_text=_("With the sheets elements and items."),
        widget=_file_input(".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    )
    elements_csv = forms.FileField(
        label=_("elements.csv"), required=False, widget=_file_input(".csv,text/csv")
    )
    items_csv = forms.FileField(label=_("items.csv"), required=False, widget=_file_input(".csv,text/csv"))
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The same code as an existing standard makes a new version of it."),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    name = forms.CharField(
        label=_("Name"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    industries = forms.MultipleChoiceField(
        label=_("Industries"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    effective_from = forms.DateField(
        label=_("Effective from"),
        required=False,
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d"),
    )
    source_note = forms.CharField(
        label=_("Source"),
        required=False,
        help_text=_("The document the standard comes from, e.g. its number and date."),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["industries"].choices = standard_industry_choices()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        workbook, elements, items = (cleaned.get(n) for n in ("workbook", "elements_csv", "items_csv"))
        if workbook and (elements or items):
            raise ValidationError(_("Upload either the Excel workbook or the two CSV files, not both."))
        if not workbook and not (elements and items):
            raise ValidationError(_("Upload the Excel workbook, or both CSV files (elements and items)."))
        for upload in (workbook, elements, items):
            if upload and upload.size > MAX_UPLOAD_BYTES:
                raise ValidationError(_("The file %(name)s is larger than 10 MB.") % {"name": upload.name})
        return cleaned

    def tables(self) -> tuple[list[dict], list[dict]]:
        """Return (element rows, item rows) of the uploaded files; raise StandardFormatError."""
        if self.cleaned_data.get("workbook"):
            return read_xlsx_tables(self.cleaned_data["workbook"])
        return (
            read_csv_text(_decode(self.cleaned_data["elements_csv"], "elements")),
            read_csv_text(_decode(self.cleaned_data["items_csv"], "items")),
        )

    def error_rows(self, errors: list[FormatError]) -> list[dict[str, Any]]:
        """Return the format errors for the table, each naming the file the user uploaded."""
        workbook = self.cleaned_data.get("workbook")
        names = {
            "elements": workbook.name if workbook else self.cleaned_data["elements_csv"].name,
            "items": workbook.name if workbook else self.cleaned_data["items_csv"].name,
        }
        return [
            {
                "file": names.get(e.file, e.file or (workbook.name if workbook else "")),
                "sheet": e.file if workbook else "",
                "row": e.row,
                "column": e.column,
                "message": e.message,
            }
            for e in errors
        ]

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "code": data["code"].strip(),
            "name": data["name"].strip(),
            "industries": list(data["industries"]),
            "effective_from": data["effective_from"],
            "source_note": data["source_note"].strip(),
        }


def _decode(upload, table: str) -> str:
    """Return a CSV upload as text: UTF-8 (with or without BOM), else GB18030 as Excel saves it."""
    raw = upload.read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise StandardFormatError(  # pragma: no cover - gb18030 decodes nearly any byte string
        [FormatError(table, 0, "", str(_("The file is neither UTF-8 nor GB18030 text.")))]
    )


class SheetCreateForm(forms.Form):
    """Start a trial sheet (试评分) on a published standard."""

    standard = forms.ModelChoiceField(
        label=_("Scoring standard"),
        queryset=ScoringStandard.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("For example the workshop or the date; you will find the sheet by it."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["standard"].queryset = visible_to(user).filter(status=ScoringStandard.Status.PUBLISHED)


class ItemScoreForm(forms.Form):
    """What a scorer enters for one item. The numbers stay text: the service checks them.

    Deductions come as numbered rows ``d-<n>-points``, ``d-<n>-reason`` and ``d-<n>-hazard``
    (the page's script adds rows); a row with neither points nor reason is ignored.
    """

    not_applicable = forms.BooleanField(
        label=_("Not applicable"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input", "role": "switch"}),
    )
    na_reason = forms.CharField(
        label=_("Why the item does not apply"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    extra_deduction = forms.CharField(
        label=_("Extra deduction"),
        max_length=12,
        required=False,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "inputmode": "decimal", "placeholder": "0"}
        ),
    )
    extra_reason = forms.CharField(
        label=_("Reason for the extra deduction"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control form-control-sm", "rows": 2}),
    )

    def __init__(self, data=None, *, code: str, entry=None, **kwargs: Any) -> None:
        if entry is not None and data is None:
            kwargs["initial"] = {
                "not_applicable": not entry.applicable,
                "na_reason": entry.na_reason,
                "extra_deduction": _plain(entry.extra_deduction) if entry.extra_deduction else "",
                "extra_reason": entry.extra_reason,
                "description": entry.description,
            }
        kwargs.setdefault("auto_id", "id_" + code.replace(".", "-") + "_%s")
        super().__init__(data, **kwargs)
        self.code = code
        if data is not None:
            self.deduction_rows = _posted_deductions(data)
        elif entry is not None:
            self.deduction_rows = [
                {"points": _plain(d.points), "reason": d.reason, "is_hazard": d.is_hazard}
                for d in entry.deductions.all()
            ]
        else:
            self.deduction_rows = []
        if not self.deduction_rows:
            self.deduction_rows = [{"points": "", "reason": "", "is_hazard": False}]

    def entry(self) -> EntryIn:
        """Return what was entered as the service's input (call after is_valid())."""
        data = self.cleaned_data
        return EntryIn(
            code=self.code,
            applicable=not data["not_applicable"],
            deductions=tuple(
                DeductionIn(r["points"], r["reason"], r["is_hazard"])
                for r in self.deduction_rows
                if r["points"] or r["reason"]
            ),
            extra_deduction=data["extra_deduction"].strip() or "0",
            extra_reason=data["extra_reason"],
            na_reason=data["na_reason"],
            description=data["description"],
        )


def _plain(points) -> str:
    """Return points without a trailing ".0" (4, 0.5), as the scorer typed them."""
    return str(int(points)) if points == points.to_integral_value() else str(points)


def _posted_deductions(data) -> list[dict[str, Any]]:
    rows: dict[int, dict[str, Any]] = {}
    for key in data:
        match = _DEDUCTION_FIELD.match(key)
        if match is None:
            continue
        row = rows.setdefault(int(match[1]), {"points": "", "reason": "", "is_hazard": False})
        if match[2] == "hazard":
            row["is_hazard"] = data.get(key) not in ("", "0", "false", None)
        else:
            row[match[2]] = (data.get(key) or "").strip()
    ordered = [rows[n] for n in sorted(rows)][:MAX_DEDUCTIONS]
    return [r for r in ordered if r["points"] or r["reason"]]


class SheetImportForm(forms.Form):
    """Upload a sheet exported from anbiao (JSON or Excel), filled in, into a draft sheet."""

    file = forms.FileField(
        label=_("File (.json or .xlsx)"),
        help_text=_("A sheet downloaded from this page (Excel or JSON) and filled in; at most 5 MB."),
        widget=_file_input(".json,.xlsx,application/json"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".json", ".xlsx")):
            raise ValidationError(_("Upload a .json or .xlsx file downloaded from a score sheet."))
        if upload.size > MAX_SHEET_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 5 MB."))
        return upload

    def entries(self, standard: ScoringStandard) -> list[EntryIn]:
        """Return the file's entries for ``standard``; raise ValidationError keyed by item code."""
        upload = self.cleaned_data["file"]
        if upload.name.lower().endswith(".xlsx"):
            return entries_from_xlsx(upload, standard)
        try:
            data = json.loads(upload.read())
        except ValueError as exc:
            raise ValidationError({NON_FIELD_ERRORS: [_("The file is not a valid JSON document.")]}) from exc
        return entries_from_json(data, standard)


class EvidenceUploadForm(forms.Form):
    """A photo or PDF for a scored item; the service checks the file by its content.

    Phones get a second input that opens the camera (``capture``): the first one still offers
    the gallery and PDFs, which ``capture`` would hide on some phones.
    """

    file = forms.FileField(label=_("File"), required=False, allow_empty_file=True)
    photo = forms.FileField(label=_("Photo"), required=False, allow_empty_file=True)
    deduction_index = forms.IntegerField(label=_("For deduction"), required=False, min_value=0)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        file, photo = cleaned.get("file"), cleaned.get("photo")
        if file and photo:
            raise ValidationError(_("Choose either a file or a photo, not both."))
        if not file and not photo:
            raise ValidationError(_("Choose a photo or a PDF to upload."))
        return cleaned

    def service_data(self) -> dict[str, Any]:
        """Return the service's ``file`` and ``deduction_index`` (call after is_valid())."""
        data = self.cleaned_data
        return {"file": data["file"] or data["photo"], "deduction_index": data["deduction_index"]}
