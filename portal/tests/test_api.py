"""The public API answers without authentication and exposes only public fields."""

import json

import pytest

from config.api import api
from portal.tests.factories import make_article
from results.models import Certificate

pytestmark = pytest.mark.django_db

PERSONAL = {
    "objector_name",
    "objector_contact",
    "ip",
    "principal_name",
    "principal_phone",
    "application",
    "enterprise_id",
    "region_path",
    "issued_by",
    "author",
    "created_by",
}


def _keys(value) -> set[str]:
    found: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            found.add(key)
            found |= _keys(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= _keys(inner)
    return found


def test_certificate_lookup_and_verify(client, certificate):
    response = client.get("/api/v1/public/certificates", {"q": certificate.uscc})
    assert response.status_code == 200
    items = response.json()["items"]
    assert [c["number"] for c in items] == [certificate.number]
    assert items[0]["state"] == "active"
    assert items[0]["verify_url"] == f"/public/certificates/{certificate.public_id}/"
    response = client.get(f"/api/v1/public/certificates/{certificate.public_id}")
    assert response.status_code == 200
    assert response.json()["enterprise_name"] == certificate.enterprise_name
    assert client.get("/api/v1/public/certificates/nope").json()["code"] == "not_found"
    assert client.get("/api/v1/public/certificates", {"q": ""}).json() == {"items": []}


def test_revoked_certificate_says_so(client, personas):
    from portal.tests.factories import make_certificate

    cert = make_certificate(personas, status=Certificate.Status.REVOKED, revoked_on="2026-01-05")
    body = client.get(f"/api/v1/public/certificates/{cert.public_id}").json()
    assert body["state"] == "revoked" and body["revoked_on"] == "2026-01-05"


def test_publicity_lists_current_batches_with_entries(client, batch):
    body = client.get("/api/v1/public/publicity").json()
    assert [b["id"] for b in body] == [batch.pk]
    assert len(body[0]["entries"]) == 2
    assert body[0]["entries"][0]["percentage"] == "86.5"
    assert body[0]["contact"] == batch.contact


def test_announcements(client, announcement, certificate):
    body = client.get("/api/v1/public/announcements").json()
    assert body["count"] == 1 and body["items"][0]["document_number"] == announcement.document_number
    assert client.get("/api/v1/public/announcements", {"kind": "revocation"}).json()["count"] == 0
    detail = client.get(f"/api/v1/public/announcements/{announcement.pk}").json()
    assert [c["number"] for c in detail["certificates"]] == [certificate.number]
    assert detail["cc_recipients"] == announcement.cc_recipients
    assert detail["pdf_url"] is None
    assert client.get("/api/v1/public/announcements/999999").status_code == 404


def test_articles_only_published(client, personas, published_article):
    draft = make_article(personas.city_officer, title="草稿")
    body = client.get("/api/v1/public/articles").json()
    assert [a["id"] for a in body["items"]] == [published_article.pk]
    assert client.get("/api/v1/public/articles", {"category": "notice"}).json()["count"] == 0
    assert client.get("/api/v1/public/articles", {"category": "blog"}).status_code == 422
    assert client.get(f"/api/v1/public/articles/{published_article.pk}").json()["body"].startswith("第一条")
    assert client.get(f"/api/v1/public/articles/{draft.pk}").status_code == 404


def test_no_personal_fields_in_answers(client, batch, announcement, published_article, certificate):
    from results.services import ObjectionIn, objection_file

    objection_file(
        entry=batch.entries.first(),
        data=ObjectionIn(name="王五", contact="13912345678", content="该企业存在未整改的重大隐患，请核查。"),
        ip="10.1.1.1",
    )
    for url in (
        "/api/v1/public/publicity",
        "/api/v1/public/announcements",
        f"/api/v1/public/announcements/{announcement.pk}",
        "/api/v1/public/articles",
        f"/api/v1/public/articles/{published_article.pk}",
        f"/api/v1/public/certificates?q={certificate.number}",
        f"/api/v1/public/certificates/{certificate.public_id}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.json()
        assert not _keys(body) & PERSONAL, url
        text = json.dumps(body, ensure_ascii=False)
        assert "王五" not in text and "13912345678" not in text and "10.1.1.1" not in text


def test_schema_declares_no_auth_and_no_personal_fields():
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        if path.startswith("/api/v1/public/"):
            for operation in operations.values():
                assert not operation.get("security"), path
    components = schema["components"]["schemas"]
    for name in (
        "PublicCertificateOut",
        "PublicEntryOut",
        "PublicBatchOut",
        "PublicAnnouncementOut",
        "PublicAnnouncementDetailOut",
        "PublicArticleOut",
        "PublicArticleDetailOut",
        "PublicAttachmentOut",
    ):
        assert not set(components[name]["properties"]) & PERSONAL, name
