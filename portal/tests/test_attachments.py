"""Article attachments are checked by content and downloadable where the article may be read."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from portal import services
from portal.tests.factories import PDF_BYTES, make_article, pdf_upload

pytestmark = pytest.mark.django_db


def test_pdf_is_stored_with_its_hash(personas):
    article = make_article(personas.city_officer)
    attachment = services.attachment_add(actor=personas.city_officer, article=article, file=pdf_upload())
    assert attachment.original_name == "政策原文.pdf"
    assert attachment.size == len(PDF_BYTES) and len(attachment.sha256) == 64
    assert attachment.file.name.endswith(f"{attachment.sha256}.pdf")
    assert AuditEvent.objects.filter(action="article.attachment_add").exists()


def test_exe_renamed_pdf_is_refused_with_a_chinese_message(client, personas, login):
    article = make_article(personas.city_officer)
    fake = SimpleUploadedFile(
        "通知.pdf", b"MZ\x90\x00\x03 this is a windows exe", content_type="application/pdf"
    )
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.attachment_add(actor=personas.city_officer, article=article, file=fake)
    message = exc.value.message_dict["file"][0]
    assert "通知.pdf" in message and "不是允许上传的文件" in message
    assert not article.attachments.exists()

    login(personas.city_officer)
    fake.seek(0)
    response = client.post(reverse("portal_manage:attachment_add", args=[article.pk]), {"file": fake})
    assert response.status_code == 200
    assert "不是允许上传的文件" in response.content.decode()
    assert not article.attachments.exists()


def test_docx_xlsx_and_images_are_accepted(personas):
    article = make_article(personas.city_officer)
    for name, head in (
        ("细则.docx", b"PK\x03\x04rest-of-zip"),
        ("名单.xlsx", b"PK\x03\x04rest-of-zip"),
        ("图解.png", b"\x89PNG\r\n\x1a\nrest"),
        ("照片.jpg", b"\xff\xd8\xffrest"),
    ):
        services.attachment_add(
            actor=personas.city_officer, article=article, file=SimpleUploadedFile(name, head)
        )
    assert article.attachments.count() == 4


def test_public_download_only_while_published(client, personas):
    article = make_article(personas.city_officer)
    attachment = services.attachment_add(actor=personas.city_officer, article=article, file=pdf_upload())
    url = reverse("portal:article_attachment", args=[article.pk, attachment.pk])
    assert client.get(url).status_code == 404
    services.article_publish(actor=personas.city_officer, article=article)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    html = client.get(reverse("portal:article_detail", args=[article.pk])).content.decode()
    assert "政策原文.pdf" in html and url in html


def test_remove_through_the_page(client, personas, login):
    article = make_article(personas.city_officer)
    attachment = services.attachment_add(actor=personas.city_officer, article=article, file=pdf_upload())
    login(personas.city_chief)
    response = client.post(reverse("portal_manage:attachment_remove", args=[article.pk, attachment.pk]))
    assert response.status_code == 302
    assert not article.attachments.exists()
    assert AuditEvent.objects.filter(action="article.attachment_remove").exists()
    # Another article's attachment id under this article: 404.
    other = make_article(personas.city_officer)
    foreign = services.attachment_add(actor=personas.city_officer, article=other, file=pdf_upload())
    response = client.post(reverse("portal_manage:attachment_remove", args=[article.pk, foreign.pk]))
    assert response.status_code == 404
    assert other.attachments.count() == 1
