"""Filing an objection from the public page: receipt, kept input, throttle, confidentiality."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from portal.tests.factories import PDF_BYTES
from results.models import Objection, PublicityEntry
from results.services import ObjectionThrottled

pytestmark = pytest.mark.django_db

VALID = {
    "name": "王五",
    "contact": "13912345678",
    "content": "该企业去年发生过一起未上报的生产安全事故，请核查。",
}


@pytest.fixture
def entry(batch):
    return batch.entries.first()


def _url(entry):
    return reverse("portal:objection", args=[entry.pk])


def test_success_redirects_to_the_receipt(client, entry):
    evidence = SimpleUploadedFile("现场照片.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(_url(entry), {**VALID, "files": [evidence]})
    assert response.status_code == 302
    receipt_url = reverse("portal:objection_receipt")
    assert response["Location"] == receipt_url
    objection = Objection.objects.get()
    assert objection.entry == entry and objection.objector_name == "王五"
    assert objection.attachments.count() == 1
    assert objection.ip == "127.0.0.1"
    # Nothing of the objector's travels in the URL.
    assert "王五" not in response["Location"] and "139" not in response["Location"]
    page = client.get(receipt_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert objection.receipt_number in html
    assert entry.enterprise_name in html
    assert "no-store" in page["Cache-Control"]


def test_receipt_without_an_objection_goes_back_to_the_list(client):
    response = client.get(reverse("portal:objection_receipt"))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:publicity_list")


def test_invalid_input_is_kept_with_the_messages(client, entry):
    response = client.post(
        _url(entry), {"name": "", "contact": "123", "content": "我反对这家企业上榜的理由如下"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "我反对这家企业上榜的理由如下" in html
    assert 'value="123"' in html
    assert html.count("invalid-feedback") >= 2
    assert not Objection.objects.exists()


def test_bad_evidence_is_refused_and_the_text_kept(client, entry):
    fake = SimpleUploadedFile("证据.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(_url(entry), {**VALID, "files": [fake]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "证据.pdf" in html
    assert VALID["content"] in html
    assert not Objection.objects.exists()


def test_more_than_three_files_are_refused(client, entry):
    files = [SimpleUploadedFile(f"{i}.pdf", PDF_BYTES) for i in range(4)]
    response = client.post(_url(entry), {**VALID, "files": files})
    assert response.status_code == 200
    assert not Objection.objects.exists()


@override_settings(ANBIAO_OBJECTIONS_PER_HOUR=2)
def test_throttle_answers_429_after_the_limit(client, entry):
    for _ in range(2):
        assert client.post(_url(entry), VALID).status_code == 302
    response = client.post(_url(entry), VALID)
    assert response.status_code == 429
    with translation.override("zh-hans"):
        message = ObjectionThrottled().message
    html = response.content.decode()
    assert message in html
    assert VALID["content"] in html  # nothing lost
    assert Objection.objects.count() == 2
    # Another address is not held back.
    assert client.post(_url(entry), VALID, REMOTE_ADDR="10.0.0.9").status_code == 302


def test_default_limit_is_five(client, entry):
    for _ in range(5):
        assert client.post(_url(entry), VALID).status_code == 302
    assert client.post(_url(entry), VALID).status_code == 429


def test_withdrawn_entry_answers_404(client, entry):
    PublicityEntry.objects.filter(pk=entry.pk).update(outcome=PublicityEntry.Outcome.WITHDRAWN)
    assert client.post(_url(entry), VALID).status_code == 404
    assert not Objection.objects.exists()


def test_objector_is_never_shown_publicly(client, entry, batch):
    client.post(_url(entry), VALID)
    for url in (
        reverse("portal:home"),
        reverse("portal:publicity_list"),
        reverse("portal:publicity_detail", args=[batch.pk]),
        "/api/v1/public/publicity",
    ):
        body = client.get(url).content.decode()
        assert "王五" not in body and "13912345678" not in body, url
