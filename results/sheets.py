"""The yearly self-assessment sheets of certified enterprises, plugged into standards.

The enterprise (its users) reads and edits the sheet of its own certificate's assessment while it
is being scored; the regulators who see the certificate read it. The assessment files it (the
scoring page offers no submit button of its own).
"""

from django.db.models import Q

from accounts.roles import ENTERPRISE_ROLES
from results.models import AnnualSelfAssessment
from results.permissions import certificates_visible_to


def sheets_visible_q(user) -> Q:
    return Q(annual_assessment__certificate__in=certificates_visible_to(user).values("pk"))


def _assessment_of(sheet) -> AnnualSelfAssessment | None:
    if sheet.kind != "self_assessment":
        return None
    if not hasattr(sheet, "_annual_assessment"):
        sheet._annual_assessment = (
            AnnualSelfAssessment.objects.select_related("certificate__enterprise")
            .filter(sheet_id=sheet.pk)
            .first()
        )
    return sheet._annual_assessment


def can_edit_annual_sheet(user, sheet) -> bool | None:
    assessment = _assessment_of(sheet)
    if assessment is None:
        return None
    return (
        assessment.status == AnnualSelfAssessment.Status.DRAFT
        and user.role in ENTERPRISE_ROLES
        and user.organisation_id is not None
        and user.organisation_id == assessment.certificate.enterprise.organisation_id
    )


def sheet_is_annual(sheet) -> bool:
    return _assessment_of(sheet) is not None


def annual_sheet_links(user, sheet) -> dict | None:
    assessment = _assessment_of(sheet)
    if assessment is None:
        return None
    from django.urls import reverse

    return {
        "url": reverse("results:certificate", args=[assessment.certificate_id]),
        "number": assessment.certificate.number,
        "assigned": set(),
    }


def register() -> None:
    from standards.permissions import register_sheet_access, register_sheet_links

    register_sheet_access(sheets_visible_q, can_edit_annual_sheet, sheet_is_annual)
    register_sheet_links(annual_sheet_links)
