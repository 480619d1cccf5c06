"""Attachments through the API: upload (checked by content), versions, download, withdraw."""

from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from accounts.tests.api_helpers import assert_error, bearer
from grading import services
from grading.models import Attachment, RequiredDocument, Status
from grading.tests.api_helpers import OUTSIDERS, PERSONAS, call, url
from grading.tests.factories import PDF_BYTES, advance, make_application, pdf_file
from lib.uploads import check_upload

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"This program cannot be run in DOS mode." * 4
CODE = "business_licence"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _stored(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()]


def _upload(client, user, application, *, code: str = CODE, name: str = "营业执照.pdf", content=PDF_BYTES):
    headers = bearer(user) if user is not None else {}
    return client.post(
        url(application, "/attachments"),
        {"document": code, "file": SimpleUploadedFile(name, content)},
        headers=headers,
    )


def _refusal(name: str, content: bytes, **kwargs) -> list[str]:
    """The Chinese messages check_upload gives for this file."""
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as exc:
            check_upload(SimpleUploadedFile(name, content), **kwargs)
        return exc.value.messages


@pytest.mark.parametrize("persona", PERSONAS)
def test_upload_access(client, personas, media, persona):
    application = make_application(personas)
    response = _upload(client, personas[persona], application)
    if persona in ("enterprise_user", "enterprise_principal"):
        assert response.status_code == 201, response.content
    else:
        status = 401 if persona == "anonymous" else 404 if persona in OUTSIDERS else 403
        assert_error(response, status, {401: "unauthenticated", 403: "forbidden", 404: "not_found"}[status])
    assert Attachment.objects.exists() == (response.status_code == 201)
    assert bool(_stored(media)) == (response.status_code == 201)


def test_upload_stores_a_version_and_lists_it(client, personas, media):
    application = make_application(personas)
    user = personas.enterprise_user
    first = _upload(client, user, application).json()
    assert (first["document"], first["version"], first["name"], first["current"]) == (
        CODE,
        1,
        "营业执照.pdf",
        True,
    )
    assert first["size"] == len(PDF_BYTES)
    second = _upload(client, user, application, name="营业执照-新.pdf").json()
    assert second["version"] == 2

    documents = call(client, personas.county_officer, "get", url(application, "/attachments")).json()
    licence = next(d for d in documents if d["code"] == CODE)
    assert [(v["version"], v["current"]) for v in licence["versions"]] == [(2, True), (1, False)]
    assert licence["required"] is True
    assert {d["code"] for d in documents} >= set(
        RequiredDocument.objects.filter(required=True).values_list("code", flat=True)
    )

    download = client.get(licence["versions"][1]["url"], headers=bearer(personas.county_officer))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Type"] == "application/pdf"
    outsider = client.get(licence["versions"][1]["url"], headers=bearer(personas.other_county_officer))
    assert_error(outsider, 404, "not_found")


@pytest.mark.parametrize(
    ("name", "content", "limit"),
    [
        ("营业执照.pdf", EXE, None),  # an .exe renamed .pdf
        ("营业执照.pdf", b"", None),  # empty
        ("营业执照.pdf", PDF_BYTES + b"0" * 2048, 1024),  # over the (patched) limit
    ],
    ids=["exe-named-pdf", "empty", "oversize"],
)
def test_refused_files_get_422_with_the_message_and_nothing_is_stored(
    client, personas, media, monkeypatch, name, content, limit
):
    application = make_application(personas)
    kwargs = {}
    if limit is not None:
        kwargs["max_bytes"] = limit
        monkeypatch.setattr(services, "check_upload", partial(check_upload, max_bytes=limit))
    response = _upload(client, personas.enterprise_user, application, name=name, content=content)
    body = assert_error(response, 422, "invalid")
    assert body["details"] == {"file": _refusal(name, content, **kwargs)}
    assert not Attachment.objects.exists()
    assert _stored(media) == []


def test_unknown_document_and_missing_file_get_422(client, personas, media):
    application = make_application(personas)
    user = personas.enterprise_user
    assert (
        "document" in assert_error(_upload(client, user, application, code="nope"), 422, "invalid")["details"]
    )
    response = client.post(url(application, "/attachments"), {"document": CODE}, headers=bearer(user))
    assert "file" in assert_error(response, 422, "invalid")["details"]
    assert not Attachment.objects.exists() and _stored(media) == []


def test_no_upload_once_the_file_is_with_the_county(client, personas, media):
    application = advance(make_application(personas), personas, Status.COUNTY_REVIEW)
    before = Attachment.objects.count()
    assert_error(_upload(client, personas.enterprise_user, application), 403, "forbidden")
    assert Attachment.objects.count() == before


def test_withdraw(client, personas, media):
    application = make_application(personas)
    attachment = services.attachment_add(
        actor=personas.enterprise_user,
        application=application,
        document=RequiredDocument.objects.get(code=CODE),
        file=pdf_file(),
    )
    path = url(application, f"/attachments/{attachment.pk}")
    for persona in PERSONAS:
        if persona in ("enterprise_user", "enterprise_principal"):
            continue
        response = call(client, personas[persona], "delete", path)
        status = 401 if persona == "anonymous" else 404 if persona in OUTSIDERS else 403
        assert response.status_code == status, persona
    attachment.refresh_from_db()
    assert attachment.superseded_at is None

    response = call(client, personas.enterprise_user, "delete", path)
    assert response.status_code == 204
    attachment.refresh_from_db()
    assert attachment.superseded_at is not None
    assert _stored(media)  # the file stays in the history
    assert_error(call(client, personas.enterprise_user, "delete", path), 409, "attachment_not_current")
    assert_error(
        call(client, personas.enterprise_user, "delete", url(application, "/attachments/999999")),
        404,
        "not_found",
    )
