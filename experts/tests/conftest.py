"""Fixtures for the expert pool's page, API, import and export tests."""

import io

import pytest

from accounts.tests.factories import region
from experts.tests.factories import ExpertFactory, make_id_number

TARGET_ID = make_id_number(501, birth="19750315")
OWN_ID = make_id_number(502, birth="19680704")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Keep uploaded certificate scans and job files out of the repository."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def target(db):
    """An expert of 站前区 that no persona is linked to."""
    return ExpertFactory(
        name="王目标",
        id_number=TARGET_ID,
        region=region("站前区"),
        phone="13811112222",
        specialties=["safety_management", "fire"],
        industries=["machinery"],
        skills=["dust_explosion"],
    )


@pytest.fixture
def own(personas):
    """The expert persona's own profile."""
    return ExpertFactory(name="陈本人", id_number=OWN_ID, user=personas.expert, region=region("鲅鱼圈区"))


def open_xlsx(content: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(content))


def pdf_upload(name: str = "证书.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n%%EOF\n", content_type="application/pdf")
