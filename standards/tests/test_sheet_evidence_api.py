"""POST/GET /api/v1/sheets/{id}/items/{code}/evidence, GET …/evidence/{id}/file, DELETE …/evidence/{id}."""

import pytest

from accounts.tests.api_helpers import assert_error, bearer
from audit.models import AuditEvent
from standards.models import SheetEvidence
from standards.services import sheet_submit
from standards.tests.evidence import CODE, EXE, JPEG, PDF, attach, scored_sheet, upload

READERS = {"enterprise_user", "city_officer", "city_chief", "bureau_leader", "admin"}
PERSONAS = (*sorted(READERS), "county_officer", "other_enterprise_user", "expert", "anonymous")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _items_url(sheet, code: str = CODE) -> str:
    return f"/api/v1/sheets/{sheet.pk}/items/{code}/evidence"


def _headers(personas, persona: str) -> dict:
    return bearer(personas[persona]) if persona != "anonymous" else {}


def _expected(persona: str, ok: int, *, write: bool) -> int:
    if persona == "anonymous":
        return 401
    if persona == "enterprise_user" or (persona in READERS and not write):
        return ok
    return 403 if persona in READERS else 404


def _assert_refused(response, status: int) -> None:
    code = {401: "unauthenticated", 403: "forbidden", 404: "not_found"}[status]
    assert_error(response, status, code)


@pytest.mark.parametrize("persona", PERSONAS)
def test_upload_access(client, personas, media, persona):
    sheet = scored_sheet(personas)
    response = client.post(_items_url(sheet), {"file": upload()}, headers=_headers(personas, persona))
    status = _expected(persona, 201, write=True)
    if status == 201:
        assert response.status_code == 201, response.content
    else:
        _assert_refused(response, status)
    assert SheetEvidence.objects.exists() == (status == 201)
    assert any(p.is_file() for p in media.rglob("*")) == (status == 201)


@pytest.mark.parametrize("persona", PERSONAS)
def test_list_and_download_access(client, personas, persona):
    sheet = scored_sheet(personas)
    evidence = attach(personas, sheet)
    status = _expected(persona, 200, write=False)
    listed = client.get(_items_url(sheet), headers=_headers(personas, persona))
    download = client.get(
        f"/api/v1/sheets/{sheet.pk}/evidence/{evidence.pk}/file", headers=_headers(personas, persona)
    )
    if status == 200:
        assert listed.status_code == download.status_code == 200
        assert b"".join(download.streaming_content) == JPEG
        download.close()
    else:
        _assert_refused(listed, status)
        _assert_refused(download, status)
        assert "现场照片" not in listed.content.decode() + download.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_delete_access(client, personas, media, persona, django_capture_on_commit_callbacks):
    sheet = scored_sheet(personas)
    evidence = attach(personas, sheet)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(
            f"/api/v1/sheets/{sheet.pk}/evidence/{evidence.pk}", headers=_headers(personas, persona)
        )
    status = _expected(persona, 204, write=True)
    if status == 204:
        assert response.status_code == 204 and response.content == b""
    else:
        _assert_refused(response, status)
    assert SheetEvidence.objects.exists() == (status != 204)
    assert (media / evidence.file.name).exists() == (status != 204)


def test_upload_returns_the_record_and_list_shows_it(client, personas, media):
    sheet = scored_sheet(personas)
    headers = bearer(personas.enterprise_user)
    response = client.post(
        _items_url(sheet), {"file": upload("货架照片.jpg"), "deduction_index": "1"}, headers=headers
    )
    assert response.status_code == 201, response.content
    body = response.json()
    evidence = SheetEvidence.objects.get()
    assert body == {
        "id": evidence.pk,
        "code": CODE,
        "name": "货架照片.jpg",
        "size": len(JPEG),
        "sha256": evidence.sha256,
        "deduction_index": 1,
        "uploaded_at": body["uploaded_at"],
    }
    assert body["uploaded_at"].endswith("Z") or body["uploaded_at"].endswith("+00:00")
    assert (media / evidence.file.name).read_bytes() == JPEG
    client.post(_items_url(sheet), {"file": upload("报告.pdf", PDF)}, headers=headers)
    listed = client.get(_items_url(sheet), headers=headers).json()
    assert [(e["name"], e["deduction_index"]) for e in listed] == [("货架照片.jpg", 1), ("报告.pdf", None)]
    assert client.get(_items_url(sheet, "1.1.1"), headers=headers).json() == []


def test_a_renamed_executable_is_422_and_nothing_is_stored(client, personas, media):
    sheet = scored_sheet(personas)
    response = client.post(
        _items_url(sheet), {"file": upload("照片.jpg", EXE)}, headers=bearer(personas.enterprise_user)
    )
    body = assert_error(response, 422, "invalid")
    assert "照片.jpg" in body["details"]["__all__"][0]
    assert not SheetEvidence.objects.exists() and not any(p.is_file() for p in media.rglob("*"))


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"deduction_index": "0"}, "file"),  # no file
        ({"file": "not a file"}, "file"),
        ({"file": "FILE", "deduction_index": "abc"}, "deduction_index"),
        ({"file": "FILE", "deduction_index": "5"}, CODE),  # the item has two deductions
        ({"file": "FILE", "deduction_index": "-1"}, CODE),
    ],
)
def test_bad_input_is_422(client, personas, data, key):
    sheet = scored_sheet(personas)
    data = {k: upload() if v == "FILE" else v for k, v in data.items()}
    body = assert_error(
        client.post(_items_url(sheet), data, headers=bearer(personas.enterprise_user)), 422, "invalid"
    )
    assert key in body["details"]
    assert not SheetEvidence.objects.exists()


def test_an_unscored_item_is_422(client, personas):
    sheet = scored_sheet(personas)
    response = client.post(
        _items_url(sheet, "1.1.1"), {"file": upload()}, headers=bearer(personas.enterprise_user)
    )
    assert set(assert_error(response, 422, "invalid")["details"]) == {"1.1.1"}


def test_an_unknown_item_is_404(client, personas):
    sheet = scored_sheet(personas)
    headers = bearer(personas.enterprise_user)
    assert_error(
        client.post(_items_url(sheet, "99.9.9"), {"file": upload()}, headers=headers), 404, "not_found"
    )
    assert_error(client.get(_items_url(sheet, "99.9.9"), headers=headers), 404, "not_found")


def test_a_submitted_sheet_is_409(client, personas, media):
    sheet = scored_sheet(personas)
    evidence = attach(personas, sheet)
    sheet_submit(actor=personas.enterprise_user, sheet=sheet)
    headers = bearer(personas.enterprise_user)
    assert_error(client.post(_items_url(sheet), {"file": upload()}, headers=headers), 409, "sheet_not_draft")
    response = client.delete(f"/api/v1/sheets/{sheet.pk}/evidence/{evidence.pk}", headers=headers)
    assert_error(response, 409, "sheet_not_draft")
    assert SheetEvidence.objects.count() == 1 and (media / evidence.file.name).exists()


def test_delete_removes_the_file_and_audits(client, personas, media, django_capture_on_commit_callbacks):
    sheet = scored_sheet(personas)
    evidence = attach(personas, sheet)
    headers = bearer(personas.enterprise_user)
    url = f"/api/v1/sheets/{sheet.pk}/evidence/{evidence.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(url, headers=headers).status_code == 204
    assert not (media / evidence.file.name).exists()
    assert AuditEvent.objects.filter(action="sheet.evidence_remove", target_id=str(sheet.pk)).exists()
    assert_error(client.delete(url, headers=headers), 404, "not_found")


def test_evidence_of_another_sheet_is_404(client, personas):
    sheet, other = scored_sheet(personas), scored_sheet(personas)
    evidence = attach(personas, sheet)
    headers = bearer(personas.enterprise_user)
    assert_error(
        client.get(f"/api/v1/sheets/{other.pk}/evidence/{evidence.pk}/file", headers=headers),
        404,
        "not_found",
    )
    assert_error(
        client.delete(f"/api/v1/sheets/{other.pk}/evidence/{evidence.pk}", headers=headers), 404, "not_found"
    )
    assert SheetEvidence.objects.filter(pk=evidence.pk).exists()
