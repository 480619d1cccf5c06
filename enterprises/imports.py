"""The Excel import of enterprises, run as an "enterprise_import" background job.

The handler reads the file with lib.xlsx.read_rows, turns division, town and special-risk
names into objects (reporting names it cannot resolve as row problems), checks every row
with enterprise_import_check (reporting progress), then imports with enterprise_import,
which is all-or-nothing. Any problem fails the job with the full per-row report.
"""

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Region
from accounts.permissions import county_regions_for, regions_visible_to
from enterprises.exports import column_labels, header_aliases, is_example_row
from enterprises.models import Enterprise
from enterprises.services import (
    ImportRejected,
    RowError,
    enterprise_import,
    enterprise_import_check,
    risk_tags_by_name,
)
from jobs.registry import JobContext, JobFailed, merge_row_errors, register, rows_rejected
from lib.xlsx import XlsxReadError, read_rows

IMPORT_JOB_KIND = "enterprise_import"
RISK_TAG_SPLIT = re.compile(r"[,，、;；/\s]+")


class _Resolver:
    """Name → object look-ups for one import, loaded once (no query per row)."""

    def __init__(self, actor) -> None:
        self.divisions = {r.name: r for r in county_regions_for(actor)}
        towns = regions_visible_to(actor).filter(level=Region.Level.TOWN)
        self.towns = {(t.parent_id, t.name): t for t in towns}
        self.tags = risk_tags_by_name()
        self.choices = {
            "scale": _choice_lookup(Enterprise.Scale),
            "status": _choice_lookup(Enterprise.Status),
        }

    def row(
        self, row_no: int, values: dict[str, str], labels: dict[str, str]
    ) -> tuple[dict[str, Any], list[RowError]]:
        """Return the row's data for enterprise_clean and the names that could not be resolved."""
        errors: list[RowError] = []
        data: dict[str, Any] = {k: v for k, v in values.items() if k not in {"region", "town", "risk_tags"}}
        division = None
        if values.get("region"):
            division = self.divisions.get(values["region"])
            if division is None:
                errors.append(
                    RowError(
                        row_no,
                        labels["region"],
                        _("%(name)s is not a county-level division you may register enterprises in.")
                        % {"name": values["region"]},
                    )
                )
        data["region"] = division
        data["town"] = None
        if values.get("town") and division is not None:
            data["town"] = self.towns.get((division.pk, values["town"]))
            if data["town"] is None:
                errors.append(
                    RowError(
                        row_no,
                        labels["town"],
                        _("%(town)s is not a town or subdistrict of %(division)s.")
                        % {"town": values["town"], "division": division.name},
                    )
                )
        tags = []
        for name in filter(None, RISK_TAG_SPLIT.split(values.get("risk_tags", ""))):
            tag = self.tags.get(name)
            if tag is None:
                errors.append(
                    RowError(
                        row_no,
                        labels["risk_tags"],
                        _("%(name)s is not a known special risk; see the sheet of valid values.")
                        % {"name": name},
                    )
                )
            elif tag not in tags:
                tags.append(tag)
        data["risk_tags"] = tags
        for key, lookup in self.choices.items():
            text = values.get(key, "")
            data[key] = lookup.get(text.lower(), text)
        return data, errors


def _choice_lookup(choices) -> dict[str, str]:
    """Map each value and its label (in every UI language) to the value."""
    lookup = {value.lower(): value for value in choices.values}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            lookup.update({str(label).lower(): value for value, label in choices.choices})
    return lookup


@register(IMPORT_JOB_KIND, label=gettext_lazy("Enterprise import"))
def import_enterprises(ctx: JobContext) -> dict[str, Any]:
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
        raise JobFailed(_("The file has no enterprises to import (only the example row)."))
    resolver = _Resolver(actor)
    rows: list[tuple[int, dict[str, Any]]] = []
    resolve_errors: list[RowError] = []
    for row_no, values in raw_rows:
        data, errors = resolver.row(row_no, values, labels)
        rows.append((row_no, data))
        resolve_errors.extend(errors)
    try:
        _cleaned, check_errors = enterprise_import_check(
            actor=actor, rows=rows, column_labels=labels, progress=ctx.progress
        )
        errors = merge_row_errors(resolve_errors, check_errors, labels.values())
        if errors:
            raise rows_rejected(errors)
        created = enterprise_import(actor=actor, rows=rows, column_labels=labels, filename=filename)
    except ImportRejected as exc:
        raise rows_rejected(merge_row_errors(resolve_errors, exc.errors, labels.values())) from exc
    except PermissionDenied as exc:
        raise JobFailed(_("You may not register enterprises, so nothing was imported.")) from exc
    return {
        "message": ngettext("Imported %(n)d enterprise.", "Imported %(n)d enterprises.", len(created))
        % {"n": len(created)},
        "count": len(created),
        "url": reverse("enterprises:list"),
        "url_label": _("Back to the enterprise list"),
    }
