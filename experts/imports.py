"""The Excel import of experts, run as an "expert_import" background job.

The handler reads the file with lib.xlsx.read_rows, turns labels (gender, division,
specialties, industries, skills, yes/no, dates) into values, reporting what it cannot
resolve as row problems, checks every row with expert_import_check (reporting progress),
then imports with expert_import, which is all-or-nothing. Any problem fails the job with
the full per-row report.
"""

import re
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from enterprises.models import Industry
from experts.exports import column_labels, header_aliases, is_example_row
from experts.models import Expert, Skill, Specialty
from experts.selectors import division_choices
from experts.services import ImportRejected, RowError, expert_import, expert_import_check
from jobs.registry import JobContext, JobFailed, merge_row_errors, register, rows_rejected
from lib.xlsx import XlsxReadError, read_rows

IMPORT_JOB_KIND = "expert_import"
# Not on spaces: English labels have them ("Confined spaces").
LIST_SPLIT = re.compile(r"[,，、;；/\r\n]+")
YES = {"是", "y", "yes", "true", "1", "√"}
NO = {"否", "n", "no", "false", "0", ""}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


def _choice_lookup(choices) -> dict[str, str]:
    """Map each value and its label (in every UI language), lower-cased, to the value."""
    lookup = {value.lower(): value for value in choices.values}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            lookup.update({str(label).lower(): value for value, label in choices.choices})
    return lookup


def _yes_no_lookup() -> dict[str, bool]:
    lookup = {word: True for word in YES} | {word: False for word in NO}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            lookup[_("Yes").lower()] = True
            lookup[_("No").lower()] = False
    return lookup


def _parse_date(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar day, no time
        except ValueError:
            continue
    return None


class _Resolver:
    """Label → value look-ups for one import, loaded once (no query per row)."""

    def __init__(self, actor) -> None:
        self.divisions = {r.name: r for r in division_choices(actor)}
        self.gender = _choice_lookup(Expert.Gender)
        self.lists = {
            "specialties": (
                _choice_lookup(Specialty),
                _("%(name)s is not a known specialty; see the sheet of valid values."),
            ),
            "industries": (
                _choice_lookup(Industry),
                _("%(name)s is not a known industry; see the sheet of valid values."),
            ),
            "skills": (
                _choice_lookup(Skill),
                _("%(name)s is not a known special skill; see the sheet of valid values."),
            ),
        }
        self.yes_no = _yes_no_lookup()

    def row(
        self, row_no: int, values: dict[str, str], labels: dict[str, str]
    ) -> tuple[dict[str, Any], list[RowError]]:
        """Return the row's data for expert_clean and the labels that could not be resolved."""
        errors: list[RowError] = []

        def problem(key: str, message: str) -> None:
            errors.append(RowError(row_no, labels[key], message))

        data: dict[str, Any] = {
            key: values.get(key, "")
            for key in (
                "name",
                "id_number",
                "phone",
                "employer",
                "employer_uscc",
                "title",
                "years_of_experience",
            )
        }
        data["years_of_experience"] = data["years_of_experience"] or "0"
        number = values.get("registered_safety_engineer_number", "")
        data["registered_safety_engineer_number"] = number
        data["registered_safety_engineer"] = bool(number)
        gender = values.get("gender", "")
        data["gender"] = self.gender.get(gender.lower(), gender)
        for key, (lookup, message) in self.lists.items():
            codes = []
            for name in filter(None, (n.strip() for n in LIST_SPLIT.split(values.get(key, "")))):
                code = lookup.get(name.lower())
                if code is None:
                    problem(key, message % {"name": name})
                elif code not in codes:
                    codes.append(code)
            data[key] = codes
        data["region"] = None
        if values.get("region"):
            data["region"] = self.divisions.get(values["region"])
            if data["region"] is None:
                problem(
                    "region",
                    _("%(name)s is not a county-level division of your city.") % {"name": values["region"]},
                )
        can_lead = values.get("can_lead", "").strip().lower()
        data["can_lead"] = self.yes_no.get(can_lead, False)
        if can_lead not in self.yes_no:
            problem("can_lead", _("Enter Yes or No."))
        data["term_until"] = None
        if values.get("term_until"):
            data["term_until"] = _parse_date(values["term_until"])
            if data["term_until"] is None:
                problem("term_until", _("Enter the date as 2028-12-31."))
        return data, errors


@register(IMPORT_JOB_KIND, label=gettext_lazy("Expert import"))
def import_experts(ctx: JobContext) -> dict[str, Any]:
    """Import the job's .xlsx file all-or-nothing; fail with a per-row report on any problem."""
    job = ctx.job
    actor = job.created_by
    filename = job.params.get("filename", "")
    labels = column_labels()
    try:
        with job.input_file.open("rb") as fh:
            raw_rows = read_rows(fh, header_aliases())
    except XlsxReadError as exc:
        raise JobFailed(str(exc)) from exc
    raw_rows = [(row_no, values) for row_no, values in raw_rows if not is_example_row(values)]
    if not raw_rows:
        raise JobFailed(_("The file has no experts to import (only the example row)."))
    resolver = _Resolver(actor)
    rows: list[tuple[int, dict[str, Any]]] = []
    resolve_errors: list[RowError] = []
    for row_no, values in raw_rows:
        data, errors = resolver.row(row_no, values, labels)
        rows.append((row_no, data))
        resolve_errors.extend(errors)
    try:
        _cleaned, check_errors = expert_import_check(
            actor=actor, rows=rows, column_labels=labels, progress=ctx.progress
        )
        errors = merge_row_errors(resolve_errors, check_errors, labels.values())
        if errors:
            raise rows_rejected(errors)
        created = expert_import(actor=actor, rows=rows, column_labels=labels, filename=filename)
    except ImportRejected as exc:
        raise rows_rejected(merge_row_errors(resolve_errors, exc.errors, labels.values())) from exc
    except PermissionDenied as exc:
        raise JobFailed(_("You may not add experts to the pool, so nothing was imported.")) from exc
    return {
        "message": ngettext("Imported %(n)d expert.", "Imported %(n)d experts.", len(created))
        % {"n": len(created)},
        "count": len(created),
        "url": reverse("experts:list"),
        "url_label": _("Back to the expert pool"),
    }
