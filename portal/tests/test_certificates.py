"""Certificate lookup and the verification page (the QR code's target)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.tests.factories import make_certificate
from results.models import Certificate

pytestmark = pytest.mark.django_db


def _search(client, q):
    return client.get(reverse("portal:certificate_search"), {"q": q}).content.decode()


def test_lookup_by_number_uscc_and_name(client, personas, certificate):
    other = make_certificate(personas)
    for query in (
        certificate.number,
        certificate.uscc,
        certificate.uscc.lower(),
        certificate.enterprise_name[2:8],
    ):
        html = _search(client, query)
        assert certificate.number in html, query
        assert certificate.uscc in html
        assert other.number not in html, query
    assert 'data-testid="certificate-state"' in html


def test_lookup_without_a_match(client, certificate):
    html = _search(client, "不存在的企业名称")
    assert 'data-testid="certificate-none"' in html
    assert certificate.number not in html


def test_empty_lookup_shows_only_the_box(client, certificate):
    html = client.get(reverse("portal:certificate_search")).content.decode()
    assert 'data-testid="certificate-search-form"' in html
    assert certificate.number not in html


def test_verify_url_name_and_shape(certificate):
    url = reverse("portal:certificate_verify", kwargs={"public_id": certificate.public_id})
    assert url == f"/public/certificates/{certificate.public_id}/"


def _verdict(client, cert):
    response = client.get(reverse("portal:certificate_verify", kwargs={"public_id": cert.public_id}))
    assert response.status_code == 200
    return response.content.decode()


def test_verify_valid(client, certificate):
    html = _verdict(client, certificate)
    assert 'data-state="active"' in html
    assert certificate.number in html and certificate.enterprise_name in html and certificate.uscc in html
    # No personal details: the principal's name is on the enterprise, never on this page.
    assert certificate.enterprise.principal_name not in html
    assert certificate.enterprise.principal_phone not in html


def test_verify_expiring(client, personas):
    today = timezone.localdate()
    cert = make_certificate(
        personas, issued_on=today - timedelta(days=1000), expires_on=today + timedelta(days=30)
    )
    html = _verdict(client, cert)
    assert 'data-state="expiring"' in html
    assert cert.expires_on.strftime("%Y-%m-%d") in html


def test_verify_expired(client, personas):
    today = timezone.localdate()
    cert = make_certificate(
        personas, issued_on=today - timedelta(days=1200), expires_on=today - timedelta(days=1)
    )
    assert 'data-state="expired"' in _verdict(client, cert)


def test_verify_revoked_shows_the_date(client, personas):
    revoked_on = timezone.localdate() - timedelta(days=3)
    cert = make_certificate(personas, status=Certificate.Status.REVOKED, revoked_on=revoked_on)
    html = _verdict(client, cert)
    assert 'data-state="revoked"' in html
    assert revoked_on.strftime("%Y-%m-%d") in html


def test_verify_superseded(client, personas):
    cert = make_certificate(personas, status=Certificate.Status.SUPERSEDED)
    assert 'data-state="superseded"' in _verdict(client, cert)


def test_unknown_public_id_is_404_and_pk_is_not_accepted(client, certificate):
    assert client.get(reverse("portal:certificate_verify", kwargs={"public_id": "x" * 16})).status_code == 404
    assert client.get(f"/public/certificates/{certificate.pk}/").status_code == 404
