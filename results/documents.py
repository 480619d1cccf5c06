"""The PDFs of results: the 公告 (grading or revocation) and the certificate (证书) with its QR code.

Rendered in the background after the announcement or revocation (``results.tasks``) and kept on
the object with its SHA-256. The certificate's QR code encodes the public verification page
(``portal:certificate_verify``) under ``settings.SITE_URL``, so a phone opens it.
"""

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from lib.pdf import render_pdf
from results.models import Announcement, Certificate
from results.selectors import announcement_certificates

ISSUER_FALLBACK = "营口市应急管理局"


def issuer_name() -> str:
    from accounts.models import Organisation
    from accounts.roles import OrganisationKind

    org = Organisation.objects.filter(kind=OrganisationKind.CITY_BUREAU).order_by("pk").first()
    return org.name if org else ISSUER_FALLBACK


def verification_url(certificate: Certificate) -> str:
    try:
        path = reverse("portal:certificate_verify", kwargs={"public_id": certificate.public_id})
    except NoReverseMatch:  # the portal is not installed: fall back to the lookup by number
        path = f"/public/certificates/{certificate.public_id}/"
    return settings.SITE_URL.rstrip("/") + path


def qr_svg_data_uri(text: str) -> str:
    import segno

    return segno.make(text, error="m").svg_data_uri(scale=4, border=2)


def certificate_context(certificate: Certificate) -> dict:
    url = verification_url(certificate)
    return {
        "title": _("Certificate of work-safety standardisation grade"),
        "certificate": certificate,
        "issuer": issuer_name(),
        "verification_url": url,
        "qr": qr_svg_data_uri(url),
        "level_numeral": {1: "一", 2: "二", 3: "三"}.get(
            certificate.grade_level, str(certificate.grade_level)
        ),
    }


def announcement_context(announcement: Announcement) -> dict:
    rows = list(announcement_certificates(announcement).select_related("enterprise__region"))
    revocation = (
        getattr(announcement, "revocation", None)
        if announcement.kind == Announcement.Kind.REVOCATION
        else None
    )
    return {
        "title": announcement.title,
        "announcement": announcement,
        "certificates": rows,
        "revocation": revocation,
        "issuer": issuer_name(),
    }


def render_certificate(certificate: Certificate) -> bytes:
    return render_pdf("results/pdf/certificate.html", certificate_context(certificate))


def render_announcement(announcement: Announcement) -> bytes:
    return render_pdf("results/pdf/announcement.html", announcement_context(announcement))


def render_and_store(kind: str, pk: int) -> None:
    from results.services import pdf_store

    if kind == "certificate":
        certificate = Certificate.objects.select_related("enterprise").get(pk=pk)
        pdf_store(certificate, render_certificate(certificate), f"{certificate.number}.pdf")
    elif kind == "announcement":
        announcement = Announcement.objects.get(pk=pk)
        pdf_store(announcement, render_announcement(announcement), f"announcement-{announcement.pk}.pdf")
    else:
        raise ValueError(kind)
