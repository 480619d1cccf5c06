"""Evidence on the scoring page: each row lists its files, the author of a draft gets the upload form."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from standards.services import DeductionIn, EntryIn, sheet_entries_save, sheet_submit
from standards.tests.evidence import CODE, JPEG, PDF, attach, scored_sheet
from standards.tests.pages import preview_sheet, score_items


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return gettext(msgid)


def _url(sheet) -> str:
    return reverse("standards:sheet_detail", args=[sheet.pk])


def _row(response, code: str = CODE):
    page = response.context["page"]
    return page.locate(code)[2]


def test_each_row_lists_its_files_with_size_deduction_and_download_link(login, personas):
    sheet = scored_sheet(personas)
    photo = attach(personas, sheet, name="货架照片.jpg", deduction_index=0)
    report = attach(personas, sheet, name="检测报告.pdf", content=PDF)
    response = login(personas.city_officer).get(_url(sheet))
    row = _row(response)
    assert [(e.evidence.pk, e.deduction_index, e.deduction_no) for e in row.evidence] == [
        (photo.pk, 0, 1),
        (report.pk, None, None),
    ]
    content = response.content.decode()
    assert content.count('data-testid="evidence"') == 2
    for evidence in (photo, report):
        assert evidence.original_name in content
        assert reverse("standards:sheet_evidence_file", args=[sheet.pk, evidence.pk]) in content
    assert f"{len(JPEG) / 1024:.1f}" in content  # the size, as filesizeformat writes it (KB)
    assert content.count('data-testid="evidence-deduction"') == 1
    # The city reads the files but changes nothing.
    assert 'data-testid="evidence-form"' not in content and 'data-testid="evidence-remove"' not in content


def test_the_author_of_a_draft_gets_an_upload_form_on_each_scored_item(login, personas):
    sheet = scored_sheet(personas)
    response = login(personas.enterprise_user).get(_url(sheet))
    content = response.content.decode()
    assert content.count('data-testid="evidence-form"') == 1  # only 2.1.1 is scored
    add = reverse("standards:sheet_evidence_add", args=[sheet.pk, CODE])
    assert f'hx-post="{add}"' in content and 'hx-encoding="multipart/form-data"' in content
    assert 'accept="image/*,application/pdf"' in content
    assert 'accept="image/*" capture="environment"' in content
    # The deduction select offers the item's two deductions, by position.
    assert '<option value="0">' in content and '<option value="1">' in content


def test_remove_buttons_for_the_author(login, personas):
    sheet = scored_sheet(personas)
    evidence = attach(personas, sheet)
    content = login(personas.enterprise_user).get(_url(sheet)).content.decode()
    assert reverse("standards:sheet_evidence_remove", args=[sheet.pk, evidence.pk]) in content


def test_a_submitted_sheet_shows_its_files_but_no_forms(login, personas):
    sheet = scored_sheet(personas)
    attach(personas, sheet)
    sheet_submit(actor=personas.enterprise_user, sheet=sheet)
    content = login(personas.enterprise_user).get(_url(sheet)).content.decode()
    assert 'data-testid="evidence"' in content
    assert 'data-testid="evidence-form"' not in content and 'data-testid="evidence-remove"' not in content


def test_clearing_an_item_with_evidence_warns_that_the_files_go(login, personas):
    sheet = scored_sheet(personas)
    sheet_entries_save(
        actor=personas.enterprise_user,
        sheet=sheet,
        entries=[EntryIn("1.1.1", deductions=(DeductionIn("1", "目标未分解"),))],
    )
    attach(personas, sheet)
    content = login(personas.enterprise_user).get(_url(sheet)).content.decode()
    warning = _zh("Clear this item? It counts as full marks again, and its evidence files are deleted.")
    plain = _zh("Clear this item? It counts as full marks again.")
    assert content.count(f'hx-confirm="{escape(warning)}"') == 1  # 2.1.1 has a file
    assert content.count(f'hx-confirm="{escape(plain)}"') == 1  # 1.1.1 has none


def test_query_count_is_the_same_for_2_and_20_files(login, personas, django_assert_max_num_queries):
    small, large = preview_sheet(personas), preview_sheet(personas)
    codes_small = score_items(personas.enterprise_user, small, 2)
    codes_large = score_items(personas.enterprise_user, large, 10)
    for code in codes_small:
        attach(personas, small, code=code, deduction_index=0)
    for code in codes_large:
        attach(personas, large, code=code, deduction_index=0)
        attach(personas, large, code=code, name="报告.pdf", content=PDF)
    client = login(personas.enterprise_user)
    client.get(_url(small))  # the engine's view of a published version is built once per process
    with django_assert_max_num_queries(13) as small_queries:
        client.get(_url(small))
    with django_assert_max_num_queries(13) as large_queries:
        response = client.get(_url(large))
    assert len(small_queries) == len(large_queries)
    assert response.content.decode().count('data-testid="evidence"') == 20
