"""Certificates (证书): the list with its filters, state counts and Excel export, and one
certificate with what each person may do about it.

Readers: the city roles, a county bureau (its division's, through
``permissions.certificates_visible_to``), system admins and the enterprise (its own); an
expert gets 404, as does anyone for a certificate outside their scope. On the certificate page
the enterprise applies for renewal (复评) inside the renewal window, and opens and files the
yearly self-assessment; the city section flags the certificate for revocation.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import ENTERPRISE_ROLES, Role
from lib.pagination import paginate
from lib.uploads import stored_file_response
from lib.xlsx import xlsx_response
from results import services
from results.exports import certificates_filename, render_certificates_xlsx
from results.forms import STATE_CHOICES, CertificateFilterForm, RevocationFlagForm
from results.models import AnnualSelfAssessment, Certificate
from results.permissions import get_certificate_for_user, revocations_visible_to
from results.selectors import certificate_list, certificate_state, certificate_state_counts, state_label
from results.views.common import (
    CERTIFICATE_PAGE_ROLES,
    call_service,
    is_city_staff,
    redirect_after_post,
    require,
    require_reader,
)


def _url(certificate: Certificate) -> str:
    return reverse("results:certificate", args=[certificate.pk])


def verify_url(request: HttpRequest, certificate: Certificate) -> str:
    """The public verification page the certificate's QR code opens ("" until the portal has it)."""
    try:
        path = reverse("portal:certificate_verify", kwargs={"public_id": certificate.public_id})
    except NoReverseMatch:
        return ""
    return request.build_absolute_uri(path)


# --- The list and its export -------------------------------------------------------------------


@require_GET
def certificate_list_view(request: HttpRequest) -> HttpResponse:
    """The certificates the user may see; ``?export=xlsx`` downloads the filtered list."""
    require_reader(request.user, CERTIFICATE_PAGE_ROLES)
    today = timezone.localdate()
    form = CertificateFilterForm(request.GET, user=request.user, today=today)
    rows = certificate_list(user=request.user, filters=form.filters())
    if request.GET.get("export") == "xlsx":
        workbook = render_certificates_xlsx(rows.iterator(chunk_size=1000))
        return xlsx_response(workbook, certificates_filename(today))
    page_obj = paginate(request, rows)
    counts = certificate_state_counts(user=request.user)
    context = {
        "form": form,
        "page_obj": page_obj,
        "rows": list(page_obj),
        "state_counts": [(state, label, counts.get(state, 0)) for state, label in STATE_CHOICES],
        "total": sum(counts.values()),
        "current_state": form.filters().state,
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "results/_certificate_table.html", context)
    return render(request, "results/certificate_list.html", context)


# --- One certificate ---------------------------------------------------------------------------


def certificate_context(request: HttpRequest, certificate: Certificate, flag_form=None) -> dict:
    user = request.user
    today = timezone.localdate()
    own = user.role in ENTERPRISE_ROLES  # an enterprise sees only its own certificates
    active = certificate.status == Certificate.Status.ACTIVE
    assessments = list(certificate.annual_assessments.select_related("submitted_by"))
    this_year = next((a for a in assessments if a.year == today.year), None)
    state = certificate_state(certificate, today)
    context = {
        "certificate": certificate,
        "enterprise": certificate.enterprise,
        "state": state,
        "state_label": state_label(state),
        "verify_url": verify_url(request, certificate),
        "revocations": list(
            revocations_visible_to(user).filter(certificate=certificate).select_related("flagged_by")
        ),
        "assessments": assessments,
        "this_year": this_year,
        "today": today,
        "own": own,
        "renewal_problems": services.renewal_problems(certificate, today) if own else [],
        "can_renew": own and active,
        "can_start_assessment": own and active and this_year is None,
        "can_file_assessment": own
        and user.role == Role.ENTERPRISE_PRINCIPAL
        and this_year is not None
        and this_year.status == AnnualSelfAssessment.Status.DRAFT,
        "can_flag": is_city_staff(user) and (active or flag_form is not None),
        "flag_form": flag_form or RevocationFlagForm(),
    }
    return context


@require_GET
def certificate_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_certificate_for_user(request.user, pk)
    return render(request, "results/certificate_detail.html", certificate_context(request, certificate))


@require_GET
def certificate_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_certificate_for_user(request.user, pk)
    if not certificate.pdf:
        raise Http404
    return stored_file_response(certificate.pdf, f"{certificate.number}.pdf")


@require_POST
def renewal_start_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The enterprise opens its renewal: a new application, pre-filled from the last one."""
    certificate = get_certificate_for_user(request.user, pk)
    require(request.user.role in ENTERPRISE_ROLES)
    ok, application = call_service(
        request, None, lambda: services.renewal_start(actor=request.user, certificate=certificate)
    )
    if not ok:
        return redirect_after_post(request, _url(certificate))
    messages.success(
        request,
        _("The renewal application %(number)s is opened; complete it and file it.")
        % {"number": application.number},
    )
    return redirect_after_post(request, reverse("grading:detail", args=[application.pk]))


@require_POST
def assessment_start_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Open this year's self-assessment and go to its scoring page."""
    certificate = get_certificate_for_user(request.user, pk)
    require(request.user.role in ENTERPRISE_ROLES)
    ok, assessment = call_service(
        request, None, lambda: services.annual_assessment_start(actor=request.user, certificate=certificate)
    )
    if not ok:
        return redirect_after_post(request, _url(certificate))
    messages.success(
        request,
        _("The %(year)s self-assessment is open; score every item, then the principal files it.")
        % {"year": assessment.year},
    )
    return redirect_after_post(request, reverse("standards:sheet_detail", args=[assessment.sheet_id]))


@require_POST
def assessment_submit_view(request: HttpRequest, pk: int, assessment_pk: int) -> HttpResponse:
    """The principal files the yearly self-assessment (every item scored; the sheet locks)."""
    certificate = get_certificate_for_user(request.user, pk)
    assessment = (
        certificate.annual_assessments.select_related("certificate__enterprise", "sheet__standard")
        .filter(pk=assessment_pk)
        .first()
    )
    if assessment is None:
        raise Http404
    require(request.user.role == Role.ENTERPRISE_PRINCIPAL)
    ok, assessment = call_service(
        request, None, lambda: services.annual_assessment_submit(actor=request.user, assessment=assessment)
    )
    if ok:
        messages.success(
            request,
            _("The %(year)s self-assessment is filed (%(percentage)s%%).")
            % {"year": assessment.year, "percentage": assessment.percentage},
        )
    return redirect_after_post(request, _url(certificate))


@require_POST
def revocation_flag_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The city section flags the certificate for revocation; the 科长 decides."""
    certificate = get_certificate_for_user(request.user, pk)
    require(is_city_staff(request.user))
    form = RevocationFlagForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        ok, case = call_service(
            request,
            form,
            lambda: services.revocation_flag(
                actor=request.user, certificate=certificate, ground=data["ground"], detail=data["detail"]
            ),
            default_field="detail",
        )
        if ok:
            messages.success(request, _("The certificate is flagged for revocation; the chief decides."))
            return redirect_after_post(request, reverse("results:revocation", args=[case.pk]))
    context = certificate_context(request, certificate, flag_form=form)
    return render(request, "results/certificate_detail.html", context)
