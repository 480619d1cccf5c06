"""The certificate and announcement PDFs, and the QR code that opens the public verification page."""

import base64
import urllib.parse
from datetime import date

import pytest
import segno
from django.conf import settings
from django.urls import resolve

from grading.tests.factories import commerce_enterprise
from results import documents, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(personas):
    return services.certificate_record_legacy(
        actor=personas.city_officer,
        enterprise=commerce_enterprise(personas),
        number="AQBⅢSM辽20250042",
        grade_level=3,
        issued_on=date(2025, 3, 1),
    )


def test_the_qr_code_encodes_the_public_verification_page(certificate, client):
    url = documents.verification_url(certificate)
    assert url.startswith(settings.SITE_URL)
    path = urllib.parse.urlsplit(url).path
    match = resolve(path)
    assert match.view_name == "portal:certificate_verify"
    assert match.kwargs == {"public_id": certificate.public_id}
    # The QR image in the PDF is exactly that address, encoded.
    context = documents.certificate_context(certificate)
    assert context["qr"] == segno.make(url, error="m").svg_data_uri(scale=4, border=2)
    svg = (
        urllib.parse.unquote(context["qr"].split(",", 1)[1])
        if "base64" not in context["qr"]
        else base64.b64decode(context["qr"].split(",", 1)[1]).decode()
    )
    assert svg.startswith("<?xml") or "<svg" in svg
    # Anyone who scans it, without logging in, sees the certificate and its state.
    response = client.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert certificate.number in body and certificate.enterprise_name in body


def test_the_certificate_pdf_renders_with_its_number(certificate):
    content = documents.render_certificate(certificate)
    assert content.startswith(b"%PDF-")
    documents.render_and_store("certificate", certificate.pk)
    certificate.refresh_from_db()
    assert certificate.pdf.name and len(certificate.pdf_sha256) == 64


def test_a_revocation_announcement_pdf_names_the_ground_and_the_ban(certificate, personas):
    case = services.revocation_flag(
        actor=personas.city_officer, certificate=certificate, ground="fraud", detail="提供虚假材料"
    )
    services.revocation_decide(actor=personas.city_chief, case=case, revoke=True, reason="材料造假")
    case.refresh_from_db()
    context = documents.announcement_context(case.announcement)
    assert context["revocation"] == case
    assert [c.number for c in context["certificates"]] == [certificate.number]
    assert documents.render_announcement(case.announcement).startswith(b"%PDF-")
