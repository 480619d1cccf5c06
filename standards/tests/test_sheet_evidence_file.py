"""Downloading an evidence file: streamed by the app to whoever may see the sheet, never from MEDIA_ROOT."""

from urllib.parse import quote

import pytest
from django.http import FileResponse
from django.urls import reverse

from standards.tests.evidence import JPEG, PDF, attach, evidence_battery, scored_sheet
from standards.tests.pages import preview_sheet, score_items


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _url(sheet, evidence) -> str:
    return reverse("standards:sheet_evidence_file", args=[sheet.pk, evidence.pk])


@pytest.mark.parametrize(("persona", "status"), evidence_battery(200, editors_only=False))
def test_file_access(login, personas, persona, status):
    sheet = scored_sheet(personas)
    evidence = attach(personas, sheet)
    response = login(personas[persona]).get(_url(sheet, evidence))
    assert response.status_code == status
    assert isinstance(response, FileResponse) == (status == 200)
    response.close()


def test_the_download_streams_the_same_bytes_with_the_original_name(login, personas):
    sheet = scored_sheet(personas)
    evidence = attach(personas, sheet, name="现场 照片.jpg")
    response = login(personas.enterprise_user).get(_url(sheet, evidence))
    assert isinstance(response, FileResponse) and response.streaming
    assert b"".join(response.streaming_content) == JPEG
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Length"] == str(len(JPEG))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('现场 照片.jpg', safe='')}" in disposition
    assert response["Cache-Control"] == "private, no-store"
    response.close()


def test_a_pdf_is_served_as_a_pdf(login, personas):
    sheet = scored_sheet(personas)
    evidence = attach(personas, sheet, name="检测报告.pdf", content=PDF)
    response = login(personas.city_officer).get(_url(sheet, evidence))
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    response.close()


def test_evidence_of_another_sheet_is_404(login, personas):
    sheet = scored_sheet(personas)
    evidence = attach(personas, sheet)
    other = preview_sheet(personas)
    score_items(personas.enterprise_user, other, 1)
    response = login(personas.enterprise_user).get(_url(other, evidence))
    assert response.status_code == 404


def test_media_url_is_not_served(login, personas, settings):
    sheet = scored_sheet(personas)
    evidence = attach(personas, sheet)
    response = login(personas.enterprise_user).get(settings.MEDIA_URL + evidence.file.name)
    assert response.status_code == 404


def test_post_is_not_allowed(login, personas):
    sheet = scored_sheet(personas)
    evidence = attach(personas, sheet)
    assert login(personas.enterprise_user).post(_url(sheet, evidence)).status_code == 405
