"""The public pages (/public/): no login, Simplified Chinese, fast, printable.

Every view is ``login_not_required``. Pages that only read send ``Cache-Control: public,
max-age=60``; the objection form and its receipt are never cached. Publicity, announcements
and certificates come from ``results.selectors``' public functions, which leave personal
details out; objectors' names and contacts are never shown here.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from audit.middleware import client_ip
from lib.api import DomainError
from lib.forms import add_service_errors
from lib.uploads import stored_file_response
from portal import selectors
from portal.forms import AnnouncementFilterForm, ArticleCategoryForm, CertificateSearchForm, ObjectionForm
from results import domain as results_domain
from results import selectors as results_selectors
from results import services as results_services

RECEIPT_SESSION_KEY = "portal_objection_receipt"
HOME_ANNOUNCEMENTS = 5
HOME_ARTICLES = 5


def public_page(view: Callable) -> Callable:
    """A public, read-only page: no login, GET or HEAD, cacheable by anyone for a minute."""
    return login_not_required(cache_control(public=True, max_age=60)(require_safe(view)))


def _page(request: HttpRequest, rows):
    return Paginator(rows, settings.LIST_PAGE_SIZE).get_page(request.GET.get("page"))


@public_page
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "article_groups": selectors.latest_public_articles(HOME_ARTICLES),
        "batches": list(selectors.current_batches()),
        "announcements": list(results_selectors.public_announcements()[:HOME_ANNOUNCEMENTS]),
        "search_form": CertificateSearchForm(),
    }
    return render(request, "portal/home.html", context)


# --- Articles -----------------------------------------------------------------------------------


@public_page
def article_list(request: HttpRequest) -> HttpResponse:
    form = ArticleCategoryForm(request.GET)
    category = form.cleaned_data["category"] if form.is_valid() else ""
    context = {
        "form": form,
        "category": category,
        "page_obj": _page(request, selectors.public_articles(category)),
    }
    return render(request, "portal/article_list.html", context)


@public_page
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.public_article(pk)
    return render(request, "portal/article_detail.html", {"article": article})


@login_not_required
@require_GET
def article_attachment(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    article = selectors.public_article(pk)
    attachment = selectors.public_attachment(article, attachment_id)
    return stored_file_response(attachment.file, attachment.original_name)


# --- Publicity and objections ---------------------------------------------------------------------


@public_page
def publicity_list(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/publicity_list.html", {"batches": list(selectors.current_batches())})


@public_page
def publicity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = results_selectors.public_batch(pk)
    context = {
        "batch": batch,
        "entries": list(results_selectors.public_entries(batch)),
        "on_publicity": batch.status == batch.Status.PUBLISHED,
    }
    return render(request, "portal/publicity_detail.html", context)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def objection(request: HttpRequest, pk: int) -> HttpResponse:
    """File an objection to a listed enterprise; on success, POST/redirect/GET to the receipt."""
    entry = results_selectors.public_entry(pk)
    form = ObjectionForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = results_services.ObjectionIn(
            name=form.cleaned_data["name"],
            contact=form.cleaned_data["contact"],
            content=form.cleaned_data["content"],
        )
        try:
            filed = results_services.objection_file(
                entry=entry, data=data, files=request.FILES.getlist("files"), ip=client_ip(request)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except results_services.ObjectionThrottled as exc:
            form.add_error(None, exc.message)
            status = 429
        except DomainError as exc:
            if exc.code == "not_found":
                raise Http404 from exc
            form.add_error(None, exc.message)
            status = 409
        else:
            # The receipt travels in the session, never in the URL with the objector's data.
            request.session[RECEIPT_SESSION_KEY] = {
                "receipt": filed.receipt_number,
                "enterprise": entry.enterprise_name,
                "batch": entry.batch_id,
            }
            return redirect("portal:objection_receipt")
    context = {"entry": entry, "batch": entry.batch, "form": form}
    return render(request, "portal/objection_form.html", context, status=status)


@login_not_required
@never_cache
@require_GET
def objection_receipt(request: HttpRequest) -> HttpResponse:
    receipt = request.session.get(RECEIPT_SESSION_KEY)
    if not receipt:
        return redirect("portal:publicity_list")
    return render(request, "portal/objection_receipt.html", {"receipt": receipt})


# --- Announcements ------------------------------------------------------------------------------


@public_page
def announcement_list(request: HttpRequest) -> HttpResponse:
    form = AnnouncementFilterForm(request.GET)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    context = {
        "form": form,
        "kind": kind,
        "page_obj": _page(request, results_selectors.public_announcements(kind)),
    }
    return render(request, "portal/announcement_list.html", context)


@public_page
def announcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = results_selectors.public_announcement(pk)
    context = {
        "announcement": announcement,
        "certificates": selectors.announcement_certificates_public(announcement),
    }
    return render(request, "portal/announcement_detail.html", context)


@login_not_required
@require_GET
def announcement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = results_selectors.public_announcement(pk)
    if not announcement.pdf:
        raise Http404
    return stored_file_response(announcement.pdf, f"{announcement.document_number}.pdf")


# --- Certificates -------------------------------------------------------------------------------


@public_page
def certificate_search(request: HttpRequest) -> HttpResponse:
    form = CertificateSearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    certificates = results_selectors.certificate_search(query) if query else []
    context = {
        "form": form,
        "query": query,
        "certificates": certificates,
        "limit_reached": len(certificates) >= 20,
    }
    return render(request, "portal/certificate_search.html", context)


VERDICTS = {
    results_domain.ACTIVE: "valid",
    results_domain.EXPIRING: "valid",
    results_domain.EXPIRED: "invalid",
    results_domain.REVOKED: "invalid",
    results_domain.SUPERSEDED: "invalid",
}


@public_page
def certificate_verify(request: HttpRequest, public_id: str) -> HttpResponse:
    """The page the certificate's QR code opens: is this certificate valid today?"""
    certificate = results_selectors.certificate_by_public_id(public_id)
    context = {
        "certificate": certificate,
        "state": certificate.state,
        "state_label": results_selectors.state_label(certificate.state),
        "verdict": VERDICTS.get(certificate.state, "invalid"),
        "today": timezone.localdate(),
    }
    return render(request, "portal/certificate_verify.html", context)
